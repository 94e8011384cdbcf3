"""Local cloud figures: warm invoke, API → Lambda → DynamoDB, Express sync, worker RSS, apply/destroy.

Run with ``invoke bench --suite localcloud`` (or ``python -m bench.localcloud [--runs N] [--skip-terraform]``).
It starts its own emulator on a free port with a scratch state folder and stops it at the end.
"""
from __future__ import annotations

import argparse
import datetime
import io
import json
import os
import platform
import shutil
import socket
import statistics
import subprocess
import tempfile
import time
import urllib.request
import uuid
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path


import localcloud
from localcloud import control
from localcloud.terraform import terraform_env

ROOT = Path(__file__).resolve().parent.parent
FIDELITY = ROOT / "tests" / "localcloud"

ITEMS = """
import json, os, boto3
TABLE = boto3.resource("dynamodb").Table(os.environ["TABLE_NAME"])
def handler(event, context):
    item = TABLE.get_item(Key={"pk": event["pathParameters"]["id"]}).get("Item")
    return {"statusCode": 200, "body": json.dumps(item)}
"""
STEP = "def handler(event, context):\n    return {'n': event['n'] + 1}\n"
CARRY = "def handler(event, context):\n    return dict(event, n=event['n'] + 1)\n"
NOOP = "def handler(event, context):\n    return event\n"


def _zip(source: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("app.py", source)
    return buffer.getvalue()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _client(endpoint: str, service: str):
    return localcloud.client(service, endpoint)


def _timed(call, runs: int) -> list[float]:
    call()  # warm
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def _deploy(endpoint: str) -> dict:
    lam, ddb, iam = (_client(endpoint, s) for s in ("lambda", "dynamodb", "iam"))
    role = iam.create_role(RoleName="bench", AssumeRolePolicyDocument="{}")["Role"]["Arn"]
    ddb.create_table(TableName="bench", KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                     AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                     BillingMode="PAY_PER_REQUEST")
    ddb.put_item(TableName="bench", Item={"pk": {"S": "a"}, "v": {"S": "1"}})
    arns = {}
    for name, source, env in (("noop", NOOP, {}), ("items", ITEMS, {"TABLE_NAME": "bench"}), ("step", STEP, {}),
                              ("carry", CARRY, {})):
        arns[name] = lam.create_function(FunctionName=f"bench-{name}", Runtime="python3.11", Role=role,
                                         Handler="app.handler", Code={"ZipFile": _zip(source)},
                                         Environment={"Variables": env})["FunctionArn"]
    apigw = _client(endpoint, "apigateway")
    api = apigw.create_rest_api(name="bench")["id"]
    root = apigw.get_resources(restApiId=api)["items"][0]["id"]
    parent = apigw.create_resource(restApiId=api, parentId=root, pathPart="items")["id"]
    child = apigw.create_resource(restApiId=api, parentId=parent, pathPart="{id}")["id"]
    apigw.put_method(restApiId=api, resourceId=child, httpMethod="GET", authorizationType="NONE")
    apigw.put_integration(restApiId=api, resourceId=child, httpMethod="GET", type="AWS_PROXY",
                          integrationHttpMethod="POST",
                          uri=f"arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/{arns['items']}/invocations")
    apigw.create_deployment(restApiId=api, stageName="bench")
    task = {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "OutputPath": "$.Payload",
            "Parameters": {"FunctionName": arns["step"], "Payload.$": "$"}}
    definition = {"StartAt": "A", "States": {"A": dict(task, Next="B"), "B": dict(task, End=True)}}
    machine = _client(endpoint, "stepfunctions").create_state_machine(
        name="bench", definition=json.dumps(definition), roleArn=role, type="EXPRESS")["stateMachineArn"]
    workflow = _client(endpoint, "stepfunctions").create_state_machine(
        name="bench-workflow", definition=json.dumps(_product_shaped(arns["carry"])), roleArn=role,
        type="EXPRESS")["stateMachineArn"]
    return {"api": api, "machine": machine, "workflow": workflow}


def _product_shaped(function_arn: str) -> dict:
    """The product workflow's shape: Lambda → DynamoDB putItem → Lambda → putItem, Retry and Catch on each."""
    guard = {"Retry": [{"ErrorEquals": ["Lambda.TooManyRequestsException"], "MaxAttempts": 2}],
             "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "Failed"}]}
    put = {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:putItem", "ResultPath": None, **guard,
           "Parameters": {"TableName": "bench", "Item": {"pk": {"S.$": "$.id"},
                                                         "v": {"S.$": "States.Format('{}', $.n)"}}}}
    call = {"Type": "Task", "Resource": function_arn, **guard}
    return {"StartAt": "A", "States": {
        "A": dict(call, Next="B"), "B": dict(put, Next="C"), "C": dict(call, Next="D"), "D": dict(put, End=True),
        "Failed": {"Type": "Fail", "ErrorPath": "$.error.Error", "CausePath": "$.error.Cause"}}}


def _throughput(endpoint: str, machine: str, clients: int, per_client: int) -> float:
    """Sync executions per second with ``clients`` callers in parallel."""
    def run(_: int) -> None:
        sfn = _client(endpoint, "stepfunctions")
        for _ in range(per_client):
            sfn.start_sync_execution(stateMachineArn=machine, input=json.dumps({"id": uuid.uuid4().hex, "n": 1}))

    started = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        list(pool.map(run, range(clients)))
    return clients * per_client / (time.perf_counter() - started)


def _rss_mb(state_dir: Path, endpoint: str) -> float:
    """Mean resident memory of the emulator's Lambda worker processes."""
    server_pid = json.loads((state_dir / "server.json").read_text())["pid"]
    sizes = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            cmdline = (proc / "cmdline").read_bytes()
            if b"functions/bootstrap.py" not in cmdline:
                continue
            status = (proc / "status").read_text()
            ppid = int(next(l for l in status.splitlines() if l.startswith("PPid:")).split()[1])
            if ppid != server_pid:
                continue
            rss = int(next(l for l in status.splitlines() if l.startswith("VmRSS:")).split()[1])
            sizes.append(rss / 1024)
        except (OSError, StopIteration, ValueError):
            continue
    return statistics.mean(sizes) if sizes else float("nan")


def _terraform_times(endpoint: str) -> tuple[float, float]:
    work = Path(tempfile.mkdtemp(prefix="bench-tf-"))
    try:
        shutil.copytree(FIDELITY / "terraform", work / "tf", ignore=shutil.ignore_patterns(".terraform*", "*.tfstate*"))
        for name in ("items", "steps"):
            with zipfile.ZipFile(work / f"{name}.zip", "w") as archive:
                archive.write(FIDELITY / "lambdas" / f"{name}.py", f"{name}.py")
        (work / "site").mkdir()
        (work / "site" / "index.html").write_text("<p>bench</p>")
        (work / "site" / "app.js").write_text("//")
        args = [f"-var=endpoint={endpoint}", f"-var=items_zip={work / 'items.zip'}",
                f"-var=steps_zip={work / 'steps.zip'}", f"-var=site_dir={work / 'site'}", "-var=name=tfbench"]
        def run(*a: str) -> None:
            done = subprocess.run(["terraform", *a], cwd=work / "tf", env=terraform_env(), capture_output=True,
                                  text=True, timeout=600)
            if done.returncode:
                raise SystemExit(f"terraform {a[0]} failed:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")

        run("init", "-input=false")
        started = time.monotonic()
        run("apply", "-auto-approve", "-input=false", *args)
        applied = time.monotonic() - started
        started = time.monotonic()
        run("destroy", "-auto-approve", "-input=false", *args)
        return applied, time.monotonic() - started
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=200, help="timed calls per figure")
    parser.add_argument("--skip-terraform", action="store_true", help="leave out apply/destroy timing")
    args = parser.parse_args()
    state_dir = Path(tempfile.mkdtemp(prefix="bench-localcloud-"))
    endpoint = control.start(port=_free_port(), state_dir=state_dir)
    rows = []
    try:
        names = _deploy(endpoint)
        lam = _client(endpoint, "lambda")
        warm = _timed(lambda: lam.invoke(FunctionName="bench-noop", Payload=b'{"a": 1}')["Payload"].read(), args.runs)
        url = f"{endpoint}/restapis/{names['api']}/bench/_user_request_/items/a"
        api = _timed(lambda: urllib.request.urlopen(url).read(), args.runs)
        sfn = _client(endpoint, "stepfunctions")
        express = _timed(lambda: sfn.start_sync_execution(stateMachineArn=names["machine"], input='{"n": 1}'),
                         max(20, args.runs // 4))
        shaped = _timed(lambda: sfn.start_sync_execution(stateMachineArn=names["workflow"],
                                                         input=json.dumps({"id": uuid.uuid4().hex, "n": 1})),
                        max(20, args.runs // 4))
        rate = _throughput(endpoint, names["workflow"], 4, max(10, args.runs // 8))
        rows += [("Warm Lambda invoke (boto3), p50", f"{statistics.median(warm):.2f} ms", "≤ 3 ms"),
                 ("API GET → Lambda → DynamoDB, p50", f"{statistics.median(api):.2f} ms", "≤ 10 ms"),
                 ("Express sync execution, 2 Lambda states, p50", f"{statistics.median(express):.1f} ms", "≤ 60 ms"),
                 ("Express sync, product-shaped (2 Lambda + 2 putItem), p50",
                  f"{statistics.median(shaped):.1f} ms", "—"),
                 ("Same, 4 clients in parallel", f"{rate:.0f} exec/s", "—"),
                 ("RSS per warm worker", f"{_rss_mb(state_dir, endpoint):.0f} MB", "—")]
        if not args.skip_terraform:
            applied, destroyed = _terraform_times(endpoint)
            rows += [("Fidelity config apply (32 resources)", f"{applied:.1f} s", "—"),
                     ("Fidelity config destroy", f"{destroyed:.1f} s", "—")]
    finally:
        control.stop(state_dir=state_dir)
        shutil.rmtree(state_dir, ignore_errors=True)
    print(f"\nLocal cloud figures — {platform.node()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"{datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC, {args.runs} runs, "
          f"load average {os.getloadavg()[0]:.1f} at the end\n")
    width = max(len(r[0]) for r in rows)
    print(f"| {'Figure':<{width}} | {'Measured':>10} | {'Target':>7} |")
    print(f"|{'-' * (width + 2)}|{'-' * 11}:|{'-' * 8}:|")
    for name, value, target in rows:
        print(f"| {name:<{width}} | {value:>10} | {target:>7} |")


if __name__ == "__main__":
    main()
