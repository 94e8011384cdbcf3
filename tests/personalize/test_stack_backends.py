"""The product deployed with recommender_backend = both, then personalize: every mode through the API;
destroy leaves no Personalize resource (local cloud; the deploy trains Personalize on 600 customers)."""
from __future__ import annotations

import pytest
import requests

pytestmark = [pytest.mark.stack, pytest.mark.slow, pytest.mark.cloud]

FIVE = ["current_account", "payroll_account", "credit_card", "mortgage", "short_term_deposit"]
REQUESTS = {
    "products": {"mode": "products", "items": FIVE, "k": 5},
    "metadata": {"mode": "metadata", "metadata": {"AGE": 67, "SEX": "M"}, "k": 5},
    "both": {"mode": "both", "items": FIVE, "metadata": {"AGE": 30}, "k": 5},
}
PERSONALIZE_WORDS = {"products": "the products chosen", "metadata": "the customer's details",
                     "both": "the products chosen and the customer's details"}


def _ask(stack, mode: str) -> dict:
    answer = requests.post(stack.api_url + "/recommendations", json=REQUESTS[mode], timeout=60)
    assert answer.status_code == 200, answer.text
    return answer.json()


def _check_personalize_list(recommendations: list[dict], mode: str) -> None:
    assert len(recommendations) == 5
    if mode != "metadata":
        assert not set(FIVE) & {r["item_id"] for r in recommendations}, "the filter drops the chosen products"
    for row in recommendations:
        assert row["name"] and row["category"]
        assert PERSONALIZE_WORDS[mode] in row["reason"] and "Amazon Personalize" in row["reason"]
        assert isinstance(row["score"], float) and 0 < row["score"] <= 1
    scores = [r["score"] for r in recommendations]
    assert scores == sorted(scores, reverse=True)


@pytest.mark.parametrize("mode", list(REQUESTS))
def test_with_both_each_mode_answers_with_the_engine_and_personalize_beside_it(both_stack, mode):
    document = _ask(both_stack, mode)
    assert document["backend"] == "builtin" and document["compare"]["backend"] == "personalize"
    assert all("Amazon Personalize" not in r["reason"] for r in document["recommendations"])
    _check_personalize_list(document["compare"]["recommendations"], mode)
    stored = requests.get(f"{both_stack.api_url}/recommendations/{document['request_id']}", timeout=10).json()
    assert stored == document


def test_personalize_answers_change_with_the_input(both_stack):
    lists = {mode: [r["item_id"] for r in _ask(both_stack, mode)["compare"]["recommendations"]] for mode in REQUESTS}
    assert lists["products"] != lists["metadata"]


def test_with_personalize_alone_every_mode_is_answered_by_the_campaign(both_stack):
    both_stack.backend = "personalize"
    deployment = both_stack.deploy()
    assert deployment.outputs["recommender_backend"] == "personalize"
    assert deployment.changes["terraform"]["added"] == 0 and deployment.changes["terraform"]["destroyed"] == 0
    for mode in REQUESTS:
        document = _ask(both_stack, mode)
        assert document["backend"] == "personalize" and "compare" not in document
        _check_personalize_list(document["recommendations"], mode)


def test_destroy_leaves_no_personalize_resource(both_stack):
    both_stack.destroy(stop_cloud=False)
    pz = both_stack.client("personalize")
    try:
        left = {"dataset groups": pz.list_dataset_groups()["datasetGroups"], "schemas": pz.list_schemas()["schemas"],
                "campaigns": pz.list_campaigns()["campaigns"], "solutions": pz.list_solutions()["solutions"],
                "filters": pz.list_filters()["Filters"], "event trackers": pz.list_event_trackers()["eventTrackers"],
                "buckets": both_stack.client("s3").list_buckets()["Buckets"]}
        removed = both_stack.log.getvalue()
    finally:
        both_stack.destroy()
    assert {kind: found for kind, found in left.items() if found} == {}
    assert "removed from Amazon Personalize: campaign recommender" in " ".join(removed.split())
