"""The Express workflow's ASL: well formed, every Task retried and caught, accepted by an ASL parser."""
import json
import re

import pytest
from lambda_fakes import ROOT

ASL = ROOT / "stepfunctions" / "recommendation.asl.json"
VALUES = {
    "validate_function_arn": "arn:aws:lambda:us-east-1:123456789012:function:r-validate",
    "recommend_function_arn": "arn:aws:lambda:us-east-1:123456789012:function:r-recommend",
    "results_table": "r-results",
    "events_table": "r-events",
}


def render():
    """What Terraform's templatefile() does with this file's ${...} placeholders."""
    text = ASL.read_text()
    assert set(re.findall(r"\$\{(\w+)\}", text)) == set(VALUES)
    return re.sub(r"\$\{(\w+)\}", lambda m: VALUES[m.group(1)], text)


def test_states_run_in_the_designed_order():
    states = json.loads(render())["States"]
    order, name = [], json.loads(render())["StartAt"]
    while name:
        order.append(name)
        name = states[name].get("Next")
    assert order == ["Validate", "RecordInteractions", "Recommend", "StoreResult"]
    assert states["StoreResult"]["End"] and states["StoreResult"]["OutputPath"] == "$.result.document"


def test_every_task_has_retry_and_a_catch_to_failed():
    states = json.loads(render())["States"]
    tasks = {name: s for name, s in states.items() if s["Type"] == "Task"}
    assert len(tasks) == 4
    for name, state in tasks.items():
        assert state["Retry"] and all(r["MaxAttempts"] >= 1 for r in state["Retry"]), name
        assert state["Catch"][0]["ErrorEquals"] == ["States.ALL"] and state["Catch"][0]["Next"] == "Failed", name
    assert states["Failed"]["Type"] == "Fail"


def test_storage_states_are_dynamodb_service_integrations():
    states = json.loads(render())["States"]
    assert states["StoreResult"]["Resource"] == "arn:aws:states:::dynamodb:putItem"
    assert states["StoreResult"]["Parameters"]["TableName"] == "r-results"
    assert states["RecordInteractions"]["Parameters"]["TableName"] == "r-events"


@pytest.mark.parametrize("analyser", ["StaticAnalyser", "ExpressStaticAnalyser"])
def test_moto_asl_analysers_accept_the_definition(analyser):
    from moto.stepfunctions.parser.asl.static_analyser import express_static_analyser, static_analyser

    module = express_static_analyser if analyser.startswith("Express") else static_analyser
    cls = getattr(module, analyser)
    if getattr(cls, "__abstractmethods__", None):
        cls = type("Concrete", (cls,), {})
    cls().analyse(render())
