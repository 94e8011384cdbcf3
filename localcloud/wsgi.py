"""Small WSGI helpers: read a body safely, answer with one buffer, AWS error shapes."""
from __future__ import annotations

import json
import os
import re
import uuid
from typing import Any, Callable, Iterable

from localcloud.settings import DEFAULT_ACCOUNT, DEFAULT_REGION

MAX_BODY = 64 * 1024 * 1024
IN_PROCESS = "localcloud.in_process"  # environ key: the request came from this process, not a socket
_SCOPE = re.compile(r"Credential=[^/,]+/\d{8}/([^/,]+)/([^/,]+)/aws4_request")

StartResponse = Callable[..., Any]


class Reply:
    """A complete HTTP answer, written to the socket in one piece."""

    def __init__(self, status: int, body: bytes | str = b"", headers: dict[str, str] | None = None,
                 content_type: str = "application/json"):
        self.status = status
        self.body = body.encode() if isinstance(body, str) else body
        self.headers = dict(headers or {})
        self.headers.setdefault("Content-Type", content_type)

    def __call__(self, environ: dict, start_response: StartResponse) -> Iterable[bytes]:
        headers = [(k, v) for k, v in self.headers.items() if k.lower() != "content-length"]
        headers.append(("Content-Length", str(len(self.body))))
        start_response(f"{self.status} {_reason(self.status)}", headers)
        if environ.get("REQUEST_METHOD") == "HEAD":
            return [b""]
        return [self.body]


def json_reply(status: int, document: Any, headers: dict[str, str] | None = None,
               content_type: str = "application/json") -> Reply:
    return Reply(status, json.dumps(document, default=str), headers, content_type)


def aws_json_error(status: int, code: str, message: str) -> Reply:
    """An error as AWS JSON protocols (Lambda, Step Functions) shape it."""
    return json_reply(status, {"__type": code, "message": message, "Message": message},
                      {"X-Amzn-ErrorType": code, "x-amzn-RequestId": str(uuid.uuid4())}, "application/x-amz-json-1.0")


def read_body(environ: dict) -> bytes:
    """Read the request body: by Content-Length, or to the end of a chunked stream.

    A body with neither is treated as empty (reading it would block the socket).
    """
    stream = environ.get("wsgi.input")
    if stream is None:
        return b""
    if "localcloud.body" in environ:
        return environ["localcloud.body"]
    length = environ.get("CONTENT_LENGTH") or ""
    if length.strip():
        try:
            size = int(length)
        except ValueError:
            size = 0
        data = stream.read(min(max(size, 0), MAX_BODY)) if size > 0 else b""
    elif environ.get("wsgi.input_terminated") or "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower():
        data = stream.read()
    else:
        data = b""
    environ["localcloud.body"] = data
    import io

    environ["wsgi.input"] = io.BytesIO(data)
    environ["CONTENT_LENGTH"] = str(len(data))
    environ.pop("HTTP_TRANSFER_ENCODING", None)
    environ["wsgi.input_terminated"] = False
    return data


def region_of(environ: dict) -> str:
    """The region named in the SigV4 credential scope, else the default."""
    match = _SCOPE.search(environ.get("HTTP_AUTHORIZATION", ""))
    return match.group(1) if match else DEFAULT_REGION


def service_of(environ: dict) -> str | None:
    match = _SCOPE.search(environ.get("HTTP_AUTHORIZATION", ""))
    return match.group(2) if match else None


def account_of(environ: dict) -> str:
    return os.environ.get("MOTO_ACCOUNT_ID") or environ.get("HTTP_X_MOTO_ACCOUNT_ID") or DEFAULT_ACCOUNT


def call_app(app: Callable, environ: dict) -> tuple[int, list[tuple[str, str]], bytes]:
    """Run a WSGI app and collect its whole answer (status, headers, body)."""
    captured: dict[str, Any] = {}

    def start_response(status: str, headers: list, exc_info: Any = None) -> Callable:
        captured["status"] = int(status.split(" ", 1)[0])
        captured["headers"] = list(headers)
        return lambda _data: None

    chunks = app(environ, start_response)
    try:
        body = b"".join(chunks)
    finally:
        if hasattr(chunks, "close"):
            chunks.close()
    return captured["status"], captured["headers"], body


def _reason(status: int) -> str:
    from http import HTTPStatus

    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Unknown"
