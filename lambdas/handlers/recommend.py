"""Entry point of the workflow's Recommend state."""
from __future__ import annotations

import logging
import time

from lambdas import logs
from lambdas.errors import ModelUnavailable
from lambdas.handlers.common import combine, rankers
from lambdas.logic import workflow_steps


def _answer(event: dict, ranker) -> dict | Exception:
    try:
        return workflow_steps.recommend(event, ranker)
    except ModelUnavailable as error:
        return error


def handler(event: dict, context) -> dict:
    """Score the validated request with the deployment's backend(s) and build the response document."""
    with logs.invocation(context):
        started = time.perf_counter()
        answer = combine([(name, _answer(event, ranker)) for name, ranker in rankers()])
        logs.log(logging.INFO, "recommended", workflow_request_id=event.get("request_id"),
                 backend=answer["document"]["backend"], count=len(answer["document"]["recommendations"]),
                 ms=round((time.perf_counter() - started) * 1000, 2))
        return answer
