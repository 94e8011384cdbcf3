"""The results table: stored recommendation documents by request id."""
from __future__ import annotations

import json


def get(dynamodb, table: str, request_id: str) -> dict | None:
    """The document stored for ``request_id``, or None."""
    item = dynamodb.get_item(TableName=table, Key={"request_id": {"S": request_id}},
                             ProjectionExpression="document").get("Item")
    return json.loads(item["document"]["S"]) if item else None


def exists(dynamodb, table: str, request_id: str) -> bool:
    """Whether a result is stored for ``request_id``."""
    item = dynamodb.get_item(TableName=table, Key={"request_id": {"S": request_id}},
                             ProjectionExpression="request_id").get("Item")
    return item is not None
