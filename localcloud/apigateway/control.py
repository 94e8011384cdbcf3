"""API Gateway control calls the middleware adjusts: PutRestApi / ImportRestApi bodies, DeleteRestApi."""
from __future__ import annotations

import io
import json
import re
from typing import Callable

from localcloud.apigateway import store
from localcloud.wsgi import Reply, account_of, aws_json_error, read_body, region_of

REST_API_DOC = re.compile(r"^/restapis/(?P<api>[^/]+)/?$")


def handle(environ: dict, forward: Callable[[dict], Reply], documents: store.OpenApiStore) -> Reply:
    """Keep the OpenAPI body Terraform sends, so validators and models can be honoured."""
    path = environ.get("PATH_INFO", "") or "/"
    method = environ.get("REQUEST_METHOD", "GET")
    match = REST_API_DOC.match(path)
    is_put = match is not None and method == "PUT"
    is_import = path.rstrip("/") == "/restapis" and method == "POST" and "mode=import" in environ.get(
        "QUERY_STRING", "")
    if not (is_put or is_import):
        reply = forward(environ)
        if match and method == "DELETE" and reply.status < 300:
            documents.forget(match["api"])
        return reply
    body = read_body(environ)
    doc = store.parse_document(body)
    if doc is not None and isinstance(doc.get("paths"), dict):
        patched = json.dumps(store.normalise_for_moto(doc)).encode()
        environ["localcloud.body"], environ["wsgi.input"] = patched, io.BytesIO(patched)
        environ["CONTENT_LENGTH"] = str(len(patched))
    reply = forward(environ)
    if reply.status >= 500:  # a 5xx makes Terraform retry for minutes; the document is at fault
        try:
            detail = json.loads(reply.body).get("message", "")
        except (ValueError, AttributeError):
            detail = reply.body[:300].decode("utf-8", "replace")
        return aws_json_error(400, "BadRequestException",
                              f"the local cloud could not import this OpenAPI document: {detail}")
    if reply.status < 300:
        try:
            api_id = match["api"] if is_put else json.loads(reply.body)["id"]
        except (ValueError, KeyError, TypeError):
            return reply
        documents.remember(api_id, body, environ.get("QUERY_STRING", ""))
        _coalesce(environ, api_id)
    return reply


def _coalesce(environ: dict, api_id: str) -> None:
    """Fold the duplicate resources moto's PutRestApi leaves behind (see store.coalesce_resources)."""
    from moto.apigateway.models import apigateway_backends

    api = apigateway_backends[account_of(environ)][region_of(environ)].apis.get(api_id)
    if api is not None:
        store.coalesce_resources(api)
