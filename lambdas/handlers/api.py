"""Entry point of every HTTP route (API Gateway REST, Lambda proxy integration)."""
from __future__ import annotations

import logging
import time
import uuid
from datetime import datetime, timezone

from lambdas import config, logs
from lambdas.config import ConfigError
from lambdas.dal import aws
from lambdas.errors import status_of
from lambdas.handlers.common import model
from lambdas.logic import http, routes


def _services() -> routes.Services:
    return routes.Services(
        settings=config.settings(), model=model, dynamodb=aws.client("dynamodb"), sfn=aws.client("stepfunctions"),
        now=lambda: datetime.now(timezone.utc), new_id=lambda: uuid.uuid4().hex,
    )


def handler(event: dict, context) -> dict:
    """Serve one API Gateway proxy event; never lets a stack trace reach the client."""
    started = time.perf_counter()
    with logs.invocation(context) as request_id:
        where = {"method": event.get("httpMethod"), "path": event.get("path")}
        origin = ""
        try:
            services = _services()
            origin = services.settings.cors_origin
            if routes.is_preflight(event):
                return http.preflight(origin)
            status, document = routes.route(event)(event, services)
        except ConfigError as error:
            logs.log(logging.ERROR, "misconfigured function", reason=str(error), **where)
            return http.error(500, f"the service is misconfigured ({error}); request id {request_id}", origin)
        except Exception as error:  # noqa: BLE001 - mapped to a status in one place
            status = status_of(error)
            if status is None:
                logs.log(logging.ERROR, "unexpected error", exc_info=True, **where)
                return http.error(500, f"internal error; request id {request_id}", origin)
            logs.log(logging.WARNING if status >= 500 else logging.INFO, "request refused", status=status,
                     reason=str(error), **where)
            return http.error(status, str(error), origin)
        logs.log(logging.INFO, "request served", status=status,
                 ms=round((time.perf_counter() - started) * 1000, 1), **where)
        return http.response(status, document, origin)
