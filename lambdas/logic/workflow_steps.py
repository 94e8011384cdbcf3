"""The workflow's Validate and Recommend steps (Step Functions passes JSON in and out)."""
from __future__ import annotations

import datetime as dt
import json
from typing import Any

from lambdas.errors import ApiError, Malformed, Unprocessable
from lambdas.logic import requests


def validate(execution_input: dict, model: Any, now: dt.datetime, ttl_days: int) -> dict:
    """Validate step: check the request and stamp it.

    Parameters
    ----------
    execution_input : dict
        ``{"request_id": str, "request": <POST /recommendations body>}``.
    now : datetime
        Timezone-aware current time (UTC).

    Returns
    -------
    dict
        The normalised request plus ``request_id``, ``interaction_id``, ``created_at``,
        ``expires_at`` (epoch seconds as a string, DynamoDB's N) and JSON strings of the
        items and metadata for the selection event StoreResult writes.

    Raises
    ------
    Malformed, Unprocessable
        The request is invalid (the handler turns it into ``{"error": ...}``).
    """
    request_id = execution_input.get("request_id") if isinstance(execution_input, dict) else None
    if not isinstance(request_id, str) or not requests.REQUEST_ID.fullmatch(request_id):
        raise Malformed("the workflow needs a 32-hex-character request_id", "request_id")
    clean = requests.recommendation_request(execution_input.get("request"), model)
    expires = int(now.timestamp()) + ttl_days * 86400
    return {
        "request_id": request_id,
        "interaction_id": f"{request_id}:selection",
        "created_at": now.astimezone(dt.timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
        "expires_at": str(expires),
        **clean,
        "items_json": json.dumps(clean["items"]),
        "metadata_json": json.dumps(clean["metadata"], sort_keys=True),
    }


def recommend(validated: dict, model: Any) -> dict:
    """Recommend step: score with the model and build the response document.

    Returns
    -------
    dict
        ``{"document": <the API's answer>, "document_json": <the same as a string>}``.
    """
    try:
        ranked = model.recommend(items=validated["items"] or None, metadata=validated["metadata"] or None,
                                 k=validated["k"])
    except ValueError as error:  # the engine's own check of what Validate let through
        raise Unprocessable(str(error)) from None
    by_id = {str(item["item_id"]): item for item in model.catalogue()}
    recommendations = [
        {
            "item_id": str(row["item_id"]),
            "name": str(by_id.get(str(row["item_id"]), {}).get("name", row["item_id"])),
            "category": str(by_id.get(str(row["item_id"]), {}).get("category", "")),
            "score": None if row["score"] is None else round(float(row["score"]), 6),
            "reason": str(row.get("reason", "")),
        }
        for row in ranked
    ]
    document = {
        "request_id": validated["request_id"],
        "mode": validated["mode"],
        "created_at": validated["created_at"],
        "items": validated["items"],
        "metadata": validated["metadata"],
        "recommendations": recommendations,
    }
    return {"document": document, "document_json": json.dumps(document, sort_keys=True)}


def as_output(step, *args: Any) -> dict:
    """Run a step; an :class:`ApiError` becomes the step's output ``{"error": {...}}``, not an exception.

    Errors then travel the workflow as data (``stepfunctions/recommendation.asl.json`` branches on
    ``$.error``); anything else is a bug and raises, for the state's Catch.
    """
    try:
        return step(*args)
    except ApiError as error:
        return {"error": error.document()}
