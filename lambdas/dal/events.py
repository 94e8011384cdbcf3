"""The events table: feedback on shown items (the workflow writes selections itself)."""
from __future__ import annotations


def put(dynamodb, table: str, event: dict) -> None:
    """Store one event; ``event`` holds event_id, request_id, item_id, event_type, created_at, expires_at."""
    dynamodb.put_item(TableName=table, Item={
        "event_id": {"S": event["event_id"]},
        "request_id": {"S": event["request_id"]},
        "item_id": {"S": event["item_id"]},
        "event_type": {"S": event["event_type"]},
        "created_at": {"S": event["created_at"]},
        "expires_at": {"N": str(event["expires_at"])},
    })
