"""Entry point of the workflow's Recommend state."""
from __future__ import annotations

import logging
import time

from lambdas import logs
from lambdas.errors import ApiError
from lambdas.handlers.common import combine, rankers
from lambdas.logic import workflow_steps


def _answer(event: dict, ranker) -> dict | ApiError:
    try:
        return workflow_steps.recommend(event, ranker)
    except ApiError as error:  # a second backend's failure is shown beside the first's answer
        return error


def _recommend(event: dict) -> dict:
    return combine([(name, _answer(event, ranker)) for name, ranker in rankers()])


def handler(event: dict, context) -> dict:
    """The response document (with the second backend's list when there are two), or ``{"error": ...}``."""
    with logs.invocation(context):
        started = time.perf_counter()
        answer = workflow_steps.as_output(_recommend, event)
        if "error" in answer:
            logs.log(logging.WARNING, "not recommended", workflow_request_id=event.get("request_id"),
                     error=answer["error"])
            return answer
        logs.log(logging.INFO, "recommended", workflow_request_id=event.get("request_id"),
                 backend=answer["document"]["backend"], count=len(answer["document"]["recommendations"]),
                 ms=round((time.perf_counter() - started) * 1000, 2))
        return answer
