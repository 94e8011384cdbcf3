"""TransactWriteItems under concurrency: every transaction lands, a failed one leaves nothing of itself."""
from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from botocore.exceptions import ClientError

pytestmark = [pytest.mark.cloud]


@pytest.fixture(scope="module")
def tables(cloud) -> tuple[str, str]:
    ddb = cloud.client("dynamodb")
    names = (f"tx-a-{uuid.uuid4().hex[:6]}", f"tx-b-{uuid.uuid4().hex[:6]}")
    for name in names:
        ddb.create_table(TableName=name, KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                         AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                         BillingMode="PAY_PER_REQUEST")
    return names


def _pair(a: str, b: str, key: str, guard: str = "attribute_not_exists(pk)") -> list[dict]:
    return [{"Put": {"TableName": a, "Item": {"pk": {"S": key}}, "ConditionExpression": guard}},
            {"Put": {"TableName": b, "Item": {"pk": {"S": key}}, "ConditionExpression": guard}}]


def test_concurrent_transactions_all_land(cloud, tables):
    """moto copies whole tables per transaction: with a few thousand items, concurrent ones collided."""
    a, b = tables
    ddb = cloud.client("dynamodb")
    filler = [{"PutRequest": {"Item": {"pk": {"S": f"fill{n}"}, "doc": {"S": "x" * 200}}}} for n in range(3000)]
    for table in tables:
        for start in range(0, len(filler), 25):
            ddb.batch_write_item(RequestItems={table: filler[start:start + 25]})
    keys = [f"k{n}" for n in range(120)]
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(lambda k: ddb.transact_write_items(TransactItems=_pair(a, b, k)), keys))
    for table in tables:
        assert ddb.scan(TableName=table, Select="COUNT")["Count"] == len(keys) + len(filler)


def test_a_cancelled_transaction_undoes_only_its_own_writes(cloud, tables):
    a, b = tables
    ddb = cloud.client("dynamodb")
    ddb.put_item(TableName=b, Item={"pk": {"S": "taken"}, "v": {"S": "before"}})
    with pytest.raises(ClientError) as caught:
        ddb.transact_write_items(TransactItems=_pair(a, b, "taken"))
    assert caught.value.response["Error"]["Code"] == "TransactionCanceledException"
    assert "Item" not in ddb.get_item(TableName=a, Key={"pk": {"S": "taken"}})
    assert ddb.get_item(TableName=b, Key={"pk": {"S": "taken"}})["Item"]["v"] == {"S": "before"}
    ddb.put_item(TableName=a, Item={"pk": {"S": "other"}})  # other writers are untouched by the rollback
    assert "Item" in ddb.get_item(TableName=a, Key={"pk": {"S": "other"}})
