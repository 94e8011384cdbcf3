"""Avro schemas as Personalize checks them: at CreateSchema (the JSON) and at CreateDataset (the type)."""
from __future__ import annotations

import json
import re
from typing import Any

from localcloud.personalize.errors import InvalidInput

TYPES = {"string", "int", "long", "float", "double", "boolean", "null"}
FIELD_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
#: Required fields (and their types) and the most metadata fields, per dataset type.
REQUIRED = {"INTERACTIONS": {"USER_ID": {"string"}, "ITEM_ID": {"string"}, "TIMESTAMP": {"long"}},
            "USERS": {"USER_ID": {"string"}}, "ITEMS": {"ITEM_ID": {"string"}}}
RESERVED = {"INTERACTIONS": {"USER_ID", "ITEM_ID", "TIMESTAMP", "EVENT_TYPE", "EVENT_VALUE", "IMPRESSION",
                             "RECOMMENDATION_ID"},
            "USERS": {"USER_ID"}, "ITEMS": {"ITEM_ID", "CREATION_TIMESTAMP"}}
MAX_METADATA = {"INTERACTIONS": 5, "USERS": 25, "ITEMS": 50}


def parse(text: str) -> dict[str, dict]:
    """Check an Avro record schema; return its fields by upper-cased name (schema order)."""
    try:
        doc = json.loads(text)
    except ValueError as exc:
        raise InvalidInput(f"The schema is not valid JSON: {exc}") from None
    if not isinstance(doc, dict) or doc.get("type") != "record":
        raise InvalidInput('The schema must be an Avro record: {"type": "record", "name": ..., "fields": [...]}')
    if not isinstance(doc.get("name"), str) or not doc["name"]:
        raise InvalidInput("The Avro record needs a name")
    fields = doc.get("fields")
    if not isinstance(fields, list) or not fields:
        raise InvalidInput("The Avro record needs a non-empty fields list")
    found: dict[str, dict] = {}
    for field in fields:
        name = field.get("name") if isinstance(field, dict) else None
        if not isinstance(name, str) or not FIELD_NAME.match(name):
            raise InvalidInput(f"Invalid field name {name!r}: use letters, digits and underscores, "
                               "starting with a letter or underscore")
        if name.upper() in found:
            raise InvalidInput(f"The field {name} appears twice")
        kinds = field.get("type")
        kinds = kinds if isinstance(kinds, list) else [kinds]
        if not kinds or any(k not in TYPES for k in kinds) or kinds == ["null"]:
            raise InvalidInput(f"Field {name}: type {field.get('type')!r} is not one of string, int, long, float, "
                               "double, boolean (or a union with null)")
        base = [k for k in kinds if k != "null"]
        for flag in ("categorical", "textual"):
            if field.get(flag) and base != ["string"]:
                raise InvalidInput(f"Field {name}: only string fields can be {flag}")
        found[name.upper()] = field
    return found


def base_type(field: dict) -> str:
    kinds = field.get("type")
    kinds = kinds if isinstance(kinds, list) else [kinds]
    return next(k for k in kinds if k != "null")


def nullable(field: dict) -> bool:
    kinds = field.get("type")
    return isinstance(kinds, list) and "null" in kinds


def check_for_dataset(fields: dict[str, dict], dataset_type: str) -> None:
    """The checks CreateDataset makes: required fields with their types, metadata limits."""
    for name, types in REQUIRED[dataset_type].items():
        if name not in fields:
            raise InvalidInput(f"The schema is missing the required field {name} for a {dataset_type} dataset")
        if base_type(fields[name]) not in types or nullable(fields[name]):
            raise InvalidInput(f"Field {name} of a {dataset_type} dataset must be of type "
                               f"{' or '.join(sorted(types))}, not null")
    metadata = [n for n in fields if n not in RESERVED[dataset_type]]
    if dataset_type in ("USERS", "ITEMS") and not metadata:
        raise InvalidInput(f"A {dataset_type} schema needs at least one metadata field besides "
                           f"{', '.join(sorted(REQUIRED[dataset_type]))}")
    if len(metadata) > MAX_METADATA[dataset_type]:
        raise InvalidInput(f"A {dataset_type} schema can have at most {MAX_METADATA[dataset_type]} metadata fields; "
                           f"this one has {len(metadata)}")


def property_key(field_name: str) -> str:
    """The camelCase key PutUsers / PutItems properties use for a schema field (``CUSTOMER_TENURE`` → ``customerTenure``)."""
    head, *rest = field_name.lower().split("_")
    return head + "".join(part.capitalize() for part in rest)


def coerce(value: Any, field: dict, where: str) -> Any:
    """A CSV cell or a property value as the field's type (None for an empty nullable one)."""
    kind = base_type(field)
    if value is None or (isinstance(value, str) and value == ""):
        if nullable(field) or kind == "string":
            return None if nullable(field) else ""
        raise InvalidInput(f"{where}: a value is required (the field is not nullable)")
    try:
        if kind in ("int", "long"):
            number = float(value)
            if number != int(number):
                raise ValueError
            return int(number)
        if kind in ("float", "double"):
            return float(value)
        if kind == "boolean":
            if isinstance(value, bool):
                return value
            if str(value).lower() in ("true", "false"):
                return str(value).lower() == "true"
            raise ValueError
    except (TypeError, ValueError):
        raise InvalidInput(f"{where}: {value!r} is not a valid {kind}") from None
    return str(value)
