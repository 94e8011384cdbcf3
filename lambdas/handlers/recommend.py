"""Entry point of the workflow's Recommend state."""
from __future__ import annotations

import logging
import time

from lambdas import logs
from lambdas.handlers.common import model
from lambdas.logic import workflow_steps


def _recommend(event: dict) -> dict:
    return workflow_steps.recommend(event, model())


def handler(event: dict, context) -> dict:
    """The response document, or ``{"error": ...}`` when the model cannot score."""
    with logs.invocation(context):
        started = time.perf_counter()
        answer = workflow_steps.as_output(_recommend, event)
        if "error" in answer:
            logs.log(logging.WARNING, "not recommended", workflow_request_id=event.get("request_id"),
                     error=answer["error"])
            return answer
        logs.log(logging.INFO, "recommended", workflow_request_id=event.get("request_id"),
                 count=len(answer["document"]["recommendations"]),
                 ms=round((time.perf_counter() - started) * 1000, 2))
        return answer
