"""JSON Schema draft 4 (the subset API Gateway models use), with API Gateway's error wording."""
from __future__ import annotations

import re
from typing import Any

_TYPES = {
    "object": lambda v: isinstance(v, dict), "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str), "boolean": lambda v: isinstance(v, bool),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool) or (isinstance(v, float) and v.is_integer()),
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool), "null": lambda v: v is None,
}


def validate(instance: Any, schema: dict, root: dict | None = None, where: str = "") -> list[str]:
    """Every violation of ``schema`` by ``instance`` (empty when valid)."""
    root = root if root is not None else schema
    if not isinstance(schema, dict):
        return []
    if "$ref" in schema:
        return validate(instance, resolve(schema["$ref"], root), root, where)
    errors: list[str] = []
    at = f"instance{where}" if where else "object"
    kind = schema.get("type")
    if kind is not None:
        kinds = kind if isinstance(kind, list) else [kind]
        if not any(_TYPES.get(k, lambda v: True)(instance) for k in kinds):
            found = _type_name(instance)
            return [f"instance type ({found}) does not match any allowed primitive type "
                    f"(allowed: {[k for k in kinds]}) at {at}".replace("'", '"')]
    if "enum" in schema and instance not in schema["enum"]:
        errors.append(f"instance value ({_show(instance)}) not found in enum (possible values: "
                      f"{_show(schema['enum'])}) at {at}")
    if isinstance(instance, dict):
        missing = [k for k in schema.get("required", []) if k not in instance]
        if missing:
            errors.append(f"object has missing required properties ({_show(sorted(missing))}) at {at}")
        props = schema.get("properties", {})
        extra = schema.get("additionalProperties", True)
        unknown = [k for k in instance if k not in props and not _pattern_prop(k, schema)]
        if extra is False and unknown:
            errors.append(f"object instance has properties which are not allowed by the schema: "
                          f"{_show(sorted(unknown))} at {at}")
        for key, value in instance.items():
            if key in props:
                errors += validate(value, props[key], root, f"{where}/{key}")
            elif isinstance(extra, dict):
                errors += validate(value, extra, root, f"{where}/{key}")
        if "minProperties" in schema and len(instance) < schema["minProperties"]:
            errors.append(f"object has too few properties at {at}")
        if "maxProperties" in schema and len(instance) > schema["maxProperties"]:
            errors.append(f"object has too many properties at {at}")
    if isinstance(instance, list):
        if "minItems" in schema and len(instance) < schema["minItems"]:
            errors.append(f"array is too short: must have at least {schema['minItems']} elements but instance "
                          f"has {len(instance)} elements at {at}")
        if "maxItems" in schema and len(instance) > schema["maxItems"]:
            errors.append(f"array is too long: must have at most {schema['maxItems']} elements but instance "
                          f"has {len(instance)} elements at {at}")
        if schema.get("uniqueItems") and len({repr(x) for x in instance}) != len(instance):
            errors.append(f"array must not contain duplicate elements at {at}")
        items = schema.get("items")
        if isinstance(items, dict):
            for i, item in enumerate(instance):
                errors += validate(item, items, root, f"{where}/{i}")
    if isinstance(instance, str):
        if "minLength" in schema and len(instance) < schema["minLength"]:
            errors.append(f"string {_show(instance)} is too short (length: {len(instance)}, required minimum: "
                          f"{schema['minLength']}) at {at}")
        if "maxLength" in schema and len(instance) > schema["maxLength"]:
            errors.append(f"string {_show(instance)} is too long (length: {len(instance)}, maximum allowed: "
                          f"{schema['maxLength']}) at {at}")
        if "pattern" in schema and not re.search(schema["pattern"], instance):
            errors.append(f"ECMA 262 regex {_show(schema['pattern'])} does not match input string "
                          f"{_show(instance)} at {at}")
    if _TYPES["number"](instance):
        low, high = schema.get("minimum"), schema.get("maximum")
        if low is not None and (instance < low or (schema.get("exclusiveMinimum") is True and instance == low)):
            errors.append(f"numeric instance is lower than the required minimum (minimum: {low}, found: "
                          f"{instance}) at {at}")
        if high is not None and (instance > high or (schema.get("exclusiveMaximum") is True and instance == high)):
            errors.append(f"numeric instance is greater than the required maximum (maximum: {high}, found: "
                          f"{instance}) at {at}")
    for sub in schema.get("allOf", []):
        errors += validate(instance, sub, root, where)
    if "anyOf" in schema and all(validate(instance, s, root, where) for s in schema["anyOf"]):
        errors.append(f"instance failed to match at least one required schema among {len(schema['anyOf'])} at {at}")
    if "oneOf" in schema:
        matches = sum(1 for s in schema["oneOf"] if not validate(instance, s, root, where))
        if matches != 1:
            errors.append(f"instance failed to match exactly one schema (matched {matches} out of "
                          f"{len(schema['oneOf'])}) at {at}")
    if "not" in schema and not validate(instance, schema["not"], root, where):
        errors.append(f"instance matched a schema which it should not have at {at}")
    return errors


def resolve(ref: str, root: dict) -> dict:
    """Follow a local ``$ref`` (``#/definitions/X``, ``#/components/schemas/X``)."""
    if not ref.startswith("#/"):
        return {}
    node: Any = root
    for part in ref[2:].split("/"):
        node = node.get(part.replace("~1", "/").replace("~0", "~"), {}) if isinstance(node, dict) else {}
    return node if isinstance(node, dict) else {}


def _pattern_prop(key: str, schema: dict) -> bool:
    return any(re.search(p, key) for p in schema.get("patternProperties", {}))


def _type_name(value: Any) -> str:
    for name in ("null", "boolean", "integer", "number", "string", "array", "object"):
        if _TYPES[name](value):
            return name
    return type(value).__name__


def _show(value: Any) -> str:
    import json

    return json.dumps(value)
