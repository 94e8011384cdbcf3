"""The Express workflow's ASL: well formed, every Task retried and caught, errors carried as data."""
import json
import re

import pytest
from lambda_fakes import ROOT

ASL = ROOT / "stepfunctions" / "recommendation.asl.json"
VALUES = {
    "validate_function_arn": "arn:aws-cn:lambda:cn-north-1:123456789012:function:r-validate",
    "recommend_function_arn": "arn:aws-cn:lambda:cn-north-1:123456789012:function:r-recommend",
    "results_table": "r-results",
    "events_table": "r-events",
    "partition": "aws-cn",
}


def render() -> dict:
    """What Terraform's templatefile() does with this file's ${...} placeholders."""
    text = ASL.read_text()
    assert set(re.findall(r"\$\{(\w+)\}", text)) == set(VALUES)
    return json.loads(re.sub(r"\$\{(\w+)\}", lambda m: VALUES[m.group(1)], text))


def test_the_happy_path_validates_recommends_then_stores():
    states, name, order = render()["States"], render()["StartAt"], []
    while name:
        order.append(name)
        state = states[name]
        name = state.get("Next") or state.get("Default")
    assert order == ["Validate", "IsValid", "Recommend", "IsScored", "StoreResult"]
    assert states["StoreResult"]["End"] and states["StoreResult"]["OutputPath"] == "$.result.document"


def test_no_arn_names_a_partition_of_its_own():
    text = json.dumps(render())
    assert "arn:aws:" not in text
    assert render()["States"]["StoreResult"]["Resource"] == "arn:aws-cn:states:::aws-sdk:dynamodb:transactWriteItems"


def test_the_result_and_the_selection_event_are_one_transaction_written_once():
    puts = [entry["Put"] for entry in render()["States"]["StoreResult"]["Parameters"]["TransactItems"]]
    assert [p["TableName"] for p in puts] == ["r-results", "r-events"]
    assert [p["ConditionExpression"] for p in puts] == ["attribute_not_exists(request_id)",
                                                        "attribute_not_exists(event_id)"]
    assert puts[1]["Item"]["event_type"] == {"S": "selection"}


def test_every_task_has_retry_and_catches_timeouts_and_everything_else():
    states = render()["States"]
    tasks = {name: s for name, s in states.items() if s["Type"] == "Task"}
    assert set(tasks) == {"Validate", "Recommend", "StoreResult"}
    for name, state in tasks.items():
        assert state["Retry"] and all(r["MaxAttempts"] >= 1 for r in state["Retry"]), name
        catches = {c["Next"]: c["ErrorEquals"] for c in state["Catch"]}
        assert "States.Timeout" in catches["TimedOut"] and catches["StepFailed"] == ["States.ALL"], name
        assert state["Catch"][-1]["ErrorEquals"] == ["States.ALL"], name
    assert any("DynamoDb.ProvisionedThroughputExceededException" in c["ErrorEquals"]
               for c in states["StoreResult"]["Catch"] if c["Next"] == "Throttled")


@pytest.mark.parametrize("state, code", [("TimedOut", "timeout"), ("Throttled", "throttled"),
                                         ("StepFailed", "step_failed")])
def test_failures_carry_the_structured_error_and_what_was_raised(state, code):
    states = render()["States"]
    built = states[state]["Parameters"]
    assert built["error"]["code"] == code and built["error"]["message"] and built["error"]["field"] is None
    assert built["detail"] == {"error.$": "$.failure.Error", "cause.$": "$.failure.Cause"}
    assert states[state]["Next"] == "Describe"


def test_every_server_error_ends_failed_with_the_document_as_cause():
    states = render()["States"]
    assert states["Describe"]["Parameters"] == {"code.$": "$.error.code", "cause.$": "States.JsonToString($)"}
    assert states["Describe"]["Next"] == "CannotServe"
    assert states["CannotServe"] == {**states["CannotServe"], "Type": "Fail", "ErrorPath": "$.code",
                                     "CausePath": "$.cause"}


def test_client_errors_succeed_with_their_error_and_server_errors_fail():
    states = render()["States"]
    refused, other = states["IsValid"]["Choices"]
    assert refused["Next"] == "Refused" and states["Refused"]["Type"] == "Succeed"
    assert {c["StringEquals"] for c in refused["And"][1]["Or"]} == {"malformed", "unprocessable"}
    assert other["Next"] == "Describe"
    assert states["IsScored"]["Choices"][0]["Next"] == "NotScored" and states["NotScored"]["Next"] == "Describe"


@pytest.mark.parametrize("analyser", ["StaticAnalyser", "ExpressStaticAnalyser"])
def test_moto_asl_analysers_accept_the_definition(analyser):
    from moto.stepfunctions.parser.asl.static_analyser import express_static_analyser, static_analyser

    module = express_static_analyser if analyser.startswith("Express") else static_analyser
    cls = getattr(module, analyser)
    if getattr(cls, "__abstractmethods__", None):
        cls = type("Concrete", (cls,), {})
    cls().analyse(json.dumps(render()))
