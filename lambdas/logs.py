"""Structured logs: one JSON object per line, the request id in every line."""
from __future__ import annotations

import contextlib
import contextvars
import json
import logging
import sys
import time
from typing import Any, Iterator

_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")
_FUNCTION = {"name": "-"}


class JsonFormatter(logging.Formatter):
    """Format a record as one JSON line with level, message, request id and extra fields."""

    def format(self, record: logging.LogRecord) -> str:
        doc: dict[str, Any] = {
            "time": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created)) + f".{int(record.msecs):03d}Z",
            "level": record.levelname,
            "function": _FUNCTION["name"],
            "request_id": _request_id.get(),
            "message": record.getMessage(),
        }
        doc.update(getattr(record, "fields", {}))
        if record.exc_info:
            doc["exception"] = self.formatException(record.exc_info)
        return json.dumps(doc, default=str)


def get_logger() -> logging.Logger:
    """The project's logger, writing JSON lines to stdout (configured once)."""
    logger = logging.getLogger("recommender.lambda")
    if not logger.handlers:
        handler = logging.StreamHandler(sys.stdout)
        handler.setFormatter(JsonFormatter())
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        logger.propagate = False
    return logger


def log(level: int, message: str, exc_info: bool = False, **fields: Any) -> None:
    """Log ``message`` with extra JSON ``fields`` (and the current exception if ``exc_info``)."""
    get_logger().log(level, message, exc_info=exc_info, extra={"fields": fields})


def request_id() -> str:
    """The request id of the invocation being served ("-" outside one)."""
    return _request_id.get()


@contextlib.contextmanager
def invocation(context: Any) -> Iterator[str]:
    """Tag every line logged inside with this invocation's request id and function name."""
    request_id = getattr(context, "aws_request_id", None) or "-"
    _FUNCTION["name"] = getattr(context, "function_name", None) or "-"
    token = _request_id.set(request_id)
    try:
        yield request_id
    finally:
        _request_id.reset(token)
