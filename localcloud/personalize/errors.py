"""Personalize errors, named and shaped as the service names them."""
from __future__ import annotations


class PersonalizeError(Exception):
    """An error the service would answer; ``code`` is its ``__type`` / ``X-Amzn-ErrorType``."""

    code = "InvalidInputException"

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class InvalidInput(PersonalizeError):
    code = "InvalidInputException"


class NotFound(PersonalizeError):
    code = "ResourceNotFoundException"


class AlreadyExists(PersonalizeError):
    code = "ResourceAlreadyExistsException"


class InUse(PersonalizeError):
    code = "ResourceInUseException"


class LimitExceeded(PersonalizeError):
    code = "LimitExceededException"


class InvalidNextToken(PersonalizeError):
    code = "InvalidNextTokenException"
