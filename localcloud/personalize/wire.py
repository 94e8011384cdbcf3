"""The wire protocols: JSON 1.1 (``X-Amz-Target: AmazonPersonalize.*``) for the control plane and
REST-JSON for personalize-runtime and personalize-events (both sign as ``personalize``).

Every request is checked against botocore's model of the service (required members, types,
lengths, ranges and the patterns Python can read), so a client with parameter validation
off gets the service's InvalidInputException, not a stack trace.
"""
from __future__ import annotations

import functools
import json
import re
import sys
import traceback
from typing import Any, Callable

from localcloud.personalize import datasets, models, runtime, tracking
from localcloud.personalize.errors import InvalidInput, PersonalizeError
from localcloud.personalize.store import Store, store_for
from localcloud.wsgi import Reply, account_of, json_reply, read_body, region_of, service_of

TARGET_PREFIX = "AmazonPersonalize."
JSON_11 = "application/x-amz-json-1.1"
REST_OPERATIONS = {
    "/recommendations": ("personalize-runtime", "GetRecommendations", runtime.get_recommendations),
    "/personalize-ranking": ("personalize-runtime", "GetPersonalizedRanking", runtime.get_personalized_ranking),
    "/events": ("personalize-events", "PutEvents", runtime.put_events),
    "/users": ("personalize-events", "PutUsers", runtime.put_users),
    "/items": ("personalize-events", "PutItems", runtime.put_items),
}
CONTROL: dict[str, Callable[[Store, dict], dict]] = {
    name: getattr(module, re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower())
    for module, names in (
        (datasets, ["CreateSchema", "DescribeSchema", "ListSchemas", "DeleteSchema", "CreateDatasetGroup",
                    "DescribeDatasetGroup", "ListDatasetGroups", "DeleteDatasetGroup", "CreateDataset",
                    "DescribeDataset", "ListDatasets", "DeleteDataset", "CreateDatasetImportJob",
                    "DescribeDatasetImportJob", "ListDatasetImportJobs"]),
        (models, ["DescribeRecipe", "ListRecipes", "CreateSolution", "DescribeSolution", "ListSolutions",
                  "DeleteSolution", "DescribeSolutionVersion", "ListSolutionVersions", "CreateCampaign",
                  "DescribeCampaign", "ListCampaigns", "DeleteCampaign"]),
        (tracking, ["CreateEventTracker", "DescribeEventTracker", "ListEventTrackers", "DeleteEventTracker",
                    "CreateFilter", "DescribeFilter", "ListFilters", "DeleteFilter"]),
    )
    for name in names
}
CONTROL["CreateSolutionVersion"] = lambda store, p: models.create_solution_version(
    store, p, functools.partial(tracking.group_data, store))


def handle(environ: dict) -> Reply | None:
    """Answer a Personalize request, or None when ``environ`` is not one."""
    target = environ.get("HTTP_X_AMZ_TARGET", "")
    if target.startswith(TARGET_PREFIX):
        return _control(environ, target[len(TARGET_PREFIX):])
    path = (environ.get("PATH_INFO") or "/").rstrip("/") or "/"
    if service_of(environ) == "personalize" and path in REST_OPERATIONS:
        return _rest(environ, *REST_OPERATIONS[path])
    return None


def _control(environ: dict, action: str) -> Reply:
    operation = CONTROL.get(action)
    if operation is None:
        return _error(JSON_11, 400, "UnknownOperationException",
                      f"The local cloud's Personalize does not implement {action}")
    try:
        params = _params(environ, "personalize", action)
        store = store_for(account_of(environ), region_of(environ))
        with store.lock:
            answer = operation(store, params)
    except PersonalizeError as exc:
        return _error(JSON_11, 400, exc.code, exc.message)
    except Exception as exc:  # the client gets a shaped error, the log the trace
        traceback.print_exc(file=sys.stderr)
        return _error(JSON_11, 500, "InternalFailure", f"the local Personalize failed: {exc}")
    return json_reply(200, answer, content_type=JSON_11)


def _rest(environ: dict, service: str, action: str, operation: Callable[[Store, dict], dict]) -> Reply:
    if environ.get("REQUEST_METHOD") != "POST":
        return _error("application/json", 405, "MethodNotAllowedException", f"{action} takes POST")
    try:
        params = _params(environ, service, action)
        answer = operation(store_for(account_of(environ), region_of(environ)), params)
    except PersonalizeError as exc:
        status = _status(service, exc.code)
        return _error("application/json", status, exc.code, exc.message)
    except Exception as exc:
        traceback.print_exc(file=sys.stderr)
        return _error("application/json", 500, "InternalFailure", f"the local Personalize failed: {exc}")
    return json_reply(200, answer)


def _params(environ: dict, service: str, action: str) -> dict:
    body = read_body(environ)
    try:
        params = json.loads(body or b"{}")
    except ValueError as exc:
        raise InvalidInput(f"The request body is not JSON: {exc}") from None
    if not isinstance(params, dict):
        raise InvalidInput("The request body must be a JSON object")
    _validate(service, action, params)
    return params


@functools.lru_cache(maxsize=8)
def _model(service: str):
    import botocore.session

    return botocore.session.get_session().get_service_model(service)


def _validate(service: str, action: str, params: dict) -> None:
    from botocore.validate import ParamValidator

    shape = _model(service).operation_model(action).input_shape
    if shape is None:
        return
    report = ParamValidator().validate(params, shape)
    if report.has_errors():
        raise InvalidInput(report.generate_report())
    for name, member in shape.members.items():
        pattern = _pattern(member.metadata.get("pattern"))
        value = params.get(name)
        if pattern is not None and isinstance(value, str) and not pattern.fullmatch(value):
            raise InvalidInput(f"1 validation error detected: Value '{value}' at '{name}' failed to satisfy "
                               f"constraint: Member must satisfy regular expression pattern: "
                               f"{member.metadata['pattern']}")


@functools.lru_cache(maxsize=64)
def _pattern(text: str | None):
    if not text or "\\p{" in text:
        return None
    try:
        return re.compile(text if text.startswith("^") else f"(?:{text})")
    except re.error:
        return None


@functools.lru_cache(maxsize=16)
def _status(service: str, code: str) -> int:
    for shape in _model(service).error_shapes:
        if shape.name == code:
            return int((shape.metadata.get("error") or {}).get("httpStatusCode", 400))
    return 400


def _error(content_type: str, status: int, code: str, message: str) -> Reply:
    body: dict[str, Any] = {"message": message}
    if content_type == JSON_11:
        body["__type"] = code
    return json_reply(status, body, {"X-Amzn-ErrorType": code}, content_type)
