"""Entry point of the workflow's Recommend state."""
from __future__ import annotations

import logging
import time

from lambdas import logs
from lambdas.handlers.common import model
from lambdas.logic import workflow_steps


def handler(event: dict, context) -> dict:
    """Score the validated request with the model and build the response document."""
    with logs.invocation(context):
        started = time.perf_counter()
        answer = workflow_steps.recommend(event, model())
        logs.log(logging.INFO, "recommended", workflow_request_id=event.get("request_id"),
                 count=len(answer["document"]["recommendations"]),
                 ms=round((time.perf_counter() - started) * 1000, 2))
        return answer
