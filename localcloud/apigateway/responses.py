"""Integration responses, gateway responses and mapping-template selection for REST APIs."""
from __future__ import annotations

import json
import re
from typing import Any

from localcloud.apigateway.request import InputVariable, UtilVariable, json_path
from localcloud.apigateway.vtl import TemplateError, render
from localcloud.wsgi import Reply

DEFAULT_TYPE = "application/json"


def render_template(templates: dict | None, headers: dict[str, list[str]], scope: dict,
                    default: str | None) -> str | None:
    """Render the request template for the request's Content-Type (None: pass the body through)."""
    if not templates:
        return default
    content_type = (headers.get("Content-Type") or [DEFAULT_TYPE])[-1].split(";")[0].strip() or DEFAULT_TYPE
    template = templates.get(content_type, templates.get(DEFAULT_TYPE))
    if template is None:
        return default
    return render(template, scope)


def integration_reply(integration: Any, backend_status: str, backend_body: bytes, scope: dict,
                      headers: dict[str, list[str]]) -> Reply:
    """Map a backend answer through the integration response its status selects."""
    responses = dict(integration.integration_responses or {})
    chosen = None
    for response in responses.values():
        pattern = response.selection_pattern
        if pattern and re.fullmatch(pattern, backend_status, re.S):
            chosen = response
            break
    if chosen is None:
        chosen = next((r for r in responses.values() if not r.selection_pattern), None)
    if chosen is None:
        return Reply(int(backend_status) if backend_status.isdigit() else 200, backend_body)
    out_scope = dict(scope, input=InputVariable(backend_body, {}, {}, {}))
    out_headers = {}
    for key, value in (chosen.response_parameters or {}).items():
        if key.startswith("method.response.header."):
            out_headers[key[len("method.response.header."):]] = _parameter_value(value, backend_body)
    templates = chosen.response_templates or {}
    accept = (headers.get("Accept") or [DEFAULT_TYPE])[-1].split(",")[0].split(";")[0].strip()
    template = templates.get(accept) or templates.get(DEFAULT_TYPE)
    try:
        body = render(template, out_scope).encode() if template else backend_body
    except TemplateError:
        body = json.dumps({"message": "Internal server error"}).encode()
        return Reply(500, body, out_headers)
    out_headers.setdefault("Content-Type", DEFAULT_TYPE)
    return Reply(int(chosen.status_code), body, out_headers)


def _parameter_value(value: str, backend_body: bytes) -> str:
    if value.startswith("'") and value.endswith("'"):
        return value[1:-1]
    if value.startswith("integration.response.body"):
        try:
            doc = json.loads(backend_body)
        except ValueError:
            return ""
        found = json_path(doc, "$" + value[len("integration.response.body"):])
        return found if isinstance(found, str) else json.dumps(found)
    return value


def gateway_error(api: Any, doc: dict | None, response_type: str, status: int, message: str,
                  ctx: dict) -> Reply:
    """An error answered by the gateway itself, customised by the API's gateway responses."""
    ctx.setdefault("error", {}).update(message=message, messageString=json.dumps(message),
                                       responseType=response_type)
    ctx["error"].setdefault("validationErrorString", "")
    family = "DEFAULT_4XX" if status < 500 else "DEFAULT_5XX"
    config = _gateway_response(api, doc, response_type) or _gateway_response(api, doc, family) or {}
    code = int(config.get("statusCode") or status)
    headers = {"x-amzn-RequestId": ctx.get("requestId", ""), "x-amzn-ErrorType": _error_type(response_type)}
    for key, value in (config.get("responseParameters") or {}).items():
        if key.startswith("gatewayresponse.header."):
            headers[key[len("gatewayresponse.header."):]] = value.strip("'")
    template = (config.get("responseTemplates") or {}).get(DEFAULT_TYPE)
    scope = {"context": ctx, "util": UtilVariable(), "stageVariables": {}}
    try:
        body = render(template, scope) if template else json.dumps({"message": message})
    except TemplateError:
        body = json.dumps({"message": message})
    headers.setdefault("Content-Type", DEFAULT_TYPE)
    return Reply(code, body, headers)


def _gateway_response(api: Any, doc: dict | None, response_type: str) -> dict | None:
    if doc:
        found = (doc.get("x-amazon-apigateway-gateway-responses") or {}).get(response_type)
        if found:
            return found
    found = getattr(api, "gateway_responses", {}).get(response_type)
    if found is None:
        return None
    return {"statusCode": found.status_code, "responseParameters": found.response_parameters or {},
            "responseTemplates": found.response_templates or {}}


def _error_type(response_type: str) -> str:
    return {"MISSING_AUTHENTICATION_TOKEN": "IncompleteSignatureException",
            "BAD_REQUEST_BODY": "BadRequestException",
            "BAD_REQUEST_PARAMETERS": "BadRequestException"}.get(response_type, "InternalServerErrorException")
