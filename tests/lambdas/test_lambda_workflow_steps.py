"""The workflow's Validate and Recommend steps."""
import datetime as dt
import json

import pytest
from lambda_fakes import FIVE

from lambdas.errors import Malformed, ModelUnavailable, Unprocessable
from lambdas.logic import workflow_steps

NOW = dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.timezone.utc)
RID = "0123456789abcdef0123456789abcdef"


def test_validate_stamps_the_request_for_the_next_states(model):
    out = workflow_steps.validate({"request_id": RID, "request": {"mode": "products", "items": FIVE}}, model, NOW, 7)
    assert out["created_at"] == "2026-01-02T03:04:05.000Z"
    assert out["expires_at"] == str(int(NOW.timestamp()) + 7 * 86400)
    assert out["interaction_id"] == f"{RID}:selection"
    assert json.loads(out["items_json"]) == FIVE and json.loads(out["metadata_json"]) == {}


def test_validate_refuses_a_missing_request_id(model):
    with pytest.raises(Malformed, match="request_id"):
        workflow_steps.validate({"request": {"mode": "products", "items": FIVE}}, model, NOW, 7)


def test_recommend_builds_the_document_with_names_and_reasons(model):
    validated = workflow_steps.validate(
        {"request_id": RID, "request": {"mode": "both", "items": FIVE, "metadata": {"SEX": "M"}, "k": 2}},
        model, NOW, 7)
    answer = workflow_steps.recommend(validated, model)
    document = answer["document"]
    assert json.loads(answer["document_json"]) == document
    assert document["request_id"] == RID and document["mode"] == "both"
    assert document["items"] == FIVE and document["metadata"] == {"SEX": "M"}
    assert [r["item_id"] for r in document["recommendations"]] == ["pension", "funds"]
    assert document["recommendations"][0] == {"item_id": "pension", "name": "Pension plan", "category": "pensions",
                                              "score": 1.0, "reason": "because you picked acc-current"}


def test_recommend_turns_model_value_errors_into_validation_errors(model):
    class Refusing(type(model)):
        def recommend(self, **kwargs):
            raise ValueError("AGE: allowed 18..100")

    validated = workflow_steps.validate({"request_id": RID, "request": {"mode": "metadata", "metadata": {"AGE": 30}}},
                                        model, NOW, 7)
    with pytest.raises(Unprocessable, match="AGE: allowed"):
        workflow_steps.recommend(validated, Refusing())


def test_refusals_and_model_failures_become_structured_output_not_exceptions(model):
    refused = workflow_steps.as_output(workflow_steps.validate, {"request_id": RID, "request": {"mode": "x"}},
                                       model, NOW, 7)
    assert refused == {"error": {"code": "malformed", "field": "mode",
                                 "message": "mode must be one of products, metadata, both; you sent 'x'"}}

    def broken_model():
        raise ModelUnavailable("no model under s3://bucket/prefix")

    assert workflow_steps.as_output(lambda: broken_model())["error"]["code"] == "model_unavailable"


def test_bugs_still_raise_for_the_states_catch(model):
    with pytest.raises(KeyError):
        workflow_steps.as_output(workflow_steps.recommend, {"request_id": RID}, model)
