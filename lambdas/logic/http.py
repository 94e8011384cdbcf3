"""API Gateway proxy responses: JSON body, CORS for the site's origin."""
from __future__ import annotations

import json
from typing import Any

from lambdas.errors import ApiError, MethodNotAllowed

# What a client reads for a server-side failure: the details stay in the logs (they can name
# buckets, tables and library messages), the answer says what happened and what to do.
PUBLIC = {
    "internal": "internal error; nothing was stored",
    "step_failed": "a step of the recommendation workflow failed; nothing was stored, please try again",
    "model_unavailable": "the recommendation model is not available right now; nothing was stored, "
                         "please try again later",
    "throttled": "the service is busy; nothing was stored, please try again in a moment",
    "timeout": "the recommendation took too long; nothing was stored, please try again",
}


def _cors(headers: dict, cors_origin: str) -> dict:
    if cors_origin:
        headers.update({"Access-Control-Allow-Origin": cors_origin, "Vary": "Origin"})
    return headers


def response(status: int, document: Any, cors_origin: str, headers: dict | None = None) -> dict:
    """A Lambda proxy integration response."""
    out = _cors({"Content-Type": "application/json", "Cache-Control": "no-store", **(headers or {})}, cors_origin)
    return {"statusCode": status, "headers": out, "body": json.dumps(document)}


def error(failure: ApiError, request_id: str, cors_origin: str) -> dict:
    """``{"message", "code", "field", "request_id"}`` with the error's status.

    A 5xx answers a fixed message (see PUBLIC) and the request id to quote; a 4xx answers the
    message that says what to fix.
    """
    message = failure.message if failure.status < 500 else f"{PUBLIC[failure.code]} (request id {request_id})"
    extra = {"Allow": ", ".join(failure.allow)} if isinstance(failure, MethodNotAllowed) else {}
    return response(failure.status, {"message": message, "code": failure.code, "field": failure.field,
                                     "request_id": request_id}, cors_origin, extra)


def preflight(cors_origin: str) -> dict:
    """The answer to a CORS preflight: only the site's origin, only the API's methods and header."""
    headers = {"Access-Control-Allow-Methods": "GET,POST,OPTIONS", "Access-Control-Allow-Headers": "Content-Type",
               "Access-Control-Max-Age": "600"}
    return {"statusCode": 204, "headers": _cors(headers, cors_origin), "body": ""}
