"""The deployed stack through its API: every route, each mode, bad inputs (local cloud)."""
import json

import pytest
import requests

pytestmark = [pytest.mark.stack, pytest.mark.slow]

FIVE = ["current_account", "payroll_account", "credit_card", "mortgage", "short_term_deposit"]
REQUESTS = {
    "products": {"mode": "products", "items": FIVE, "k": 5},
    "metadata": {"mode": "metadata", "metadata": {"AGE": 67, "SEX": "M"}, "k": 5},
    "both": {"mode": "both", "items": FIVE, "metadata": {"AGE": 30}, "k": 5},
}


def post(stack, path, body, raw=False):
    data = body if raw else json.dumps(body)
    return requests.post(stack.api_url + path, data=data, headers={"Content-Type": "application/json"}, timeout=30)


def test_the_site_is_served_with_the_api_url_written_in(deployed_stack):
    page = requests.get(deployed_stack.website_url, timeout=10)
    assert page.status_code == 200 and page.headers["Content-Type"].startswith("text/html")
    assert f'<meta name="api-url" content="{deployed_stack.api_url}">' in page.text


def test_the_workflow_is_an_express_state_machine(deployed_stack):
    arn = deployed_stack.outputs["state_machine_arn"]
    assert deployed_stack.client("stepfunctions").describe_state_machine(stateMachineArn=arn)["type"] == "EXPRESS"


def test_products_are_paged_searched_and_filtered(deployed_stack):
    page = requests.get(deployed_stack.api_url + "/products", params={"limit": 5}, timeout=10).json()
    assert len(page["items"]) == 5 and page["total"] > 5 and page["categories"]
    loans = requests.get(deployed_stack.api_url + "/products", params={"search": "loan"}, timeout=10).json()
    assert loans["total"] >= 1 and all("loan" in (i["name"] + i["description"]).lower() for i in loans["items"])


def test_metadata_schema_lists_typed_fields(deployed_stack):
    fields = requests.get(deployed_stack.api_url + "/metadata-schema", timeout=10).json()["fields"]
    by_name = {f["name"]: f for f in fields}
    assert by_name["AGE"]["type"] == "integer" and by_name["SEX"]["type"] == "categorical"


@pytest.mark.parametrize("mode", list(REQUESTS))
def test_each_mode_answers_and_the_stored_result_matches(deployed_stack, mode):
    answer = post(deployed_stack, "/recommendations", REQUESTS[mode])
    assert answer.status_code == 200, answer.text
    document = answer.json()
    assert document["mode"] == mode and len(document["recommendations"]) == 5
    assert not set(FIVE if mode != "metadata" else []) & {r["item_id"] for r in document["recommendations"]}
    assert all(r["name"] and r["reason"] and isinstance(r["score"], float) for r in document["recommendations"])
    stored = requests.get(f"{deployed_stack.api_url}/recommendations/{document['request_id']}", timeout=10)
    assert stored.status_code == 200 and stored.json() == document


def test_feedback_events_are_recorded_with_the_selection(deployed_stack):
    document = post(deployed_stack, "/recommendations", REQUESTS["products"]).json()
    shown = document["recommendations"][0]["item_id"]
    answer = post(deployed_stack, "/events", {"request_id": document["request_id"], "item_id": shown,
                                               "event_type": "like"})
    assert answer.status_code == 202
    table = deployed_stack.outputs["events_table"]
    items = deployed_stack.client("dynamodb").scan(TableName=table)["Items"]
    mine = [i for i in items if i["request_id"]["S"] == document["request_id"]]
    assert {i["event_type"]["S"] for i in mine} == {"selection", "like"}


@pytest.mark.parametrize("body, status, words", [
    ({"mode": "products", "items": FIVE[:3]}, 400, "5 different product ids"),
    ({"mode": "products", "items": FIVE[:4] + ["no_such_product"]}, 422, "unknown product id 'no_such_product'"),
    ({"mode": "metadata", "metadata": {"AGE": 40.5}}, 422, "AGE must be a whole number"),
    ({"mode": "metadata", "metadata": {"SEX": 7}}, 422, "SEX takes text"),
    ('{"mode": "products", "items": [', 400, "not the shape"),
    ('{"mode": "metadata", "metadata": {"AGE": 40}}' + " " * 20000, 413, "send at most 8,192 bytes"),
    ({"mode": "sideways"}, 400, "not the shape"),
])
def test_bad_requests_get_a_4xx_naming_the_problem(deployed_stack, body, status, words):
    answer = post(deployed_stack, "/recommendations", body, raw=isinstance(body, str))
    assert answer.status_code == status and words in answer.json()["message"]


def test_unknown_routes_and_ids_are_404_with_a_message(deployed_stack):
    route = requests.get(deployed_stack.api_url + "/no-such-route", timeout=10)
    assert route.status_code == 404 and "GET /products" in route.json()["message"]
    missing = requests.get(deployed_stack.api_url + "/recommendations/" + "0" * 32, timeout=10)
    assert missing.status_code == 404 and "0" * 32 in missing.json()["message"]


def test_preflight_allows_the_sites_origin_only(deployed_stack):
    answer = requests.options(deployed_stack.api_url + "/recommendations", timeout=10,
                              headers={"Origin": deployed_stack.endpoint, "Access-Control-Request-Method": "POST"})
    assert answer.status_code == 204
    assert answer.headers["Access-Control-Allow-Origin"] == deployed_stack.endpoint
