"""Request-body validation against an API Gateway model (JSON Schema draft 4), worded as API Gateway words it.

A valid body (nearly every request) is accepted by a validator fastjsonschema compiled once per
schema (~25 µs instead of jsonschema's ~650 µs for the product API's ``oneOf``). A body it refuses,
or a schema it cannot compile, goes to jsonschema, which decides and whose errors this module turns
into the strings API Gateway puts in ``$context.error.validationErrorString`` (the wording of the
Java validator it runs). So jsonschema has the last word on every refusal.
"""
from __future__ import annotations

import json
import threading
from typing import Any, Callable

import referencing.exceptions
from jsonschema import Draft4Validator
from jsonschema.exceptions import SchemaError, ValidationError


def validate(instance: Any, schema: dict, root: dict | None = None) -> list[str]:
    """Every violation of ``schema`` by ``instance`` (empty when valid).

    ``root`` is the document local ``$ref``s point into (``#/definitions/X`` in a model,
    ``#/components/schemas/X`` in an OpenAPI body); by default the schema itself.
    """
    if not isinstance(schema, dict):
        return []
    accepts = _compiled(schema, root if isinstance(root, dict) else schema)
    if accepts is not None:
        try:
            accepts(instance)
            return []
        except Exception:  # noqa: BLE001 — refused (or beyond the compiled code): jsonschema decides
            pass
    try:
        validator = Draft4Validator(root if isinstance(root, dict) else schema).evolve(schema=schema)
        errors = sorted(validator.iter_errors(instance), key=lambda e: [str(p) for p in e.absolute_path])
    except SchemaError as exc:  # the model is at fault, not the request
        return [f"the model is not a valid JSON schema: {exc.message}"]
    except referencing.exceptions.Unresolvable as exc:
        return [f"the model refers to a schema it does not contain: {exc}"]
    found: list[str] = []
    for error in errors:
        message = _worded(error)
        if message not in found:
            found.append(message)
    return found


_COMPILED: dict[tuple[int, int], tuple[dict, dict, Callable | None]] = {}
_COMPILED_LOCK = threading.Lock()
_MAX_COMPILED = 256


def _compiled(schema: dict, root: dict) -> Callable | None:
    """fastjsonschema's validator for ``schema`` (local ``$ref``s into ``root``), None if it cannot compile it.

    Cached by the identity of the two documents (the API's stored body is parsed once); the entry
    keeps them alive, so an id is never reused while it is cached.
    """
    key = (id(schema), id(root))
    entry = _COMPILED.get(key)
    if entry is not None and entry[0] is schema and entry[1] is root:
        return entry[2]
    import fastjsonschema

    document = dict(schema)
    for section in ("definitions", "components"):  # where local $refs point: a model, an OpenAPI body
        if section in root and section not in schema:
            document[section] = root[section]
    document.setdefault("$schema", "http://json-schema.org/draft-04/schema#")
    try:
        accepts = fastjsonschema.compile(document)
    except Exception:  # noqa: BLE001 — any schema fastjsonschema cannot compile is left to jsonschema
        accepts = None
    with _COMPILED_LOCK:
        if len(_COMPILED) >= _MAX_COMPILED:
            _COMPILED.pop(next(iter(_COMPILED)))
        _COMPILED[key] = (schema, root, accepts)
    return accepts


def _worded(error: ValidationError) -> str:
    path = "/".join(str(p) for p in error.absolute_path)
    at = f"at instance/{path}" if path else "at object"
    value, rule = error.instance, error.validator_value
    kind = error.validator
    if kind == "type":
        allowed = rule if isinstance(rule, list) else [rule]
        return (f"instance type ({_type_name(value)}) does not match any allowed primitive type "
                f"(allowed: {_show(allowed)}) {at}")
    if kind == "enum":
        return f"instance value ({_show(value)}) not found in enum (possible values: {_show(rule)}) {at}"
    if kind == "required":
        missing = sorted(k for k in rule if isinstance(value, dict) and k not in value)
        return f"object has missing required properties ({_show(missing)}) {at}"
    if kind == "additionalProperties":
        allowed = set(error.schema.get("properties", {}))
        extra = sorted(k for k in value if k not in allowed)
        return f"object instance has properties which are not allowed by the schema: {_show(extra)} {at}"
    if kind == "minItems":
        return (f"array is too short: must have at least {rule} elements but instance has {len(value)} elements "
                f"{at}")
    if kind == "maxItems":
        return (f"array is too long: must have at most {rule} elements but instance has {len(value)} elements "
                f"{at}")
    if kind == "uniqueItems":
        return f"array must not contain duplicate elements {at}"
    if kind == "minLength":
        return f"string {_show(value)} is too short (length: {len(value)}, required minimum: {rule}) {at}"
    if kind == "maxLength":
        return f"string {_show(value)} is too long (length: {len(value)}, maximum allowed: {rule}) {at}"
    if kind == "pattern":
        return f"ECMA 262 regex {_show(rule)} does not match input string {_show(value)} {at}"
    if kind == "minimum":
        return f"numeric instance is lower than the required minimum (minimum: {rule}, found: {value}) {at}"
    if kind == "maximum":
        return f"numeric instance is greater than the required maximum (maximum: {rule}, found: {value}) {at}"
    if kind == "minProperties":
        return f"object has too few properties {at}"
    if kind == "maxProperties":
        return f"object has too many properties {at}"
    if kind == "anyOf":
        return f"instance failed to match at least one required schema among {len(rule)} {at}"
    if kind == "oneOf":
        return f"instance failed to match exactly one schema {at}"
    if kind == "not":
        return f"instance matched a schema which it should not have {at}"
    return f"{error.message} {at}"


def _type_name(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "integer" if value.is_integer() else "number"
    return {str: "string", list: "array", dict: "object"}.get(type(value), type(value).__name__)


def _show(value: Any) -> str:
    return json.dumps(value)
