"""StartSyncExecution is never retried: a slow workflow must not run twice (and record two events)."""
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from lambdas.dal import aws, workflow
from lambdas.errors import StepTimeout


class SlowStepFunctions(BaseHTTPRequestHandler):
    calls = []

    def do_POST(self):  # noqa: N802 - http.server's name
        self.rfile.read(int(self.headers["Content-Length"]))
        SlowStepFunctions.calls.append(self.headers.get("X-Amz-Target"))
        time.sleep(1.5)  # longer than the client waits
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def slow_endpoint(monkeypatch):
    server = ThreadingHTTPServer(("127.0.0.1", 0), SlowStepFunctions)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    monkeypatch.setenv("AWS_ENDPOINT_URL", f"http://127.0.0.1:{server.server_address[1]}")
    monkeypatch.setenv("AWS_DISABLE_HOST_PREFIX_INJECTION", "true")
    SlowStepFunctions.calls.clear()
    aws.client.cache_clear()
    yield
    aws.client.cache_clear()
    server.shutdown()


def test_a_workflow_slower_than_the_wait_is_started_exactly_once(slow_endpoint, monkeypatch):
    from botocore.config import Config

    monkeypatch.setitem(aws._CONFIG, "stepfunctions", aws._CONFIG["stepfunctions"].merge(Config(read_timeout=0.3)))
    with pytest.raises(StepTimeout):
        workflow.run(aws.client("stepfunctions"), "arn:aws:states:us-east-1:123456789012:stateMachine:x", "a" * 32, {})
    time.sleep(1.0)
    assert SlowStepFunctions.calls == ["AWSStepFunctions.StartSyncExecution"]


def test_the_sync_call_has_one_attempt_and_waits_less_than_the_api_functions_timeout():
    config = aws._CONFIG["stepfunctions"]
    assert config.retries["total_max_attempts"] == 1
    assert aws.WORKFLOW_CONNECT_TIMEOUT_S + aws.WORKFLOW_READ_TIMEOUT_S < 28  # terraform/main.tf timeouts.api_function
