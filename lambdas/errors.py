"""Domain errors, their structured form, and the one place they become HTTP status codes.

An error crosses the workflow as data, never as an exception class name:
``{"error": {"code": ..., "message": ..., "field": ...}}`` (see ``document`` and
``from_document``). ``code`` is one of ``STATUS``'s keys.
"""
from __future__ import annotations

from typing import Any

STATUS = {
    "malformed": 400,          # not the shape the API document describes
    "not_found": 404,          # no such route or stored recommendation
    "method_not_allowed": 405,  # the route exists, the method does not
    "too_large": 413,          # the body is over the limit
    "unprocessable": 422,      # well formed, but names something the model does not know
    "internal": 500,           # a bug of ours
    "step_failed": 502,        # a workflow step failed (raised, or its answer was unusable)
    "model_unavailable": 503,  # the model artifact is missing or cannot be loaded
    "throttled": 503,          # a store refused the write for now
    "timeout": 504,            # a workflow step ran out of time
}


class ApiError(Exception):
    """An error the API answers with ``STATUS[code]``; the message says what to do.

    Parameters
    ----------
    message : str
        What went wrong and what to fix, for a person.
    field : str, optional
        The request field at fault (``items``, ``metadata.AGE``, ``k``...).
    """

    code = "internal"

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field

    @property
    def status(self) -> int:
        return STATUS[self.code]

    def document(self) -> dict:
        """The structured form: ``{"code", "message", "field"}``."""
        return {"code": self.code, "message": self.message, "field": self.field}


class Malformed(ApiError):
    """The request does not have the shape the API document describes."""

    code = "malformed"


class NotFound(ApiError):
    """The route or the stored recommendation does not exist."""

    code = "not_found"


class MethodNotAllowed(ApiError):
    """The route exists but does not take this method; ``allow`` lists those it takes."""

    code = "method_not_allowed"

    def __init__(self, message: str, allow: list[str]):
        super().__init__(message)
        self.allow = allow


class TooLarge(ApiError):
    """The request body is over the limit."""

    code = "too_large"


class Unprocessable(ApiError):
    """Well formed, but names a product, field or value the model does not know."""

    code = "unprocessable"


class ModelUnavailable(ApiError):
    """The model artifact is not in the models bucket (or cannot be read)."""

    code = "model_unavailable"


class StepFailed(ApiError):
    """A workflow step failed for a reason that is not the client's."""

    code = "step_failed"


class Throttled(ApiError):
    """A store refused a write for now (DynamoDB throttling)."""

    code = "throttled"


class StepTimeout(ApiError):
    """A workflow step ran out of time."""

    code = "timeout"


_BY_CODE = {cls.code: cls for cls in (ApiError, Malformed, NotFound, TooLarge, Unprocessable, ModelUnavailable,
                                      StepFailed, Throttled, StepTimeout)}


def from_document(doc: Any) -> ApiError:
    """Rebuild an error from its structured form (an unknown or broken one is a StepFailed)."""
    if not isinstance(doc, dict) or doc.get("code") not in _BY_CODE or not isinstance(doc.get("message"), str):
        return StepFailed("the recommendation workflow answered with an error it could not describe")
    field = doc.get("field")
    return _BY_CODE[doc["code"]](doc["message"], field if isinstance(field, str) else None)
