"""GET /products and GET /metadata-schema over the model's catalogue."""
from __future__ import annotations

import re
from typing import Any, Mapping

from lambdas.errors import Malformed

MAX_LIMIT = 200
DEFAULT_LIMIT = 50
MAX_OFFSET = 1_000_000
MAX_QUERY_LENGTH = 100


def _whole(params: Mapping[str, str], name: str, default: int, low: int, high: int | None) -> int:
    raw = params.get(name)
    if raw is None:
        return default
    if not re.fullmatch(r"\d{1,9}", raw.strip()) or int(raw) < low or (high is not None and int(raw) > high):
        span = f"between {low} and {high}" if high is not None else f"of at least {low}"
        raise Malformed(f"{name} must be a whole number {span}; you sent {raw[:40]!r}", name)
    return int(raw)


def products_page(model: Any, params: Mapping[str, str] | None) -> dict:
    """A page of the catalogue, searched and filtered.

    Parameters
    ----------
    model : recommender model
        Provides ``catalogue()``.
    params : mapping
        Query string: ``search`` (case-insensitive substring of name or description),
        ``category`` (exact; one the catalogue lacks matches nothing), ``offset`` (>= 0), ``limit`` (1..200).

    Returns
    -------
    dict
        ``{"items", "total", "offset", "limit", "categories"}``.
    """
    params = params or {}
    offset = _whole(params, "offset", 0, 0, MAX_OFFSET)
    limit = _whole(params, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT)
    for name in ("search", "category"):
        if len(params.get(name) or "") > MAX_QUERY_LENGTH:
            raise Malformed(f"{name} is at most {MAX_QUERY_LENGTH} characters", name)
    search = (params.get("search") or "").strip().lower()
    category = (params.get("category") or "").strip()
    catalogue = model.catalogue()
    categories = sorted({str(item["category"]) for item in catalogue})
    matches = [
        {key: str(item[key]) for key in ("item_id", "name", "category", "description")}
        for item in catalogue
        if (not category or item["category"] == category)
        and (not search or search in str(item["name"]).lower() or search in str(item["description"]).lower())
    ]
    return {"items": matches[offset:offset + limit], "total": len(matches), "offset": offset, "limit": limit,
            "categories": categories}


def metadata_schema(model: Any) -> dict:
    """``{"fields": [...]}``: the user fields the model knows, with types and allowed values."""
    return {"fields": list(model.metadata_schema())}
