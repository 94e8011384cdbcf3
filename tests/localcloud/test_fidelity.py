"""Fidelity suite: a small Terraform config applied to the local cloud, every path called, then destroyed.

The tests run in file order on one applied stack: apply (fixture) → calls → plan shows no
changes → destroy leaves nothing.
"""
from __future__ import annotations

import json
import shutil
import subprocess
import time
import urllib.error
import urllib.request
import zipfile
from pathlib import Path

import pytest
from botocore.exceptions import ClientError

from localcloud.terraform import terraform_env

pytestmark = [pytest.mark.cloud, pytest.mark.slow]

HERE = Path(__file__).parent
INDEX_HTML = "<!doctype html><title>fidelity</title><p>local site</p>\n"


class Stack:
    def __init__(self, cloud, workdir: Path):
        self.cloud, self.workdir = cloud, workdir
        self.vars = [f"-var=endpoint={cloud.endpoint}", f"-var=items_zip={workdir / 'items.zip'}",
                     f"-var=steps_zip={workdir / 'steps.zip'}", f"-var=site_dir={workdir / 'site'}"]
        self.outputs: dict = {}
        self.destroyed = False

    def terraform(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        result = subprocess.run(["terraform", *args], cwd=self.workdir / "tf", env=terraform_env(),
                                capture_output=True, text=True, timeout=300)
        if check and result.returncode != 0:
            raise AssertionError(f"terraform {args[0]} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
        return result

    def url(self, api: str, path: str) -> str:
        return f"{self.cloud.endpoint}/restapis/{self.outputs[api]}/test/_user_request_{path}"


def _zip(source: Path, target: Path) -> None:
    with zipfile.ZipFile(target, "w") as archive:
        archive.write(source, source.name)


@pytest.fixture(scope="module")
def stack(cloud, tmp_path_factory):
    workdir = tmp_path_factory.mktemp("fidelity")
    shutil.copytree(HERE / "terraform", workdir / "tf", ignore=shutil.ignore_patterns(".terraform*", "*.tfstate*"))
    _zip(HERE / "lambdas" / "items.py", workdir / "items.zip")
    _zip(HERE / "lambdas" / "steps.py", workdir / "steps.zip")
    (workdir / "site").mkdir()
    (workdir / "site" / "index.html").write_text(INDEX_HTML)
    (workdir / "site" / "app.js").write_text("console.log('fidelity');\n")
    stack = Stack(cloud, workdir)
    stack.terraform("init", "-input=false", "-no-color")
    started = time.monotonic()
    stack.terraform("apply", "-auto-approve", "-input=false", "-no-color", *stack.vars)
    stack.apply_seconds = time.monotonic() - started
    raw = json.loads(stack.terraform("output", "-json").stdout)
    stack.outputs = {k: v["value"] for k, v in raw.items()}
    yield stack
    if not stack.destroyed:
        stack.terraform("destroy", "-auto-approve", "-input=false", "-no-color", *stack.vars, check=False)


def _call(method: str, url: str, body: dict | None = None, headers: dict | None = None):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method,
                                     headers={"Content-Type": "application/json", **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def test_website_serves_index_and_objects_with_content_types(stack):
    status, headers, body = _call("GET", f"{stack.cloud.endpoint}/_website/{stack.outputs['bucket']}/")
    assert (status, body.decode()) == (200, INDEX_HTML)
    assert headers["Content-Type"].startswith("text/html")
    status, headers, _ = _call("GET", f"{stack.cloud.endpoint}/_website/{stack.outputs['bucket']}/js/app.js")
    assert status == 200 and headers["Content-Type"] == "text/javascript"


@pytest.mark.parametrize("api", ["rest_api_id", "openapi_api_id"])
def test_proxy_lambda_writes_and_reads_dynamodb(stack, api):
    key = f"item-{api}"
    status, _, body = _call("PUT", stack.url(api, f"/items/{key}"), {"value": 42})
    assert status == 201, body
    status, headers, body = _call("GET", stack.url(api, f"/items/{key}?x=1"))
    assert status == 200 and headers["Access-Control-Allow-Origin"] == "*"
    assert json.loads(body) == {"pk": key, "value": "42", "query": {"x": "1"}, "resource": "/items/{proxy+}",
                                "stage": "test"}
    item = stack.cloud.client("dynamodb").get_item(TableName=stack.outputs["table"], Key={"pk": {"S": key}})
    assert item["Item"]["source"] == {"S": "api"}


@pytest.mark.parametrize("api", ["rest_api_id", "openapi_api_id"])
def test_failing_lambda_is_a_502(stack, api):
    status, _, body = _call("GET", stack.url(api, "/items/fail"))
    assert (status, json.loads(body)) == (502, {"message": "Internal server error"})


@pytest.mark.parametrize("api", ["rest_api_id", "openapi_api_id"])
def test_unknown_route_is_missing_authentication_token(stack, api):
    status, _, body = _call("GET", stack.url(api, "/nowhere"))
    assert (status, json.loads(body)) == (403, {"message": "Missing Authentication Token"})


def test_aws_integration_runs_the_express_workflow_synchronously(stack):
    status, _, body = _call("POST", stack.url("rest_api_id", "/sync"), {"n": 4})
    assert status == 200
    assert json.loads(body) == {"status": "SUCCEEDED", "result": {"n": 8, "label": "n=8"}, "label": "n=8"}
    status, _, body = _call("POST", stack.url("openapi_api_id", "/sync"), {"n": 5})
    assert (status, json.loads(body)) == (200, {"n": 10, "label": "n=10"})


@pytest.mark.parametrize("api", ["rest_api_id", "openapi_api_id"])
def test_mock_integration_answers_cors_preflight(stack, api):
    status, headers, _ = _call("OPTIONS", stack.url(api, "/sync"), headers={"Origin": "http://example.test"})
    assert status == 200
    assert headers["Access-Control-Allow-Origin"] == "*"
    assert headers["Access-Control-Allow-Methods"] == "POST,OPTIONS"


def test_openapi_validator_rejects_a_bad_body_before_the_workflow(stack):
    status, headers, body = _call("POST", stack.url("openapi_api_id", "/sync"), {"n": "four", "extra": 1})
    assert status == 400 and headers["Access-Control-Allow-Origin"] == "*"
    text = body.decode()  # validationErrorString carries raw quotes, as on AWS
    assert text.startswith('{"message": "[') and "not allowed by the schema" in text
    assert 'does not match any allowed primitive type (allowed: ["integer"]) at instance/n' in text


def test_standard_workflow_runs_lambda_then_dynamodb_integration_twice_unnamed(stack):
    sfn = stack.cloud.client("stepfunctions")
    assert sfn.describe_state_machine(stateMachineArn=stack.outputs["express_arn"])["type"] == "EXPRESS"
    arns = [sfn.start_execution(stateMachineArn=stack.outputs["standard_arn"],
                                input=json.dumps({"key": f"std-{n}", "n": n}))["executionArn"] for n in (3, 4)]
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and any(
            sfn.describe_execution(executionArn=a)["status"] == "RUNNING" for a in arns):
        time.sleep(0.1)
    assert [sfn.describe_execution(executionArn=a)["status"] for a in arns] == ["SUCCEEDED", "SUCCEEDED"]
    ddb = stack.cloud.client("dynamodb")
    values = [ddb.get_item(TableName=stack.outputs["table"], Key={"pk": {"S": f"std-{n}"}})["Item"]["value"]["S"]
              for n in (3, 4)]
    assert values == ["6", "8"]


def test_plan_shows_no_changes_and_destroy_leaves_nothing(stack):
    plan = stack.terraform("plan", "-detailed-exitcode", "-input=false", "-no-color", *stack.vars, check=False)
    assert plan.returncode == 0, plan.stdout[-3000:]
    stack.terraform("destroy", "-auto-approve", "-input=false", "-no-color", *stack.vars)
    stack.destroyed = True
    cloud, out = stack.cloud, stack.outputs
    assert out["bucket"] not in [b["Name"] for b in cloud.client("s3").list_buckets()["Buckets"]]
    assert out["table"] not in cloud.client("dynamodb").list_tables()["TableNames"]
    names = [f["FunctionName"] for f in cloud.client("lambda").list_functions()["Functions"]]
    assert not set(out["functions"]) & set(names)
    machines = [m["stateMachineArn"] for m in cloud.client("stepfunctions").list_state_machines()["stateMachines"]]
    assert out["standard_arn"] not in machines and out["express_arn"] not in machines
    apis = [a["id"] for a in cloud.client("apigateway").get_rest_apis()["items"]]
    assert out["rest_api_id"] not in apis and out["openapi_api_id"] not in apis
    with pytest.raises(ClientError):
        cloud.client("lambda").get_function(FunctionName=out["functions"][0])
