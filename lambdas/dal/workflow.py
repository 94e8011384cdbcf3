"""The recommendation workflow: one synchronous Express execution per request."""
from __future__ import annotations

import json


def run(sfn, state_machine_arn: str, request_id: str, payload: dict) -> dict:
    """Start the execution and wait for it; return ``{"status", "output", "error", "cause"}``."""
    answer = sfn.start_sync_execution(stateMachineArn=state_machine_arn, name=request_id,
                                      input=json.dumps(payload))
    output = answer.get("output")
    return {
        "status": answer.get("status"),
        "output": json.loads(output) if output else None,
        "error": answer.get("error"),
        "cause": answer.get("cause"),
    }
