"""Entry point of every HTTP route (API Gateway REST, Lambda proxy integration)."""
from __future__ import annotations

import logging
import time
import uuid
from datetime import datetime, timezone

from lambdas import config, logs
from lambdas.config import ConfigError
from lambdas.dal import aws
from lambdas.errors import ApiError
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
    with logs.invocation(context) as lambda_request_id:
        # The id API Gateway answers in x-amzn-RequestId: the one a person can quote.
        request_id = (event.get("requestContext") or {}).get("requestId") or lambda_request_id
        where = {"method": event.get("httpMethod"), "path": str(event.get("path"))[:200], "api_request_id": request_id}
        origin = ""
        try:
            services = _services()
            origin = services.settings.cors_origin
            if routes.is_preflight(event):
                routes.check_path(event)
                return http.preflight(origin)
            status, document = routes.route(event)(event, services)
        except ConfigError as error:
            logs.log(logging.ERROR, "misconfigured function", reason=str(error), **where)
            return http.error(ApiError("the service is misconfigured"), request_id, origin)
        except ApiError as error:
            logs.log(logging.WARNING if error.status >= 500 else logging.INFO, "request refused",
                     status=error.status, code=error.code, reason=error.message, **where)
            return http.error(error, request_id, origin)
        except Exception:  # noqa: BLE001 - a bug: logged with its trace, answered without it
            logs.log(logging.ERROR, "unexpected error", exc_info=True, **where)
            return http.error(ApiError("unexpected error"), request_id, origin)
        logs.log(logging.INFO, "request served", status=status,
                 ms=round((time.perf_counter() - started) * 1000, 1), **where)
        return http.response(status, document, origin)
