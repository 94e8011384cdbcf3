"""What `invoke status` and `invoke logs` read: the Terraform outputs and CloudWatch Logs."""
from __future__ import annotations

import time

from devtasks import emulator
from devtasks.clients import client
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
        lines.append(f"{target}: deployed in {outputs.get('region')}")
        lines.append(f"  website: {outputs['website_url']}")
        lines.append(f"  API:     {outputs['api_url']}")
        lines.append(f"  functions: {', '.join(outputs['function_names'].values())}")
        if target == "local":
            import localcloud

            cloud = localcloud.status()
            if not cloud["running"]:
                lines.append("  local cloud: stopped (its resources are gone; `invoke deploy` re-applies)")
            elif emulator.state_is_stale(stack.resources(),
                                         lambda service: client(service, outputs["region"], cloud["endpoint"])):
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
    endpoint = outputs.get("endpoint") or None
    if target == "local":
        import localcloud

        if not localcloud.is_running():
            raise LookupFailed("the local cloud is not running: `invoke deploy` starts it")
    logs = client("logs", outputs["region"], endpoint)
    since = int((time.time() - minutes * 60) * 1000)
    seen: set[str] = set()
    while True:
        try:
            pages = logs.get_paginator("filter_log_events").paginate(
                logGroupName=f"/aws/lambda/{function}", startTime=since)
            events = [e for page in pages for e in page.get("events", [])]
        except logs.exceptions.ResourceNotFoundException:
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
