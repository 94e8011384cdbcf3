"""Fidelity-suite Lambda behind the API proxy: stores and reads items in DynamoDB with boto3."""
import json
import os

import boto3

TABLE = boto3.resource("dynamodb").Table(os.environ["TABLE_NAME"])


def _reply(status, document):
    return {"statusCode": status, "headers": {"Content-Type": "application/json", "Access-Control-Allow-Origin": "*"},
            "body": json.dumps(document)}


def handler(event, context):
    item_id = (event.get("pathParameters") or {}).get("proxy", "")
    if item_id == "fail":
        raise RuntimeError("asked to fail")
    if event["httpMethod"] == "PUT":
        value = json.loads(event.get("body") or "{}").get("value")
        TABLE.put_item(Item={"pk": item_id, "value": str(value), "source": "api"})
        return _reply(201, {"pk": item_id, "value": value})
    found = TABLE.get_item(Key={"pk": item_id}).get("Item")
    if found is None:
        return _reply(404, {"message": f"no item {item_id}"})
    query = event.get("queryStringParameters") or {}
    return _reply(200, {"pk": found["pk"], "value": found["value"], "query": query,
                        "resource": event["resource"], "stage": event["requestContext"]["stage"]})
