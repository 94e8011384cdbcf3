"""The one check of what clients send: the cleaned request, or an error that says what to fix.

API Gateway checks the shape first with the same limits, declared in the API document
(``terraform/modules/api/openapi.yaml.tftpl``; ``tests/contract`` keeps the two equal).
Here the same limits are enforced again for callers that bypass the gateway, and the model
decides what only it knows (product ids, metadata fields and their values):

- shape problems raise :class:`Malformed` (400), an oversized body :class:`TooLarge` (413);
- well-formed requests naming what the model does not know raise :class:`Unprocessable` (422).
"""
from __future__ import annotations

import base64
import binascii
import json
import math
import re
from typing import Any

from lambdas.errors import Malformed, NotFound, TooLarge, Unprocessable

MODES = ("products", "metadata", "both")
CHOSEN_ITEMS = 5  # the product rule: exactly 5 different products (DESIGN.md), in products and both modes
DEFAULT_K = 10
MAX_K = 50
MAX_ID_LENGTH = 128
MAX_METADATA_FIELDS = 50
MAX_VALUE_LENGTH = 100
EVENT_TYPES = ("click", "like", "dismiss")
REQUEST_ID = re.compile(r"[0-9a-f]{32}")
PRODUCT_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:-]*")


def _shown(value: Any, limit: int = 40) -> str:
    """A short, printable rendering of what the client sent (never the whole of a huge value)."""
    text = repr(value)
    return text if len(text) <= limit else text[:limit] + "…"


def parse_body(body: str | None, is_base64: bool, max_bytes: int) -> dict:
    """Decode a JSON object body, refusing empty, oversized, malformed or too deeply nested ones."""
    if body is None or body == "":
        raise Malformed("the request needs a JSON body")
    raw = body.encode("utf-8", "surrogatepass") if isinstance(body, str) else body
    if is_base64:
        try:
            raw = base64.b64decode(raw, validate=True)
        except (binascii.Error, ValueError):
            raise Malformed("the request body is not valid base64") from None
    if len(raw) > max_bytes:
        raise TooLarge(f"the request body is {len(raw):,} bytes; send at most {max_bytes:,} bytes")
    try:
        document = json.loads(raw)
    except UnicodeDecodeError:
        raise Malformed("the request body is not UTF-8 text; send JSON encoded as UTF-8") from None
    except json.JSONDecodeError as error:
        raise Malformed(f"the request body is not valid JSON ({error.msg} at character {error.pos})") from None
    except RecursionError:
        raise Malformed("the request body nests too deeply; send a flat JSON object") from None
    if not isinstance(document, dict):
        raise Malformed("the request body must be a JSON object")
    return document


def _field_value(field: dict, value: Any) -> Any:
    """A metadata value as the model takes it. As in Personalize, a categorical value the model has not
    seen (a new postal code) counts as missing, and a number beyond the training range as the nearest
    range: neither is an error."""
    name, kind = field["name"], field.get("type")
    where = f"metadata.{name}"
    if kind == "categorical":
        if not isinstance(value, str):
            raise Unprocessable(f"{name} takes text; you sent {_shown(value)}", where)
        return value
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise Unprocessable(f"{name} must be a number; you sent {_shown(value)}", where)
    if kind == "integer":
        if float(value) != int(value):
            raise Unprocessable(f"{name} must be a whole number; you sent {_shown(value)}", where)
        value = int(value)
    return value


def _metadata(metadata: Any, schema: list[dict]) -> dict:
    if not isinstance(metadata, dict) or not metadata:
        raise Malformed("give at least one metadata field as an object; GET /metadata-schema lists them",
                        "metadata")
    if len(metadata) > MAX_METADATA_FIELDS:
        raise Malformed(f"metadata has {len(metadata):,} fields; send at most {MAX_METADATA_FIELDS}", "metadata")
    for name, value in metadata.items():
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            raise Malformed(f"metadata.{_shown(name)} must be a string or a number", f"metadata.{name}")
        if isinstance(value, str) and len(value) > MAX_VALUE_LENGTH:
            raise Malformed(f"metadata values are at most {MAX_VALUE_LENGTH} characters", f"metadata.{name}")
    fields = {field["name"]: field for field in schema}
    clean = {}
    for name, value in metadata.items():
        if name not in fields:
            raise Unprocessable(f"unknown metadata field {_shown(name)}; known fields: {', '.join(fields)}",
                                f"metadata.{name}")
        clean[name] = _field_value(fields[name], value)
    return clean


def _items(items: Any, known: set[str]) -> list[str]:
    if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
        raise Malformed(f"items must be a list of {CHOSEN_ITEMS} product ids", "items")
    if len(items) != CHOSEN_ITEMS:
        raise Malformed(f"choose exactly {CHOSEN_ITEMS} products; you sent {len(items)}", "items")
    bad = next((i for i in items if len(i) > MAX_ID_LENGTH or not PRODUCT_ID.fullmatch(i)), None)
    if bad is not None:
        raise Malformed(f"product ids are 1-{MAX_ID_LENGTH} letters, digits, '_', '.', ':' or '-'; "
                        f"you sent {_shown(bad)}", "items")
    repeated = sorted({i for i in items if items.count(i) > 1})
    if repeated:
        raise Malformed(f"choose {CHOSEN_ITEMS} different products; {', '.join(repeated)} appears more than once",
                        "items")
    unknown = [i for i in items if i not in known]
    if unknown:
        raise Unprocessable(f"unknown product id {_shown(unknown[0])}; GET /products lists the catalogue", "items")
    return list(items)


def recommendation_request(request: Any, model: Any) -> dict:
    """Check a POST /recommendations body against the contract and the model.

    Returns
    -------
    dict
        ``{"mode", "items", "metadata", "k"}`` normalised.

    Raises
    ------
    Malformed, Unprocessable
        Naming the first problem found and the field at fault.
    """
    if not isinstance(request, dict):
        raise Malformed("the request body must be a JSON object")
    mode = request.get("mode")
    if mode not in MODES:
        raise Malformed(f"mode must be one of {', '.join(MODES)}; you sent {_shown(mode)}", "mode")
    takes = {"mode", "k"} | ({"items"} if mode != "metadata" else set()) | ({"metadata"} if mode != "products"
                                                                           else set())
    extra = sorted(set(request) - takes)
    if extra:
        hint = ("use mode both to send products and metadata" if extra[0] in ("items", "metadata")
                else f"send {', '.join(sorted(takes))}")
        raise Malformed(f"mode {mode} takes no field {_shown(extra[0])}; {hint}", extra[0])
    k = request.get("k", DEFAULT_K)
    if isinstance(k, bool) or not isinstance(k, int) or not 1 <= k <= MAX_K:
        raise Malformed(f"k must be a whole number between 1 and {MAX_K}; you sent {_shown(k)}", "k")
    items: list[str] = []
    metadata: dict = {}
    if mode in ("products", "both"):
        items = _items(request.get("items"), {str(item["item_id"]) for item in model.catalogue()})
    if mode in ("metadata", "both"):
        metadata = _metadata(request.get("metadata"), list(model.metadata_schema()))
    return {"mode": mode, "items": items, "metadata": metadata, "k": k}


def request_id(value: Any) -> str:
    """A recommendation id from a path; NotFound (not a 400) for anything that cannot be one."""
    text = value.strip() if isinstance(value, str) else ""
    if not REQUEST_ID.fullmatch(text):
        raise NotFound(f"no recommendation with id {_shown(text)}; ids are the 32 hex characters "
                       "POST /recommendations answered", "request_id")
    return text


def event_request(request: dict, model: Any) -> dict:
    """Check a POST /events body; returns ``{"request_id", "item_id", "event_type"}``."""
    extra = sorted(set(request) - {"request_id", "item_id", "event_type"})
    if extra:
        raise Malformed(f"unknown field {_shown(extra[0])}; send request_id, item_id and event_type", extra[0])
    rid, item_id, event_type = (request.get(k) for k in ("request_id", "item_id", "event_type"))
    if not isinstance(rid, str) or not REQUEST_ID.fullmatch(rid):
        raise Malformed("request_id must be the 32-hex-character id POST /recommendations answered", "request_id")
    if event_type not in EVENT_TYPES:
        raise Malformed(f"event_type must be one of {', '.join(EVENT_TYPES)}; you sent {_shown(event_type)}",
                        "event_type")
    if not isinstance(item_id, str) or len(item_id) > MAX_ID_LENGTH or not PRODUCT_ID.fullmatch(item_id):
        raise Malformed(f"item_id must be a product id of 1-{MAX_ID_LENGTH} characters; you sent "
                        f"{_shown(item_id)}", "item_id")
    if item_id not in {str(item["item_id"]) for item in model.catalogue()}:
        raise Unprocessable(f"unknown product id {_shown(item_id)}; GET /products lists the catalogue", "item_id")
    return {"request_id": rid, "item_id": item_id, "event_type": event_type}
