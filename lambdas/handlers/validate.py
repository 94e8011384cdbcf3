"""Entry point of the workflow's Validate state."""
from __future__ import annotations

import logging
from datetime import datetime, timezone

from lambdas import config, logs
from lambdas.handlers.common import model
from lambdas.logic import workflow_steps


def _validate(event: dict) -> dict:
    return workflow_steps.validate(event, model(), datetime.now(timezone.utc), config.settings().result_ttl_days)


def handler(event: dict, context) -> dict:
    """The cleaned request, or ``{"error": {"code", "message", "field"}}`` saying what to fix."""
    with logs.invocation(context):
        answer = workflow_steps.as_output(_validate, event)
        if "error" in answer:
            logs.log(logging.INFO, "request refused", error=answer["error"])
        else:
            logs.log(logging.INFO, "request valid", workflow_request_id=answer["request_id"], mode=answer["mode"])
        return answer
