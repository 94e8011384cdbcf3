"""The one backend switch (lambdas/handlers/common.py) and the settings it needs, without AWS."""
from __future__ import annotations

import json

import pytest

from lambdas.config import ConfigError, from_env
from lambdas.errors import ModelUnavailable
from lambdas.handlers import common

ENV = {"RESULTS_TABLE": "r", "EVENTS_TABLE": "e", "MODELS_BUCKET": "m", "MODEL_PREFIX": "default/"}
PERSONALIZE = {"PERSONALIZE_CAMPAIGN_ARN": "arn:aws:personalize:us-east-1:111122223333:campaign/c",
               "PERSONALIZE_TRACKING_ID": "t", "PERSONALIZE_FILTER_ARN": "arn:aws:personalize:us-east-1:111122223333:filter/f",
               "PERSONALIZE_USERS_DATASET_ARN": "arn:aws:personalize:us-east-1:111122223333:dataset/c/USERS"}


def _answer(ids: list[str]) -> dict:
    document = {"request_id": "r", "recommendations": [{"item_id": i, "score": 0.5} for i in ids]}
    return {"document": document, "document_json": json.dumps(document)}


@pytest.mark.parametrize("backend", ["personalize", "both"])
def test_a_personalize_backend_needs_every_personalize_setting(backend):
    assert from_env({**ENV, **PERSONALIZE, "RECOMMENDER_BACKEND": backend}).personalize_filter_arn.endswith("filter/f")
    for name in PERSONALIZE:
        with pytest.raises(ConfigError, match=f"{name} is not set"):
            from_env({**ENV, **PERSONALIZE, name: "", "RECOMMENDER_BACKEND": backend})


def test_builtin_needs_none_of_them():
    assert from_env({**ENV, "RECOMMENDER_BACKEND": "builtin"}).personalize_campaign_arn == ""


def test_one_backend_names_itself_and_has_nothing_to_compare():
    combined = common.combine([("personalize", _answer(["a", "b"]))])
    assert combined["document"]["backend"] == "personalize" and "compare" not in combined["document"]
    assert json.loads(combined["document_json"]) == combined["document"]


def test_both_keep_the_engines_list_and_put_personalizes_beside_it():
    combined = common.combine([("builtin", _answer(["a", "b"])), ("personalize", _answer(["c", "a"]))])
    document = combined["document"]
    assert document["backend"] == "builtin" and [r["item_id"] for r in document["recommendations"]] == ["a", "b"]
    assert document["compare"]["backend"] == "personalize"
    assert [r["item_id"] for r in document["compare"]["recommendations"]] == ["c", "a"]


def test_a_failing_comparison_says_why_and_keeps_the_engines_answer():
    combined = common.combine([("builtin", _answer(["a"])), ("personalize", ModelUnavailable("no campaign"))])
    assert combined["document"]["compare"] == {"backend": "personalize", "recommendations": [], "error": "no campaign"}


def test_a_failing_primary_backend_fails_the_step():
    with pytest.raises(ModelUnavailable, match="no campaign"):
        common.combine([("personalize", ModelUnavailable("no campaign"))])


@pytest.mark.parametrize("options, words", [({"backend": "nope"}, "use --backend builtin, personalize or both"),
                                            ({"backend": "both", "data": "/no/such/folder"}, "no such folder")])
def test_deploy_refuses_an_unknown_backend_or_data_folder_before_doing_anything(options, words):
    from invoke import Context, Exit

    from devtasks import stack

    with pytest.raises(Exit, match=words):
        stack.deploy(Context(), **options)
