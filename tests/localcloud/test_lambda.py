"""Lambda behaviours of the local cloud: warm workers, errors shaped like AWS, logs, limits."""
from __future__ import annotations

import json
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from botocore.exceptions import ClientError

from cloud_helpers import WORKER_CAP, make_zip

pytestmark = [pytest.mark.cloud]

HANDLER = """
import os, time
CALLS = 0
VERSION = {version!r}

def handler(event, context):
    global CALLS
    CALLS += 1
    if event.get("raise"):
        raise ValueError("bad value: " + event["raise"])
    if event.get("sleep"):
        time.sleep(event["sleep"])
    print("marker", event.get("marker", ""))
    return {{"pid": os.getpid(), "calls": CALLS, "version": VERSION, "name": context.function_name,
             "env": {{k: os.environ.get(k) for k in ("GREETING", "AWS_ENDPOINT_URL", "AWS_LAMBDA_FUNCTION_NAME")}},
             "remaining_ms": context.get_remaining_time_in_millis()}}
"""


@pytest.fixture
def function(cloud, role_arn):
    """A fresh function per test (so worker state never leaks between tests)."""
    lam = cloud.client("lambda")
    name = f"fn-{uuid.uuid4().hex[:8]}"
    lam.create_function(FunctionName=name, Runtime="python3.11", Role=role_arn, Handler="app.handler",
                        Code={"ZipFile": make_zip({"app.py": HANDLER.format(version="v1")})}, Timeout=2,
                        Environment={"Variables": {"GREETING": "hello"}})
    yield name
    lam.delete_function(FunctionName=name)


def _invoke(cloud, name, event=None, **kwargs):
    response = cloud.client("lambda").invoke(FunctionName=name, Payload=json.dumps(event or {}), **kwargs)
    return response, json.loads(response["Payload"].read() or b"null")


def test_invoke_runs_the_handler_with_configured_env_and_endpoint(cloud, function):
    response, body = _invoke(cloud, function)
    assert response["StatusCode"] == 200 and "FunctionError" not in response
    assert body["name"] == function
    assert body["env"] == {"GREETING": "hello", "AWS_ENDPOINT_URL": cloud.endpoint,
                           "AWS_LAMBDA_FUNCTION_NAME": function}
    assert 0 < body["remaining_ms"] <= 2000


def test_warm_worker_is_reused_across_invocations(cloud, function):
    _, first = _invoke(cloud, function)
    _, second = _invoke(cloud, function)
    assert second["pid"] == first["pid"]
    assert second["calls"] == first["calls"] + 1


def test_exception_comes_back_in_aws_error_shape(cloud, function):
    response, body = _invoke(cloud, function, {"raise": "x"})
    assert response["StatusCode"] == 200
    assert response["FunctionError"] == "Unhandled"
    assert body["errorType"] == "ValueError"
    assert body["errorMessage"] == "bad value: x"
    assert any("app.py" in frame for frame in body["stackTrace"])


def test_timeout_ends_the_sandbox_and_the_next_call_gets_a_fresh_one(cloud, function):
    _, before = _invoke(cloud, function)
    started = time.monotonic()
    response, body = _invoke(cloud, function, {"sleep": 10})
    assert time.monotonic() - started < 5
    assert response["FunctionError"] == "Unhandled"
    assert body["errorType"] == "Sandbox.Timedout"
    assert "Task timed out after 2.00 seconds" in body["errorMessage"]
    _, after = _invoke(cloud, function)
    assert after["pid"] != before["pid"] and after["calls"] == 1


def test_bad_handler_module_is_an_import_module_error(cloud, role_arn):
    lam = cloud.client("lambda")
    name = f"bad-{uuid.uuid4().hex[:8]}"
    lam.create_function(FunctionName=name, Runtime="python3.11", Role=role_arn, Handler="missing.handler",
                        Code={"ZipFile": make_zip({"app.py": "def handler(e, c):\n    return 1\n"})})
    try:
        response, body = _invoke(cloud, name)
        assert response["FunctionError"] == "Unhandled"
        assert body["errorType"] == "Runtime.ImportModuleError"
        assert "Unable to import module 'missing'" in body["errorMessage"]
    finally:
        lam.delete_function(FunctionName=name)


def test_code_update_is_picked_up_by_a_new_worker(cloud, function):
    _, before = _invoke(cloud, function)
    cloud.client("lambda").update_function_code(
        FunctionName=function, ZipFile=make_zip({"app.py": HANDLER.format(version="v2")}))
    _, after = _invoke(cloud, function)
    assert (before["version"], after["version"]) == ("v1", "v2")
    assert after["pid"] != before["pid"]


def test_concurrent_burst_never_exceeds_the_worker_cap(cloud, function):
    with ThreadPoolExecutor(max_workers=6) as pool:
        results = list(pool.map(lambda _: _invoke(cloud, function, {"sleep": 0.3})[1], range(6)))
    pids = {r["pid"] for r in results}
    assert all("pid" in r for r in results)
    assert 1 <= len(pids) <= WORKER_CAP


def test_event_invocation_returns_202_and_runs_later(cloud, function):
    marker = uuid.uuid4().hex
    response, _ = _invoke(cloud, function, {"marker": marker}, InvocationType="Event")
    assert response["StatusCode"] == 202
    assert _wait_for_log_line(cloud, function, f"marker {marker}")


def test_logs_reach_cloudwatch_with_start_end_report(cloud, function):
    marker = uuid.uuid4().hex
    _invoke(cloud, function, {"marker": marker})
    assert _wait_for_log_line(cloud, function, f"marker {marker}")
    messages = _log_messages(cloud, function)
    assert any(m.startswith("START RequestId:") for m in messages)
    assert any(m.startswith("REPORT RequestId:") and "Duration:" in m for m in messages)


def test_unknown_function_is_resource_not_found(cloud):
    with pytest.raises(ClientError) as caught:
        cloud.client("lambda").invoke(FunctionName="does-not-exist", Payload=b"{}")
    assert caught.value.response["Error"]["Code"] == "ResourceNotFoundException"
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404


def _log_messages(cloud, name):
    logs = cloud.client("logs")
    group = f"/aws/lambda/{name}"
    messages = []
    for stream in logs.describe_log_streams(logGroupName=group)["logStreams"]:
        events = logs.get_log_events(logGroupName=group, logStreamName=stream["logStreamName"])["events"]
        messages += [e["message"] for e in events]
    return messages


def _wait_for_log_line(cloud, name, line, timeout=5.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if line in _log_messages(cloud, name):
                return True
        except ClientError:
            pass
        time.sleep(0.1)
    return False


def test_log_tail_holds_this_invocations_output(cloud, function):
    import base64

    marker = uuid.uuid4().hex
    response, _ = _invoke(cloud, function, {"marker": marker}, LogType="Tail")
    tail = base64.b64decode(response["LogResult"]).decode()
    assert tail.startswith("START RequestId:")
    assert f"marker {marker}" in tail and "REPORT RequestId:" in tail
