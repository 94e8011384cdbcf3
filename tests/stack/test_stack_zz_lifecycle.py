"""Deploy again changes nothing; destroy leaves nothing (runs after the API tests)."""
import time

import pytest
import requests

pytestmark = [pytest.mark.stack, pytest.mark.slow]


def _last_apply_diff(stack) -> str:
    log = (stack.root / "terraform" / "local" / "terraform.log").read_text()
    last = log[log.rfind("$ terraform apply"):]
    return "\n".join(line for line in last.splitlines() if "~" in line or "will be" in line or "must be" in line)


def test_deploy_again_changes_nothing(deployed_stack):
    first = deployed_stack.deployment
    started = time.perf_counter()
    again = deployed_stack.deploy()
    seconds = time.perf_counter() - started
    assert again.changes["package_sha256"] == first.changes["package_sha256"], "sources changed during the test"
    assert again.changes["terraform"] == {"added": 0, "changed": 0, "destroyed": 0}, _last_apply_diff(deployed_stack)
    assert again.changes["model"]["uploaded"] == [] and again.changes["site"]["uploaded"] == []
    print(f"a repeat deploy took {seconds:.0f} s")  # a figure (bench/stack.py), not an assertion a busy machine misses


def test_deploy_notices_a_restarted_local_cloud_and_applies_again(deployed_stack):
    deployed_stack.restart_cloud()
    again = deployed_stack.deploy()
    assert again.changes["terraform"]["added"] >= 25
    answer = requests.post(again.api_url + "/recommendations", json={"mode": "metadata", "metadata": {"AGE": 50}},
                           timeout=30)
    assert answer.status_code == 200 and answer.json()["recommendations"]


def test_destroy_leaves_no_bucket_table_function_state_machine_or_api(deployed_stack):
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
    finally:
        deployed_stack.destroy()  # nothing left to destroy: stops the local cloud
    assert {kind: found for kind, found in left.items() if found} == {}
