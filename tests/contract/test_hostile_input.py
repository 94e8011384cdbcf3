"""Hostile requests against the deployed stack: a 4xx that says what to fix, never a 5xx, nothing stored."""
from __future__ import annotations

import json

import pytest
import requests

pytestmark = [pytest.mark.stack, pytest.mark.slow]

FIVE = ["current_account", "payroll_account", "credit_card", "mortgage", "short_term_deposit"]


def _deep(depth: int) -> str:
    return '{"mode": "metadata", "metadata": {"AGE": ' + "[" * depth + "]" * depth + "}}"


HOSTILE = {
    "over the body limit": ('{"mode": "metadata", "metadata": {"AGE": 40}}' + " " * 9000, 413, "at most 8,192 bytes"),
    "a 10 MB product id": (json.dumps({"mode": "products", "items": FIVE[:4] + ["x" * 10_485_760]}), 413, "too large"),
    "deep nesting": (_deep(3000), 400, "not the shape"),
    "10,000 metadata keys": (json.dumps({"mode": "metadata", "metadata": {f"F{i}": 1 for i in range(10_000)}}), 400,
                             "not the shape"),
    "a huge k": (json.dumps({"mode": "products", "items": FIVE, "k": 10 ** 100}), 400, "not the shape"),
    "a NUL byte in an id": (json.dumps({"mode": "products", "items": FIVE[:4] + ["mort\u0000gage"]}), 400,
                            "not the shape"),
    "invalid UTF-8": (b'{"mode": "products", "items": ["\xff\xfe", "a", "b", "c", "d"]}', 400, "not the shape"),
    "duplicate items": (json.dumps({"mode": "products", "items": FIVE[:4] + [FIVE[0]]}), 400, "different product"),
    "a path in an id": (json.dumps({"mode": "products", "items": FIVE[:4] + ["../../etc/passwd"]}), 400,
                        "not the shape"),
}


def _stored(stack) -> tuple[int, int]:
    ddb = stack.client("dynamodb")
    return tuple(ddb.scan(TableName=stack.outputs[name], Select="COUNT")["Count"]
                 for name in ("results_table", "events_table"))


@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_bodies_get_a_4xx_saying_what_to_fix_and_store_nothing(deployed_stack, name):
    body, status, words = HOSTILE[name]
    before = _stored(deployed_stack)
    answer = requests.post(deployed_stack.api_url + "/recommendations", data=body, timeout=60,
                           headers={"Content-Type": "application/json"})
    assert answer.status_code == status, answer.text[:500]
    document = answer.json()
    assert words in document["message"] and document["request_id"], document
    assert _stored(deployed_stack) == before


@pytest.mark.parametrize("path", ["..%2F..%2Fetc%2Fpasswd", "%2e%2e", "0" * 31 + "%00", "A" * 32, "x" * 5000])
def test_ids_that_cannot_exist_are_404_not_5xx(deployed_stack, path):
    answer = requests.get(f"{deployed_stack.api_url}/recommendations/{path}", timeout=30)
    assert answer.status_code == 404 and answer.json()["message"]
