"""Domain errors and the one place they become HTTP status codes."""
from __future__ import annotations


class ValidationError(Exception):
    """The request is invalid; the message says what is wrong and what to do.

    Raised by the workflow's Validate step too: Step Functions reports the
    class name as the error, which the api function maps back to 400.
    """


class NotFound(Exception):
    """The thing asked for does not exist; the message names it."""


class ModelUnavailable(Exception):
    """The model artifact is not in the models bucket (or cannot be read)."""


class WorkflowFailed(Exception):
    """The recommendation workflow failed for a reason that is not the client's."""


STATUS = {ValidationError: 400, NotFound: 404, ModelUnavailable: 503, WorkflowFailed: 502}


def status_of(error: Exception) -> int | None:
    """The HTTP status of a domain error, or None for an unexpected one."""
    for kind, status in STATUS.items():
        if isinstance(error, kind):
            return status
    return None
