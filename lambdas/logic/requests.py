"""Checking what clients send, with messages a person can act on."""
from __future__ import annotations

import base64
import binascii
import json
import math
import re
from typing import Any

from lambdas.errors import ValidationError

MODES = ("products", "metadata", "both")
CHOSEN_ITEMS = 5
MAX_K = 50
EVENT_TYPES = ("click", "like", "dismiss")
REQUEST_ID = re.compile(r"[0-9a-f]{32}")


def parse_body(body: str | None, is_base64: bool, max_bytes: int) -> dict:
    """Decode a JSON object body, refusing empty, oversized or malformed ones."""
    if body is None or body == "":
        raise ValidationError("the request needs a JSON body")
    raw = body.encode("utf-8") if isinstance(body, str) else body
    if is_base64:
        try:
            raw = base64.b64decode(raw, validate=True)
        except (binascii.Error, ValueError):
            raise ValidationError("the request body is not valid base64") from None
    if len(raw) > max_bytes:
        raise ValidationError(f"the request body is {len(raw):,} bytes; send at most {max_bytes:,} bytes")
    try:
        document = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ValidationError(f"the request body is not valid JSON ({error})") from None
    if not isinstance(document, dict):
        raise ValidationError("the request body must be a JSON object")
    return document


def _field_value(field: dict, value: Any) -> Any:
    name, kind = field["name"], field.get("type")
    if kind == "categorical":
        allowed = [str(v) for v in field.get("values") or []]
        if not isinstance(value, str) or value not in allowed:
            raise ValidationError(f"{name} must be one of {', '.join(allowed)}; you sent {value!r}")
        return value
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ValidationError(f"{name} must be a number; you sent {value!r}")
    if kind == "integer":
        if float(value) != int(value):
            raise ValidationError(f"{name} must be a whole number; you sent {value!r}")
        value = int(value)
    low, high = field.get("minimum"), field.get("maximum")
    if (low is not None and value < low) or (high is not None and value > high):
        raise ValidationError(f"{name} must be between {low:g} and {high:g}; you sent {value!r}")
    return value


def _metadata(metadata: Any, schema: list[dict]) -> dict:
    if not isinstance(metadata, dict) or not metadata:
        raise ValidationError("give at least one metadata field; GET /metadata-schema lists them")
    fields = {field["name"]: field for field in schema}
    clean = {}
    for name, value in metadata.items():
        if name not in fields:
            raise ValidationError(f"unknown metadata field {name!r}; known fields: {', '.join(fields)}")
        clean[name] = _field_value(fields[name], value)
    return clean


def _items(items: Any, known: set[str]) -> list[str]:
    if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
        raise ValidationError(f"items must be a list of {CHOSEN_ITEMS} product ids")
    if len(items) != CHOSEN_ITEMS:
        raise ValidationError(f"choose exactly {CHOSEN_ITEMS} products; you sent {len(items)}")
    repeated = sorted({i for i in items if items.count(i) > 1})
    if repeated:
        raise ValidationError(f"choose {CHOSEN_ITEMS} different products; {', '.join(repeated)} appears more than once")
    unknown = [i for i in items if i not in known]
    if unknown:
        raise ValidationError(f"unknown product id {unknown[0]!r}; GET /products lists the catalogue")
    return list(items)


def recommendation_request(request: Any, model: Any) -> dict:
    """Check a POST /recommendations body against the model.

    Returns
    -------
    dict
        ``{"mode", "items", "metadata", "k"}`` normalised.

    Raises
    ------
    ValidationError
        Naming the first problem found.
    """
    if not isinstance(request, dict):
        raise ValidationError("the request body must be a JSON object")
    extra = sorted(set(request) - {"mode", "items", "metadata", "k"})
    if extra:
        raise ValidationError(f"unknown field {extra[0]!r}; send mode, items, metadata and k")
    mode = request.get("mode")
    if mode not in MODES:
        raise ValidationError(f"mode must be one of {', '.join(MODES)}; you sent {mode!r}")
    k = request.get("k", 10)
    if isinstance(k, bool) or not isinstance(k, int) or not 1 <= k <= MAX_K:
        raise ValidationError(f"k must be a whole number between 1 and {MAX_K}; you sent {k!r}")
    items: list[str] = []
    metadata: dict = {}
    if mode in ("products", "both"):
        known = {str(item["item_id"]) for item in model.catalogue()}
        items = _items(request.get("items"), known)
    elif request.get("items"):
        raise ValidationError("mode metadata takes no items; use mode both to send products and metadata")
    if mode in ("metadata", "both"):
        metadata = _metadata(request.get("metadata"), list(model.metadata_schema()))
    elif request.get("metadata"):
        raise ValidationError("mode products takes no metadata; use mode both to send products and metadata")
    return {"mode": mode, "items": items, "metadata": metadata, "k": k}


def event_request(request: dict, model: Any) -> dict:
    """Check a POST /events body; returns ``{"request_id", "item_id", "event_type"}``."""
    extra = sorted(set(request) - {"request_id", "item_id", "event_type"})
    if extra:
        raise ValidationError(f"unknown field {extra[0]!r}; send request_id, item_id and event_type")
    request_id, item_id, event_type = (request.get(k) for k in ("request_id", "item_id", "event_type"))
    if not isinstance(request_id, str) or not REQUEST_ID.fullmatch(request_id):
        raise ValidationError("request_id must be the 32-hex-character id POST /recommendations answered")
    if event_type not in EVENT_TYPES:
        raise ValidationError(f"event_type must be one of {', '.join(EVENT_TYPES)}; you sent {event_type!r}")
    known = {str(item["item_id"]) for item in model.catalogue()}
    if not isinstance(item_id, str) or item_id not in known:
        raise ValidationError(f"unknown product id {item_id!r}; GET /products lists the catalogue")
    return {"request_id": request_id, "item_id": item_id, "event_type": event_type}
