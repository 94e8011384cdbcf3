"""The api function end to end in-process: moto for DynamoDB, a stub for the synchronous workflow."""
import datetime as dt
import json

import pytest
from lambda_fakes import FIVE

from lambdas.dal import results
from lambdas.logic import routes
from lambdas.handlers import api

RID = "feedfacefeedfacefeedfacefeedface"


class StubWorkflow:
    """Answers StartSyncExecution with a prepared outcome and records the call."""

    def __init__(self, answer):
        self.answer, self.calls = answer, []

    def start_sync_execution(self, **kwargs):
        self.calls.append(kwargs)
        return self.answer


class Context:
    aws_request_id = "req-123"
    function_name = "test-api"


@pytest.fixture
def serve(monkeypatch, settings, model, dynamodb):
    """Call the api handler with the test's services; returns (status, body, headers)."""
    state = {"sfn": StubWorkflow({"status": "SUCCEEDED", "output": json.dumps({"request_id": RID})})}

    def services():
        return routes.Services(settings=settings, model=lambda: model, dynamodb=dynamodb, sfn=state["sfn"],
                               now=lambda: dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc), new_id=lambda: RID)

    monkeypatch.setattr(api, "_services", services)

    def call(method, path, body=None, resource=None, query=None, path_params=None):
        event = {"httpMethod": method, "path": path, "resource": resource, "body": body,
                 "queryStringParameters": query, "pathParameters": path_params, "isBase64Encoded": False,
                 "requestContext": {"requestId": "gw-456"}}
        answer = api.handler(event, Context())
        return answer["statusCode"], json.loads(answer["body"]), answer["headers"]

    call.state = state
    return call


def test_products_answer_with_cors_for_the_site(serve):
    status, body, headers = serve("GET", "/products", resource="/products", query={"limit": "2"})
    assert status == 200 and len(body["items"]) == 2 and body["total"] == 7
    assert headers["Access-Control-Allow-Origin"] == "http://site.example"


def test_bad_query_is_a_400_with_the_reason(serve):
    status, body, _ = serve("GET", "/products", resource="/products", query={"limit": "999"})
    assert status == 400 and "limit must be" in body["message"]


def test_metadata_schema_route(serve):
    status, body, _ = serve("GET", "/metadata-schema", resource="/metadata-schema")
    assert status == 200 and [f["name"] for f in body["fields"]] == ["AGE", "SEX"]


def test_recommendation_starts_the_workflow_with_the_request(serve):
    request = {"mode": "products", "items": FIVE}
    status, body, _ = serve("POST", "/recommendations", json.dumps(request), resource="/recommendations")
    assert status == 200 and body == {"request_id": RID}
    call = serve.state["sfn"].calls[0]
    assert call["name"] == RID and json.loads(call["input"]) == {"request_id": RID, "request": request}


def test_a_refused_request_answers_its_structured_error(serve):
    error = {"code": "unprocessable", "message": "unknown product id 'nope'", "field": "items"}
    serve.state["sfn"] = StubWorkflow({"status": "SUCCEEDED", "output": json.dumps({"error": error})})
    status, body, _ = serve("POST", "/recommendations", '{"mode": "products"}', resource="/recommendations")
    assert status == 422 and body == {**error, "request_id": "gw-456"}


@pytest.mark.parametrize("code, status", [("step_failed", 502), ("model_unavailable", 503), ("throttled", 503),
                                          ("timeout", 504)])
def test_a_failed_step_answers_its_status_a_plain_message_and_the_request_id(serve, code, status):
    cause = json.dumps({"error": {"code": code, "message": "s3://secret-bucket/prefix: botocore said", "field": None}})
    serve.state["sfn"] = StubWorkflow({"status": "FAILED", "error": code, "cause": cause})
    answer, body, _ = serve("POST", "/recommendations", '{"mode": "products"}', resource="/recommendations")
    assert answer == status and body["code"] == code and body["request_id"] == "gw-456"
    assert "gw-456" in body["message"] and "nothing was stored" in body["message"]
    assert "secret-bucket" not in body["message"]


def test_an_unstructured_failure_is_a_502_without_internals(serve):
    serve.state["sfn"] = StubWorkflow({"status": "FAILED", "error": "States.Runtime", "cause": "Traceback ..."})
    status, body, _ = serve("POST", "/recommendations", '{"mode": "products"}', resource="/recommendations")
    assert status == 502 and "Traceback" not in body["message"] and "States" not in body["message"]


@pytest.mark.parametrize("body, status, words", [("{oops", 400, "not valid JSON"),
                                                 ("{}" + " " * 5000, 413, "send at most 2,048")])
def test_malformed_or_oversized_bodies_never_start_the_workflow(serve, body, status, words):
    answer, document, _ = serve("POST", "/recommendations", body, resource="/recommendations")
    assert answer == status and words in document["message"]
    assert serve.state["sfn"].calls == []


def test_stored_result_is_returned_and_a_missing_one_is_404(serve, dynamodb, settings):
    dynamodb.put_item(TableName=settings.results_table, Item={
        "request_id": {"S": RID}, "document": {"S": json.dumps({"request_id": RID, "mode": "products"})},
        "expires_at": {"N": "1"}})
    status, body, _ = serve("GET", f"/recommendations/{RID}", resource="/recommendations/{request_id}",
                            path_params={"request_id": RID})
    assert status == 200 and body == {"request_id": RID, "mode": "products"}
    other = "0" * 32
    status, body, _ = serve("GET", f"/recommendations/{other}", path_params={"request_id": other})
    assert status == 404 and other in body["message"]
    status, body, _ = serve("GET", "/recommendations/..%2F..%2Fetc", path_params={"request_id": "../../etc"})
    assert status == 404 and body["field"] == "request_id"


def test_event_for_a_stored_result_is_recorded(serve, dynamodb, settings):
    results_doc = {"request_id": {"S": RID}, "document": {"S": "{}"}, "expires_at": {"N": "1"}}
    dynamodb.put_item(TableName=settings.results_table, Item=results_doc)
    event = {"request_id": RID, "item_id": "pension", "event_type": "click"}
    status, body, _ = serve("POST", "/events", json.dumps(event), resource="/events")
    assert status == 202 and body == {"event_id": RID}
    stored = dynamodb.get_item(TableName=settings.events_table, Key={"event_id": {"S": RID}})["Item"]
    assert stored["item_id"]["S"] == "pension" and stored["event_type"]["S"] == "click"


def test_event_for_an_unknown_request_is_refused(serve):
    event = {"request_id": "1" * 32, "item_id": "pension", "event_type": "click"}
    status, body, _ = serve("POST", "/events", json.dumps(event), resource="/events")
    assert status == 422 and "no recommendation with request_id" in body["message"]


def test_unknown_route_is_404_naming_the_routes(serve):
    status, body, _ = serve("GET", "/basket")
    assert status == 404 and "GET /products" in body["message"]


def test_a_method_a_route_does_not_take_is_405_with_allow(serve):
    status, body, headers = serve("DELETE", "/products", resource="/products")
    assert status == 405 and headers["Allow"] == "GET, OPTIONS" and "takes GET" in body["message"]


def test_unexpected_errors_hide_the_trace_and_give_the_request_id(serve, monkeypatch):
    def broken(event, services):
        raise KeyError("secret internals")

    monkeypatch.setitem(routes.ROUTES, ("GET", "/products"), broken)
    status, body, _ = serve("GET", "/products", resource="/products")
    assert status == 500 and body["message"] == "internal error; nothing was stored (request id gw-456)"


def test_results_dal_round_trips_documents(dynamodb, settings):
    assert results.get(dynamodb, settings.results_table, RID) is None
    assert results.exists(dynamodb, settings.results_table, RID) is False


def test_preflight_allows_only_the_sites_origin(monkeypatch, settings, model, dynamodb):
    monkeypatch.setattr(api, "_services", lambda: routes.Services(settings, lambda: model, dynamodb, None, None, None))
    answer = api.handler({"httpMethod": "OPTIONS", "path": "/recommendations", "resource": "/recommendations"},
                         Context())
    assert answer["statusCode"] == 204
    assert answer["headers"]["Access-Control-Allow-Origin"] == "http://site.example"
    assert "POST" in answer["headers"]["Access-Control-Allow-Methods"]


def test_a_preflight_for_an_id_that_cannot_exist_is_404(monkeypatch, settings, model, dynamodb):
    monkeypatch.setattr(api, "_services", lambda: routes.Services(settings, lambda: model, dynamodb, None, None, None))
    answer = api.handler({"httpMethod": "OPTIONS", "path": "/recommendations/x", "resource": "/recommendations/{request_id}",
                          "pathParameters": {"request_id": "x"}}, Context())
    assert answer["statusCode"] == 404
