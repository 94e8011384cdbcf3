"""The api function's routes: one function per route, one table mapping them."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Callable

from lambdas.config import Settings
from lambdas.dal import events, results, workflow
from lambdas.errors import ApiError, MethodNotAllowed, NotFound, StepFailed, StepTimeout, Unprocessable, \
    from_document
from lambdas.logic import catalogue, requests


@dataclass
class Services:
    """What the routes use: settings, the model (loaded on first use), clients, clock, ids."""

    settings: Settings
    model: Callable[[], Any]
    dynamodb: Any
    sfn: Any
    now: Callable[[], datetime]
    new_id: Callable[[], str]


def list_products(event: dict, services: Services) -> tuple[int, Any]:
    return 200, catalogue.products_page(services.model(), event.get("queryStringParameters"))


def get_metadata_schema(event: dict, services: Services) -> tuple[int, Any]:
    return 200, catalogue.metadata_schema(services.model())


def outcome_error(outcome: dict, request_id: str) -> ApiError | None:
    """The error a workflow outcome carries (None for a stored recommendation).

    A refused request is the output ``{"error": {...}}`` of a succeeded execution; a failed step
    ends the execution with that document as its cause (stepfunctions/recommendation.asl.json).
    """
    output = outcome.get("output")
    if outcome.get("status") == "SUCCEEDED":
        if isinstance(output, dict) and "error" in output:
            return from_document(output["error"])
        if isinstance(output, dict) and output.get("request_id") == request_id:
            return None
        return StepFailed(f"execution {request_id} succeeded without a recommendation: {str(output)[:200]}")
    if outcome.get("status") == "TIMED_OUT":
        return StepTimeout(f"execution {request_id} timed out")
    try:
        cause = json.loads(outcome.get("cause") or "")
    except ValueError:
        cause = None
    if isinstance(cause, dict) and isinstance(cause.get("error"), dict):
        failure = from_document(cause["error"])
        if cause.get("detail"):  # what the step really raised: for the log (a 5xx answers a fixed sentence)
            failure.message += f" [{json.dumps(cause['detail'])[:500]}]"
        return failure
    return StepFailed(f"execution {request_id} ended {outcome.get('status')} ({outcome.get('error')}): "
                      f"{str(outcome.get('cause'))[:300]}")


def create_recommendation(event: dict, services: Services) -> tuple[int, Any]:
    settings = services.settings
    body = requests.parse_body(event.get("body"), bool(event.get("isBase64Encoded")), settings.max_body_bytes)
    request_id = services.new_id()
    outcome = workflow.run(services.sfn, settings.state_machine_arn, request_id,
                           {"request_id": request_id, "request": body})
    failure = outcome_error(outcome, request_id)
    if failure is not None:
        raise failure
    return 200, outcome["output"]


def get_recommendation(event: dict, services: Services) -> tuple[int, Any]:
    request_id = requests.request_id((event.get("pathParameters") or {}).get("request_id"))
    document = results.get(services.dynamodb, services.settings.results_table, request_id)
    if document is None:
        raise NotFound(f"no recommendation with id {request_id} (results are kept "
                       f"{services.settings.result_ttl_days} days)", "request_id")
    return 200, document


def record_event(event: dict, services: Services) -> tuple[int, Any]:
    settings = services.settings
    body = requests.parse_body(event.get("body"), bool(event.get("isBase64Encoded")), settings.max_body_bytes)
    clean = requests.event_request(body, services.model())
    if not results.exists(services.dynamodb, settings.results_table, clean["request_id"]):
        raise Unprocessable(f"no recommendation with request_id {clean['request_id']}; "
                            "send the id POST /recommendations answered", "request_id")
    now = services.now()
    event_id = services.new_id()
    events.put(services.dynamodb, settings.events_table, {
        **clean, "event_id": event_id, "created_at": now.isoformat(timespec="milliseconds"),
        "expires_at": int(now.timestamp()) + settings.result_ttl_days * 86400,
    })
    return 202, {"event_id": event_id}


ROUTES: dict[tuple[str, str], Callable[[dict, Services], tuple[int, Any]]] = {
    ("GET", "/products"): list_products,
    ("GET", "/metadata-schema"): get_metadata_schema,
    ("POST", "/recommendations"): create_recommendation,
    ("GET", "/recommendations/{request_id}"): get_recommendation,
    ("POST", "/events"): record_event,
}
RESOURCES = sorted({resource for _, resource in ROUTES})
_PATTERNS = [(re.compile("^" + re.sub(r"\{[^}]+\}", "[^/]+", resource) + "/?$"), resource) for resource in RESOURCES]


def resource_of(event: dict) -> str | None:
    """The route template of a proxy event (API Gateway's ``resource``, else matched from ``path``)."""
    resource = event.get("resource")
    if resource in RESOURCES:
        return resource
    path = event.get("path") or ""
    for pattern, known in _PATTERNS:
        if pattern.match(path):
            return known
    return None


def is_preflight(event: dict) -> bool:
    """A CORS preflight for one of the API's routes."""
    return (event.get("httpMethod") or "").upper() == "OPTIONS" and resource_of(event) is not None


def check_path(event: dict) -> None:
    """NotFound when a path parameter cannot name anything (as the route itself would answer)."""
    if resource_of(event) == "/recommendations/{request_id}":
        requests.request_id((event.get("pathParameters") or {}).get("request_id"))


def route(event: dict) -> Callable[[dict, Services], tuple[int, Any]]:
    """The function serving ``event``: NotFound naming the routes, or MethodNotAllowed naming the methods."""
    method = (event.get("httpMethod") or "").upper()
    resource = resource_of(event)
    handler = ROUTES.get((method, resource or ""))
    if handler is not None:
        return handler
    if resource is not None:
        allow = sorted({m for m, r in ROUTES if r == resource}) + ["OPTIONS"]
        raise MethodNotAllowed(f"{resource} takes {' and '.join(allow)}, not {method[:20]}", allow)
    served = ", ".join(f"{m} {r}" for m, r in ROUTES)
    raise NotFound(f"no route {method[:20]} {str(event.get('path', ''))[:100]}; the API serves {served}")
