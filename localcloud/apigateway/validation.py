"""Request validation for REST API methods (validators + models, or the OpenAPI body's)."""
from __future__ import annotations

import functools
import json
from typing import Any

from localcloud.apigateway.request import headers_of, query_of
from localcloud.apigateway.schema import validate

Problem = tuple[str, str, str]  # (gateway response type, message, validation error string)


def validate_request(api: Any, doc: dict | None, resource: Any, method: Any, environ: dict, body: bytes,
                     path_params: dict) -> Problem | None:
    """The first validation failure of this request, or None when it passes (or nothing is checked)."""
    rules = _from_openapi(doc, resource.get_path(), method.http_method) if doc else None
    if rules is None:
        rules = _from_method(api, method)
    if rules is None:
        return None
    check_body, check_params, schema, root, required = rules
    if check_params and required:
        headers = {k.lower() for k in headers_of(environ)}
        query = query_of(environ)
        missing = [name for where, name in required
                   if (where == "querystring" and name not in query)
                   or (where == "header" and name.lower() not in headers)
                   or (where == "path" and name not in path_params)]
        if missing:
            message = f"Missing required request parameters: [{', '.join(missing)}]"
            return "BAD_REQUEST_PARAMETERS", message, message
    if check_body and schema:
        try:
            instance = json.loads(body) if body.strip() else None
            errors = validate(instance, schema, root)
        except ValueError as exc:
            return "BAD_REQUEST_BODY", "Invalid request body", f"[Invalid JSON in request body: {exc}]"
        except RecursionError:  # API Gateway refuses such bodies too; it must not become a 500 here
            return "BAD_REQUEST_BODY", "Invalid request body", "[the JSON body nests too deeply]"
        if errors:
            return "BAD_REQUEST_BODY", "Invalid request body", "[" + ", ".join(errors) + "]"
    return None


def _from_openapi(doc: dict, resource_path: str, http_method: str):
    paths = doc.get("paths") or {}
    item = paths.get(resource_path) or {}
    operation = item.get(http_method.lower()) or item.get("x-amazon-apigateway-any-method")
    if not isinstance(operation, dict):
        return None
    name = operation.get("x-amazon-apigateway-request-validator") or doc.get("x-amazon-apigateway-request-validator")
    validators = doc.get("x-amazon-apigateway-request-validators") or {}
    if not name or name not in validators:
        return None
    validator = validators[name]
    schema = None
    content = ((operation.get("requestBody") or {}).get("content") or {})
    if content:
        schema = (content.get("application/json") or next(iter(content.values()), {})).get("schema")
    else:  # swagger 2: a body parameter
        for param in operation.get("parameters", []):
            if param.get("in") == "body":
                schema = param.get("schema")
    required = [(_place(p.get("in")), p.get("name")) for p in list(item.get("parameters", []))
                + list(operation.get("parameters", [])) if p.get("required") and p.get("in") != "body"]
    return bool(validator.get("validateRequestBody")), bool(validator.get("validateRequestParameters")), \
        schema, doc, required


def _from_method(api: Any, method: Any):
    validator_id = getattr(method, "request_validator_id", None)
    validator = (getattr(api, "request_validators", {}) or {}).get(validator_id) if validator_id else None
    if validator is None:
        return None
    schema = None
    models = getattr(method, "request_models", None) or {}
    model_name = models.get("application/json") or next(iter(models.values()), None)
    if model_name:
        model = api.models.get(model_name) or next((m for m in api.models.values() if m.name == model_name), None)
        if model is not None and model.schema:
            schema = _parsed_model(model.schema) if isinstance(model.schema, str) else model.schema
    required = []
    for key, needed in (getattr(method, "request_parameters", None) or {}).items():
        parts = key.split(".")
        if needed and len(parts) == 4:
            required.append((parts[2], parts[3]))
    return bool(validator.validate_request_body), bool(validator.validate_request_parameters), schema, \
        schema or {}, required


@functools.lru_cache(maxsize=256)
def _parsed_model(text: str) -> dict | None:
    """A model's schema, parsed once per text (one object per schema: its compiled validator is cached by identity)."""
    try:
        schema = json.loads(text)
    except ValueError:
        return None
    return schema if isinstance(schema, dict) else None


def _place(where: str | None) -> str:
    return {"query": "querystring", "header": "header", "path": "path"}.get(where or "", where or "")
