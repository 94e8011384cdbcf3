"""API Gateway proxy responses: JSON body, CORS for the site's origin."""
from __future__ import annotations

import json
from typing import Any


def response(status: int, document: Any, cors_origin: str) -> dict:
    """A Lambda proxy integration response."""
    headers = {"Content-Type": "application/json", "Cache-Control": "no-store"}
    if cors_origin:
        headers.update({"Access-Control-Allow-Origin": cors_origin, "Vary": "Origin"})
    return {"statusCode": status, "headers": headers, "body": json.dumps(document)}


def error(status: int, message: str, cors_origin: str) -> dict:
    """An error response: ``{"message": ...}``."""
    return response(status, {"message": message}, cors_origin)


def preflight(cors_origin: str) -> dict:
    """The answer to a CORS preflight: only the site's origin, only the API's methods and header."""
    headers = {"Access-Control-Allow-Methods": "GET,POST,OPTIONS", "Access-Control-Allow-Headers": "Content-Type",
               "Access-Control-Max-Age": "600"}
    if cors_origin:
        headers.update({"Access-Control-Allow-Origin": cors_origin, "Vary": "Origin"})
    return {"statusCode": 204, "headers": headers, "body": ""}
