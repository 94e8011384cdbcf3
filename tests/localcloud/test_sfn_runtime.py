"""The interpreter's per-execution costs: parsed programs shared across executions, Task calls
answered in process. Shaped like the product workflow: Lambda (function ARN) → DynamoDB putItem →
Lambda → DynamoDB putItem, with Retry and Catch on every Task."""
from __future__ import annotations

import json
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from cloud_helpers import make_zip

pytestmark = [pytest.mark.cloud]

SCORE = ("def handler(event, context):\n"
         "    if event['n'] < 0:\n"
         "        raise ValueError(f\"negative: {event['n']}\")\n"
         "    return dict(event, id=event['id'], score=event['n'] * 3)\n")


def _task(resource: str, **fields) -> dict:
    return dict({"Type": "Task", "Resource": resource,
                 "Retry": [{"ErrorEquals": ["Lambda.TooManyRequestsException"], "MaxAttempts": 2}],
                 "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "Failed"}]}, **fields)


def _put(table: str, key: str) -> dict:
    return {"TableName": table, "Item": {"pk": {"S.$": key}, "score": {"N.$": "States.Format('{}', $.score)"}}}


@pytest.fixture(scope="module")
def workflow(cloud, role_arn) -> tuple[str, str]:
    """An EXPRESS machine shaped like the product's, and its table."""
    tag = uuid.uuid4().hex[:6]
    table = f"scores-{tag}"
    cloud.client("dynamodb").create_table(
        TableName=table, KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}], BillingMode="PAY_PER_REQUEST")
    function = cloud.client("lambda").create_function(
        FunctionName=f"score-{tag}", Runtime="python3.11", Role=role_arn, Handler="app.handler",
        Code={"ZipFile": make_zip({"app.py": SCORE})})["FunctionArn"]
    states = {
        "Score": _task(function, Next="Record"),
        "Record": _task("arn:aws:states:::dynamodb:putItem", Parameters=_put(table, "$.id"), ResultPath=None,
                        Next="Rescore"),
        "Rescore": _task(function, Parameters={"id.$": "$.id", "n.$": "$.score"}, Next="Store"),
        "Store": _task("arn:aws:states:::dynamodb:putItem", Parameters=_put(table, "States.Format('{}-2', $.id)"),
                       ResultPath=None, End=True),
        "Failed": {"Type": "Fail", "ErrorPath": "$.error.Error", "CausePath": "$.error.Cause"},
    }
    arn = cloud.client("stepfunctions").create_state_machine(
        name=f"scores-{tag}", definition=json.dumps({"StartAt": "Score", "States": states}),
        roleArn=role_arn, type="EXPRESS")["stateMachineArn"]
    return arn, table


def _run(cloud, arn: str, n: int) -> dict:
    return cloud.client("stepfunctions").start_sync_execution(
        stateMachineArn=arn, input=json.dumps({"id": f"r{n}", "n": n}))


def test_concurrent_executions_share_one_program_and_keep_their_own_data(cloud, workflow):
    arn, table = workflow
    with ThreadPoolExecutor(6) as pool:
        results = list(pool.map(lambda n: _run(cloud, arn, n), [1, 2, 3, -4, 5, 6, -7, 8, 9, 10, 11, 12]))
    for n, result in zip([1, 2, 3, -4, 5, 6, -7, 8, 9, 10, 11, 12], results):
        if n < 0:
            assert (result["status"], result["error"]) == ("FAILED", "ValueError"), result
            assert f"negative: {n}" in result["cause"]
        else:
            assert result["status"] == "SUCCEEDED", result
            assert json.loads(result["output"]) == {"id": f"r{n}", "n": 3 * n, "score": 9 * n}
    ddb = cloud.client("dynamodb")
    assert ddb.get_item(TableName=table, Key={"pk": {"S": "r5"}})["Item"]["score"] == {"N": "15"}
    assert ddb.get_item(TableName=table, Key={"pk": {"S": "r5-2"}})["Item"]["score"] == {"N": "45"}
    assert "Item" not in ddb.get_item(TableName=table, Key={"pk": {"S": "r-4"}})
    # a caught Task failure is the execution's result, not an ERROR with a repr of the state in the log
    assert "FailureEventException" not in (cloud.state_dir / "server.log").read_text()


def _health(cloud) -> dict:
    with urllib.request.urlopen(f"{cloud.endpoint}/_localcloud/health", timeout=10) as answer:
        return json.loads(answer.read())


def test_a_four_task_express_execution_has_no_per_execution_parse_or_http_cost(cloud, workflow):
    """Counted, not timed: parsing per execution and Task calls over HTTP were what made it slow."""
    arn, _ = workflow
    _run(cloud, arn, 1)  # the definition is parsed here, at most once
    before = _health(cloud)
    for n in range(10):
        assert _run(cloud, arn, n)["status"] == "SUCCEEDED"
    after = _health(cloud)
    assert after["programs_parsed"] == before["programs_parsed"]
    # our 10 StartSyncExecution calls (+ the health call) arrive over HTTP; each execution's
    # 2 Lambda invokes go straight to the runtime and its 2 putItems are answered in process
    delta = {k: after["requests"][k] - before["requests"][k] for k in after["requests"]}
    assert delta == {"http": 11, "in_process": 20, "direct": 20}


def test_the_interpreter_does_not_keep_every_thread_it_started(cloud, workflow):
    """moto lists each thread an execution starts (5 here) and never reads the list: it must stay bounded."""
    from localcloud.stepfunctions.runtime import MAX_THREADS_KEPT

    arn, _ = workflow
    for n in range(MAX_THREADS_KEPT // 5 + 20):
        assert _run(cloud, arn, n)["status"] == "SUCCEEDED"
    assert _health(cloud)["interpreter_threads_kept"] <= MAX_THREADS_KEPT + 5


def test_state_data_copies_are_deep_and_leave_other_objects_to_deepcopy():
    import datetime

    from localcloud.stepfunctions.runtime import json_copy

    stamp = datetime.datetime(2026, 12, 2)
    data = {"a": [1, 2.5, {"b": None, "c": True}], "s": "x", "when": stamp, "pair": (1, [2])}
    copied = json_copy(data)
    assert copied == data
    copied["a"][2]["b"] = "changed"
    copied["pair"][1].append(3)
    assert data["a"][2]["b"] is None and data["pair"] == (1, [2])  # nothing shared with the original
