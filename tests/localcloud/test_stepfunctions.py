"""Step Functions on the local cloud: validation, versions, types, executions (named, unnamed, sync)."""
from __future__ import annotations

import json
import time
import uuid

import pytest
from botocore.exceptions import ClientError
from cloud_helpers import make_zip

pytestmark = [pytest.mark.cloud]

PASS = json.dumps({"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": {"ok": 1}, "End": True}}})


@pytest.fixture(scope="module")
def doubler(cloud, role_arn) -> str:
    lam = cloud.client("lambda")
    name = f"double-{uuid.uuid4().hex[:6]}"
    source = "def handler(event, context):\n    return {'n': event['n'] * 2}\n"
    return lam.create_function(FunctionName=name, Runtime="python3.11", Role=role_arn, Handler="app.handler",
                               Code={"ZipFile": make_zip({"app.py": source})})["FunctionArn"]


def _machine(cloud, definition: str, kind: str = "STANDARD", **kwargs) -> str:
    sfn = cloud.client("stepfunctions")
    return sfn.create_state_machine(name=f"sm-{uuid.uuid4().hex[:8]}", definition=definition, type=kind,
                                    roleArn="arn:aws:iam::123456789012:role/sfn", **kwargs)["stateMachineArn"]


def _two_lambda_states(function_arn: str) -> str:
    task = {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "OutputPath": "$.Payload",
            "Parameters": {"FunctionName": function_arn, "Payload.$": "$"}}
    return json.dumps({"StartAt": "A", "States": {"A": dict(task, Next="B"), "B": dict(task, End=True)}})


def test_validate_accepts_a_good_definition_and_reports_a_bad_one(cloud):
    sfn = cloud.client("stepfunctions")
    assert sfn.validate_state_machine_definition(definition=PASS)["result"] == "OK"
    missing = {"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "Nowhere"}}}
    bad = sfn.validate_state_machine_definition(definition=json.dumps(missing))
    assert bad["result"] == "FAIL"
    assert bad["diagnostics"][0] == {"severity": "ERROR", "code": "MISSING_TRANSITION_TARGET",
                                     "message": "Missing 'Next' target: Nowhere", "location": "/States/A/Next"}
    wrong = {"StartAt": "A", "States": {"A": {"Type": "Task", "Resource": 5, "End": True}}}
    assert sfn.validate_state_machine_definition(definition=json.dumps(wrong))["result"] == "FAIL"
    not_json = sfn.validate_state_machine_definition(definition="{nope")
    assert not_json["diagnostics"][0]["code"] == "INVALID_JSON_DESCRIPTION"


def test_express_type_is_kept(cloud):
    arn = _machine(cloud, PASS, "EXPRESS")
    assert cloud.client("stepfunctions").describe_state_machine(stateMachineArn=arn)["type"] == "EXPRESS"


def test_versions_are_listed_after_a_published_create(cloud):
    arn = _machine(cloud, PASS, publish=True)
    versions = cloud.client("stepfunctions").list_state_machine_versions(stateMachineArn=arn)
    assert [v["stateMachineVersionArn"] for v in versions["stateMachineVersions"]] == [f"{arn}:1"]


def test_unnamed_executions_run_repeatedly_through_lambda_tasks(cloud, doubler):
    sfn = cloud.client("stepfunctions")
    arn = _machine(cloud, _two_lambda_states(doubler))
    executions = [sfn.start_execution(stateMachineArn=arn, input=json.dumps({"n": i}))["executionArn"]
                  for i in (1, 2)]
    assert len(set(executions)) == 2
    outputs = [_wait_done(sfn, e) for e in executions]
    assert [json.loads(o["output"]) for o in outputs] == [{"n": 4}, {"n": 8}]


def test_sync_execution_of_an_express_machine_returns_its_output(cloud, doubler):
    arn = _machine(cloud, _two_lambda_states(doubler), "EXPRESS")
    result = cloud.client("stepfunctions").start_sync_execution(stateMachineArn=arn, input='{"n": 5}')
    assert result["status"] == "SUCCEEDED"
    assert json.loads(result["output"]) == {"n": 20}


def test_sync_execution_reports_a_failing_task(cloud, doubler):
    arn = _machine(cloud, _two_lambda_states(doubler), "EXPRESS")
    result = cloud.client("stepfunctions").start_sync_execution(stateMachineArn=arn, input='{"m": 5}')
    assert result["status"] == "FAILED"
    assert "KeyError" in result.get("cause", "") or result.get("error")


def test_sync_execution_of_a_standard_machine_is_refused(cloud):
    arn = _machine(cloud, PASS)
    with pytest.raises(ClientError) as caught:
        cloud.client("stepfunctions").start_sync_execution(stateMachineArn=arn, input="{}")
    assert caught.value.response["Error"]["Code"] == "StateMachineTypeNotSupported"


def test_invalid_definition_is_rejected_at_create(cloud):
    with pytest.raises(ClientError) as caught:
        _machine(cloud, json.dumps({"StartAt": "Missing", "States": {"P": {"Type": "Pass", "End": True}}}))
    assert caught.value.response["Error"]["Code"] == "InvalidDefinition"


def _wait_done(sfn, execution_arn: str, timeout: float = 20.0) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        described = sfn.describe_execution(executionArn=execution_arn)
        if described["status"] != "RUNNING":
            return described
        time.sleep(0.05)
    raise AssertionError(f"{execution_arn} still running after {timeout} s")


def test_a_lambda_starts_a_sync_execution_through_plain_boto3(cloud, doubler, role_arn):
    machine = _machine(cloud, _two_lambda_states(doubler), "EXPRESS")
    source = ("import boto3, json\n"
              "def handler(event, context):\n"
              "    out = boto3.client('stepfunctions').start_sync_execution(\n"
              "        stateMachineArn=event['arn'], input=json.dumps({'n': event['n']}))\n"
              "    return {'status': out['status'], 'output': json.loads(out['output'])}\n")
    lam = cloud.client("lambda")
    name = f"caller-{uuid.uuid4().hex[:6]}"
    lam.create_function(FunctionName=name, Runtime="python3.11", Role=role_arn, Handler="app.handler",
                        Code={"ZipFile": make_zip({"app.py": source})}, Timeout=30)
    response = lam.invoke(FunctionName=name, Payload=json.dumps({"arn": machine, "n": 3}))
    assert "FunctionError" not in response
    assert json.loads(response["Payload"].read()) == {"status": "SUCCEEDED", "output": {"n": 12}}
