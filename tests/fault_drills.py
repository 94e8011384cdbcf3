"""Helpers for fault drills against the deployed stack: arm faults, read the store, check its invariant."""
from __future__ import annotations

import requests

FIVE = ["current_account", "payroll_account", "credit_card", "mortgage", "short_term_deposit"]
BODY = {"mode": "products", "items": FIVE, "k": 5}


def arm(stack, **rule) -> None:
    """Arm one fault rule in the stack's local cloud (localcloud/faults.py)."""
    answer = requests.post(f"{stack.endpoint}/_localcloud/faults", json=rule, timeout=30)
    assert answer.status_code == 201, answer.text


def disarm(stack) -> None:
    requests.delete(f"{stack.endpoint}/_localcloud/faults", timeout=30).raise_for_status()


def recycle(stack, *functions: str) -> None:
    """Retire the warm workers of these functions (api, validate, recommend): their next call is cold."""
    for key in functions:
        arm(stack, service="lambda", kind="recycle", function=stack.outputs["function_names"][key])


def recommend(stack) -> requests.Response:
    return requests.post(stack.api_url + "/recommendations", json=BODY, timeout=60)


def stored(stack) -> tuple[set[str], set[str]]:
    """Request ids with a stored result, and request ids with a stored selection event."""
    ddb = stack.client("dynamodb")

    def scan(table: str, **kwargs) -> list[dict]:
        items, start = [], {}
        while True:
            page = ddb.scan(TableName=table, **start, **kwargs)
            items += page["Items"]
            if "LastEvaluatedKey" not in page:
                return items
            start = {"ExclusiveStartKey": page["LastEvaluatedKey"]}

    results = {i["request_id"]["S"] for i in scan(stack.outputs["results_table"])}
    selections = {i["request_id"]["S"] for i in scan(stack.outputs["events_table"], FilterExpression="event_type = :s",
                                                      ExpressionAttributeValues={":s": {"S": "selection"}})}
    return results, selections


def assert_whole_or_nothing(stack) -> tuple[set[str], set[str]]:
    """The invariant of lambdas/README.md: every result has its selection event and vice versa."""
    results, selections = stored(stack)
    assert results == selections, {"results without selection": results - selections,
                                   "selections without result": selections - results}
    return results, selections
