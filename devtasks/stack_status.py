"""What `invoke status` and `invoke logs` read: the Terraform outputs and CloudWatch Logs."""
from __future__ import annotations

import json
import time

from devtasks.stack_deploy import boto3_client
from devtasks.terraform import TARGETS, Stack


class LookupFailed(RuntimeError):
    """Nothing to show; the message says what to do."""


def _outputs(stack: Stack) -> dict:
    return stack.outputs() if stack.has_resources() else {}


def describe() -> str:
    """A few lines per target: deployed or not, URLs, the local cloud's state."""
    lines = []
    for target in TARGETS:
        stack = Stack(target)
        outputs = _outputs(stack)
        if not outputs:
            lines.append(f"{target}: nothing deployed")
            continue
        lines.append(f"{target}: deployed")
        lines.append(f"  website: {outputs['website_url']}")
        lines.append(f"  API:     {outputs['api_url']}")
        lines.append(f"  functions: {', '.join(outputs['function_names'].values())}")
        if target == "local":
            import localcloud

            cloud = localcloud.status()
            boot = stack.state_root / "local" / "localcloud.json"
            recorded = json.loads(boot.read_text()).get("boot_id") if boot.exists() else None
            if not cloud["running"]:
                lines.append("  local cloud: stopped (its resources are gone; `invoke deploy` re-applies)")
            elif cloud["boot_id"] != recorded:
                lines.append("  local cloud: restarted since the deploy (`invoke deploy` re-applies)")
            else:
                lines.append(f"  local cloud: running at {cloud['endpoint']} (pid {cloud['pid']})")
    return "\n".join(lines)


def tail(target: str, name: str, minutes: int = 30, follow: bool = False) -> None:
    """Print the function's log lines from the last ``minutes`` (and new ones if ``follow``)."""
    outputs = _outputs(Stack(target))
    if not outputs:
        raise LookupFailed(f"nothing is deployed on {target}: run `invoke deploy --target {target}` first")
    functions = outputs["function_names"]
    function = functions.get(name, name)
    if function not in functions.values():
        raise LookupFailed(f"unknown function {name!r}: choose one of {', '.join(functions)}")
    endpoint = None
    if target == "local":
        import localcloud

        if not localcloud.is_running():
            raise LookupFailed("the local cloud is not running: `invoke deploy` starts it")
        endpoint = localcloud.endpoint()
    client = boto3_client("logs", endpoint)
    since = int((time.time() - minutes * 60) * 1000)
    seen: set[str] = set()
    while True:
        try:
            pages = client.get_paginator("filter_log_events").paginate(
                logGroupName=f"/aws/lambda/{function}", startTime=since)
            events = [e for page in pages for e in page.get("events", [])]
        except client.exceptions.ResourceNotFoundException:
            events = []
        for event in sorted(events, key=lambda e: e["timestamp"]):
            if event["eventId"] not in seen:
                seen.add(event["eventId"])
                print(event["message"].rstrip())
        if not follow:
            if not events:
                print(f"no log lines from {function} in the last {minutes} minutes")
            return
        time.sleep(2)
