"""The stack's life on the local cloud, in order (runs after the API tests): deploy again changes
nothing; a new model is uploaded before the functions point at it; after a restart of the local
cloud, a deploy interrupted by Ctrl-C converges on the next deploy; destroy leaves nothing and is
harmless twice."""
import json
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

pytestmark = [pytest.mark.stack, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]


def _log(stack) -> str:
    return (stack.root / "terraform" / "local" / "terraform.log").read_text()


def _last(stack, command: str) -> str:
    log = _log(stack)
    return log[log.rfind(f"$ terraform {command}"):]


def _answers(api_url: str) -> bool:
    answer = requests.post(api_url + "/recommendations", json={"mode": "metadata", "metadata": {"AGE": 50}},
                           timeout=30)
    return answer.status_code == 200 and bool(answer.json()["recommendations"])


def test_deploy_again_changes_nothing(deployed_stack):
    first = deployed_stack.deployment
    again = deployed_stack.deploy()
    assert again.changes["package_sha256"] == first.changes["package_sha256"], "sources changed during the test"
    assert again.changes["terraform"] == {"added": 0, "changed": 0, "destroyed": 0}, _last(deployed_stack, "apply")
    assert again.changes["site"]["uploaded"] == [] and again.changes["site"]["deleted"] == []
    assert again.changes["model_prefix"] == first.changes["model_prefix"]


def test_a_new_model_is_uploaded_before_the_functions_point_at_it(deployed_stack, tmp_path):
    # Given the deployed model with a changed manifest (same content, other bytes: a new fingerprint)
    old_prefix = deployed_stack.outputs["model_prefix"]
    model = tmp_path / "model"
    model.mkdir()
    for path in (ROOT / "build" / "models" / "default").iterdir():
        (model / path.name).write_bytes(path.read_bytes())
    manifest = json.loads((model / "manifest.json").read_text())
    (model / "manifest.json").write_text(json.dumps(manifest, indent=1))

    # When it is deployed
    new = deployed_stack.deploy(model_dir=model)

    # Then it lives under a new prefix, uploaded before any function changed, the old one deleted after
    assert new.changes["model_prefix"] != old_prefix and new.outputs["model_prefix"] == new.changes["model_prefix"]
    lines = _last(deployed_stack, "apply").splitlines()
    uploaded = max(i for i, line in enumerate(lines) if "aws_s3_object.model" in line and "Creation complete" in line)
    switched = [i for i, line in enumerate(lines) if "aws_lambda_function.this: Modifying" in line]
    removed = [i for i, line in enumerate(lines) if "aws_s3_object.model" in line and "Destroying" in line]
    assert len(switched) == 3 and uploaded < min(switched) and min(removed) > max(switched)
    functions = deployed_stack.client("lambda")
    for name in new.outputs["function_names"].values():
        env = functions.get_function_configuration(FunctionName=name)["Environment"]["Variables"]
        assert env["MODEL_PREFIX"] == new.outputs["model_prefix"]
    assert _answers(new.api_url)


def test_after_a_restart_an_interrupted_deploy_converges_when_run_again(deployed_stack):
    # Given a restarted (empty) local cloud, and a deploy running in its own process
    deployed_stack.restart_cloud()
    code = ("from devtasks.stack_deploy import deploy; import os; "
            f"deploy('local', state_root={str(deployed_stack.root / 'terraform')!r}, "
            f"site_dir={str(deployed_stack.root / 'site')!r}, port={deployed_stack.port})")
    before = len(_log(deployed_stack))
    process = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, env=deployed_stack.env(),
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    # When Ctrl-C arrives while resources are being created
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline and _log(deployed_stack)[before:].count("Creation complete") < 5:
        assert process.poll() is None, process.communicate()
        time.sleep(0.2)
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=300)

    # Then the deploy noticed the restart (asking the emulator), let Terraform finish the apply so the
    # state records everything, stopped and said what to do; the next deploy finishes the job
    assert process.returncode != 0
    text = " ".join(err.split())
    assert "holds none of this state's resources" in text, err[-2000:]
    assert "interrupt received" in text and "stopped cleanly" in text and "Run `invoke deploy`" in text, err[-2000:]
    assert "Error acquiring the state lock" not in _log(deployed_stack)
    again = deployed_stack.deploy()
    assert again.changes["terraform"] == {"added": 0, "changed": 0, "destroyed": 0}, _last(deployed_stack, "apply")
    assert _answers(again.api_url)


def test_destroy_leaves_nothing_and_a_second_destroy_is_harmless(deployed_stack):
    deployed_stack.destroy(stop_cloud=False)
    try:
        left = {
            "buckets": deployed_stack.client("s3").list_buckets()["Buckets"],
            "tables": deployed_stack.client("dynamodb").list_tables()["TableNames"],
            "functions": deployed_stack.client("lambda").list_functions()["Functions"],
            "state machines": deployed_stack.client("stepfunctions").list_state_machines()["stateMachines"],
            "apis": deployed_stack.client("apigateway").get_rest_apis()["items"],
            "roles": deployed_stack.client("iam").list_roles()["Roles"],
        }
        deployed_stack.destroy(stop_cloud=False)  # nothing left: says so and changes nothing
    finally:
        deployed_stack.destroy()  # stops the local cloud
    assert {kind: found for kind, found in left.items() if found} == {}
    assert re.search(r"nothing is deployed on local", deployed_stack.log.getvalue())
