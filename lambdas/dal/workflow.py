"""The recommendation workflow: one synchronous Express execution per request."""
from __future__ import annotations

import json

from botocore.exceptions import BotoCoreError, ClientError, ReadTimeoutError

from lambdas.errors import StepFailed, StepTimeout


def run(sfn, state_machine_arn: str, request_id: str, payload: dict) -> dict:
    """Start the execution and wait for it; return ``{"status", "output", "error", "cause"}``.

    Raises
    ------
    StepTimeout, StepFailed
        The execution could not be started or its answer did not arrive in time.
    """
    try:
        answer = sfn.start_sync_execution(stateMachineArn=state_machine_arn, name=request_id,
                                          input=json.dumps(payload))
    except ReadTimeoutError:
        raise StepTimeout(f"StartSyncExecution {request_id} did not answer in time") from None
    except (ClientError, BotoCoreError) as error:
        raise StepFailed(f"StartSyncExecution {request_id} failed: {error}") from None
    output = answer.get("output")
    try:
        document = json.loads(output) if output else None
    except ValueError:
        document = None
    return {"status": answer.get("status"), "output": document, "error": answer.get("error"),
            "cause": answer.get("cause")}
