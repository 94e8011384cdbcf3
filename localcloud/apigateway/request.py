"""Pieces of an API Gateway REST invocation: route matching, the proxy event, template variables."""
from __future__ import annotations

import base64
import json
import re
import time
import urllib.parse
from typing import Any


def match_resource(api: Any, path: str) -> tuple[Any, dict[str, str]] | None:
    """The resource whose path template matches ``path`` (exact > {param} > {proxy+})."""
    parts = [urllib.parse.unquote(p) for p in path.strip("/").split("/") if p]
    best: tuple[tuple, Any, dict] | None = None
    for resource in list(api.resources.values()):
        template = [p for p in resource.get_path().strip("/").split("/") if p]
        params = _match(template, parts)
        if params is None:
            continue
        rank = tuple(2 if not t.startswith("{") else (0 if t.endswith("+}") else 1) for t in template)
        if best is None or rank > best[0]:
            best = (rank, resource, params)
    return (best[1], best[2]) if best else None


def _match(template: list[str], parts: list[str]) -> dict[str, str] | None:
    params: dict[str, str] = {}
    for i, piece in enumerate(template):
        if piece.startswith("{") and piece.endswith("+}"):
            if i >= len(parts):
                return None
            params[piece[1:-2]] = "/".join(parts[i:])
            return params
        if i >= len(parts):
            return None
        if piece.startswith("{") and piece.endswith("}"):
            params[piece[1:-1]] = parts[i]
        elif piece != parts[i]:
            return None
    return params if len(template) == len(parts) else None


def headers_of(environ: dict) -> dict[str, list[str]]:
    """Request headers by their usual spelling (``Content-Type``), all values kept."""
    found: dict[str, list[str]] = {}
    for key, value in environ.items():
        if key.startswith("HTTP_"):
            name = "-".join(w.capitalize() for w in key[5:].split("_"))
        elif key in ("CONTENT_TYPE", "CONTENT_LENGTH") and value:
            name = "-".join(w.capitalize() for w in key.split("_"))
        else:
            continue
        found.setdefault(name, []).append(str(value))
    return found


def query_of(environ: dict) -> dict[str, list[str]]:
    return urllib.parse.parse_qs(environ.get("QUERY_STRING", ""), keep_blank_values=True)


def request_context(api: Any, stage: str, resource: Any, method: str, path: str, request_id: str,
                    environ: dict) -> dict:
    now = time.time()
    return {
        "resourceId": resource.id, "resourcePath": resource.get_path(), "httpMethod": method,
        "extendedRequestId": request_id, "requestId": request_id,
        "requestTime": time.strftime("%d/%b/%Y:%H:%M:%S +0000", time.gmtime(now)),
        "requestTimeEpoch": int(now * 1000), "path": f"/{stage}{path}", "accountId": api.account_id,
        "protocol": environ.get("SERVER_PROTOCOL", "HTTP/1.1"), "stage": stage, "domainPrefix": api.id,
        "domainName": environ.get("HTTP_HOST", "127.0.0.1"), "apiId": api.id,
        "identity": {"sourceIp": environ.get("REMOTE_ADDR", "127.0.0.1"), "userAgent": environ.get("HTTP_USER_AGENT"),
                     "accessKey": None, "accountId": None, "caller": None, "user": None, "userArn": None,
                     "cognitoIdentityId": None, "cognitoIdentityPoolId": None},
    }


def proxy_event(context: dict, resource_path: str, path: str, method: str, environ: dict,
                path_params: dict[str, str], stage_vars: dict, body: bytes) -> dict:
    """The AWS_PROXY (payload format 1.0) event a Lambda receives."""
    headers = headers_of(environ)
    query = query_of(environ)
    text, encoded = _body_text(body, headers)
    return {
        "resource": resource_path, "path": path, "httpMethod": method,
        "headers": {k: v[-1] for k, v in headers.items()} or None,
        "multiValueHeaders": headers or None,
        "queryStringParameters": {k: v[-1] for k, v in query.items()} or None,
        "multiValueQueryStringParameters": query or None,
        "pathParameters": path_params or None, "stageVariables": stage_vars or None,
        "requestContext": context, "body": text, "isBase64Encoded": encoded,
    }


def _body_text(body: bytes, headers: dict[str, list[str]]) -> tuple[str | None, bool]:
    if not body:
        return None, False
    try:
        return body.decode("utf-8"), False
    except UnicodeDecodeError:
        return base64.b64encode(body).decode(), True


class InputVariable:
    """``$input`` in mapping templates."""

    def __init__(self, body: bytes, path_params: dict, query: dict, headers: dict):
        self.body = body.decode("utf-8", "replace")
        self._params = {"path": path_params, "querystring": {k: v[-1] for k, v in query.items()},
                        "header": {k: v[-1] for k, v in headers.items()}}

    def _doc(self) -> Any:
        try:
            return json.loads(self.body) if self.body.strip() else {}
        except ValueError:
            return {}

    def json(self, path: str = "$") -> str:
        return json.dumps(json_path(self._doc(), path))

    def path(self, path: str = "$") -> Any:
        return json_path(self._doc(), path)

    def params(self, name: str | None = None) -> Any:
        if name is None:
            return self._params
        for place in ("path", "querystring", "header"):
            if name in self._params[place]:
                return self._params[place][name]
        return ""


class UtilVariable:
    """``$util`` in mapping templates."""

    @staticmethod
    def escapeJavaScript(value: Any) -> str:  # noqa: N802 - the name API Gateway gives it
        text = value if isinstance(value, str) else json.dumps(value)
        return json.dumps(text)[1:-1].replace("\\u0027", "'")

    @staticmethod
    def parseJson(value: str) -> Any:  # noqa: N802
        try:
            return json.loads(value)
        except (TypeError, ValueError):
            return None

    @staticmethod
    def urlEncode(value: str) -> str:  # noqa: N802
        return urllib.parse.quote_plus(str(value))

    @staticmethod
    def urlDecode(value: str) -> str:  # noqa: N802
        return urllib.parse.unquote_plus(str(value))

    @staticmethod
    def base64Encode(value: str) -> str:  # noqa: N802
        return base64.b64encode(str(value).encode()).decode()

    @staticmethod
    def base64Decode(value: str) -> str:  # noqa: N802
        return base64.b64decode(str(value)).decode("utf-8", "replace")


def json_path(doc: Any, path: str) -> Any:
    """A JSONPath subset: ``$``, ``$.a.b``, ``$['a']``, ``$.a[0]``."""
    if not path or path == "$":
        return doc
    node = doc
    for key, index in re.findall(r"\.([^.\[\]]+)|\[['\"]?([^\]'\"]+)['\"]?\]", path[1:]):
        token = key or index
        if isinstance(node, list):
            try:
                node = node[int(token)]
            except (ValueError, IndexError):
                return None
        elif isinstance(node, dict):
            node = node.get(token)
        else:
            return None
    return node
