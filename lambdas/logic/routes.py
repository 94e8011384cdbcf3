"""The api function's routes: one function per route, one table mapping them."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Callable

from lambdas.config import Settings
from lambdas.dal import events, results, workflow
from lambdas.errors import ModelUnavailable, NotFound, ValidationError, WorkflowFailed
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


def _cause_message(cause: str | None) -> str:
    try:
        parsed = json.loads(cause or "")
    except ValueError:
        return cause or "the request is invalid"
    return str(parsed.get("errorMessage", cause)) if isinstance(parsed, dict) else str(cause)


def create_recommendation(event: dict, services: Services) -> tuple[int, Any]:
    settings = services.settings
    body = requests.parse_body(event.get("body"), bool(event.get("isBase64Encoded")), settings.max_body_bytes)
    request_id = services.new_id()
    outcome = workflow.run(services.sfn, settings.state_machine_arn, request_id,
                           {"request_id": request_id, "request": body})
    if outcome["status"] == "SUCCEEDED" and isinstance(outcome["output"], dict):
        return 200, outcome["output"]
    error = outcome.get("error") or outcome["status"]
    if error == "ValidationError":
        raise ValidationError(_cause_message(outcome.get("cause")))
    if error == "ModelUnavailable":
        raise ModelUnavailable(_cause_message(outcome.get("cause")))
    raise WorkflowFailed(f"the recommendation workflow failed ({error}) for request {request_id}; try again")


def get_recommendation(event: dict, services: Services) -> tuple[int, Any]:
    request_id = ((event.get("pathParameters") or {}).get("request_id") or "").strip()
    if not requests.REQUEST_ID.fullmatch(request_id):
        raise ValidationError("request_id must be the 32-hex-character id POST /recommendations answered")
    document = results.get(services.dynamodb, services.settings.results_table, request_id)
    if document is None:
        raise NotFound(f"no recommendation with id {request_id} (results are kept "
                       f"{services.settings.result_ttl_days} days)")
    return 200, document


def record_event(event: dict, services: Services) -> tuple[int, Any]:
    settings = services.settings
    body = requests.parse_body(event.get("body"), bool(event.get("isBase64Encoded")), settings.max_body_bytes)
    clean = requests.event_request(body, services.model())
    if not results.exists(services.dynamodb, settings.results_table, clean["request_id"]):
        raise ValidationError(f"no recommendation with request_id {clean['request_id']}; "
                              "send the id POST /recommendations answered")
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
_PATTERNS = [(re.compile("^" + re.sub(r"\{[^}]+\}", "[^/]+", resource) + "/?$"), resource)
             for _, resource in ROUTES]


def resource_of(event: dict) -> str | None:
    """The route template of a proxy event (API Gateway's ``resource``, else matched from ``path``)."""
    resource = event.get("resource")
    if any(resource == known for _, known in ROUTES):
        return resource
    path = event.get("path") or ""
    for pattern, known in _PATTERNS:
        if pattern.match(path):
            return known
    return None


def is_preflight(event: dict) -> bool:
    """A CORS preflight for one of the API's routes."""
    return (event.get("httpMethod") or "").upper() == "OPTIONS" and resource_of(event) is not None


def route(event: dict) -> Callable[[dict, Services], tuple[int, Any]]:
    """The function serving ``event``; NotFound naming the routes if there is none."""
    method = (event.get("httpMethod") or "").upper()
    handler = ROUTES.get((method, resource_of(event) or ""))
    if handler is None:
        served = ", ".join(f"{m} {r}" for m, r in ROUTES)
        raise NotFound(f"no route {method} {event.get('path', '')}; the API serves {served}")
    return handler
