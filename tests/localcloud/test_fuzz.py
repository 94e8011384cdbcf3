"""Light fuzz of the emulator's routes: malformed requests get AWS-shaped errors, the server keeps serving."""
from __future__ import annotations

import http.client
import json
import random
import urllib.parse

import pytest

from localcloud.functions.invoke import INVOKE_PATH
from localcloud.middleware import EXECUTE_API

pytestmark = [pytest.mark.cloud]

SIGNED = "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/{service}/aws4_request, SignedHeaders=host, Signature=0"
TARGETS = ["AWSStepFunctions.StartExecution", "AWSStepFunctions.StartSyncExecution",
           "AWSStepFunctions.ValidateStateMachineDefinition", "AWSStepFunctions.CreateStateMachine",
           "AWSStepFunctions.ListStateMachineVersions", "DynamoDB_20120810.PutItem", "DynamoDB_20120810.Query"]
PATHS = ["/2015-03-31/functions/{name}/invocations", "/restapis/{name}/test/_user_request_/{name}",
         "/restapis/{name}/{name}/_user_request_", "/_website/{name}/{name}", "/_website/", "/restapis/{name}",
         "/", "/2015-03-31/functions/{name}"]
BODIES = [b"", b"{", b"[]", b"null", b'{"stateMachineArn": 5}', b'{"definition": "{"}', b"\xff\xfe\x00",
          b'{"stateMachineArn": "arn:aws:states:us-east-1:123456789012:stateMachine:none", "input": "{"}',
          json.dumps({"definition": json.dumps({"StartAt": "A", "States": {"A": {"Type": "Nope"}}}),
                      "name": "x", "roleArn": "arn:aws:iam::123456789012:role/r"}).encode()]
NAMES = ["x", "%00", "..", "a" * 300, "arn:aws:lambda:us-east-1:123456789012:function:nope", "%2F%2F", "%C3%A9"]


def _request(cloud, method: str, path: str, body: bytes, headers: dict) -> tuple[int, dict, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", cloud.port, timeout=30)
    try:
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        conn.close()


def _case(rng: random.Random) -> tuple[str, str, bytes, dict]:
    headers: dict[str, str] = {}
    if rng.random() < 0.5:
        target = rng.choice(TARGETS)
        headers["X-Amz-Target"] = target
        headers["Content-Type"] = "application/x-amz-json-1.0"
        service = "states" if target.startswith("AWS") else "dynamodb"
        headers["Authorization"] = SIGNED.format(service=service)
        return "POST", "/", rng.choice(BODIES), headers
    path = rng.choice(PATHS).format(name=rng.choice(NAMES))
    if rng.random() < 0.5:
        headers["Authorization"] = SIGNED.format(service=rng.choice(["lambda", "apigateway", "s3"]))
    if rng.random() < 0.3:
        headers["X-Amz-Invocation-Type"] = rng.choice(["Event", "DryRun", "Bogus"])
    return rng.choice(["GET", "POST", "PUT", "DELETE", "OPTIONS", "PATCH"]), path, rng.choice(BODIES), headers


def test_malformed_requests_get_aws_shaped_errors_and_the_server_survives(cloud):
    rng = random.Random(20261126)
    for _ in range(250):
        method, path, body, headers = _case(rng)
        status, response_headers, payload = _request(cloud, method, path, body, headers)
        assert 100 <= status < 600
        assert b"Traceback" not in payload and b"werkzeug" not in payload.lower(), (method, path, payload[:300])
        ours = _answered_by_middleware(path, headers)
        if ours and status >= 400:
            assert status < 500, (method, path, headers, body, payload[:300])
            document = json.loads(payload)
            assert document.get("message") or document.get("Message"), payload
    status, _, payload = _request(cloud, "GET", "/_localcloud/health", b"", {})
    assert status == 200 and json.loads(payload)["status"] == "ok"


def _answered_by_middleware(path: str, headers: dict) -> bool:
    """Routes the middleware owns (moto's own answers are checked only for staying up)."""
    decoded = urllib.parse.unquote(path.split("?")[0])
    signed_for = headers.get("Authorization", "").split("/")[3] if "Authorization" in headers else None
    return (headers.get("X-Amz-Target", "").startswith("AWSStepFunctions.")
            or bool(INVOKE_PATH.match(decoded) and signed_for in (None, "lambda"))
            or bool(EXECUTE_API.match(decoded)))


def test_a_body_without_content_length_does_not_hang_the_server(cloud):
    conn = http.client.HTTPConnection("127.0.0.1", cloud.port, timeout=10)
    conn.putrequest("POST", "/2015-03-31/functions/none/invocations")
    conn.putheader("Authorization", SIGNED.format(service="lambda"))
    conn.endheaders()
    response = conn.getresponse()
    assert response.status == 404
    assert json.loads(response.read())["__type"] == "ResourceNotFoundException"
    conn.close()
