"""The whole Personalize lifecycle through plain boto3 against the local cloud, with refusals and errors."""
from __future__ import annotations

import json
import time

import pytest
from botocore.exceptions import ClientError, ParamValidationError
from personalize_helpers import CATEGORY, ITEMS, csv_files, make_campaign, make_group, wait

pytestmark = [pytest.mark.cloud]

FILTER = ('EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("chosen") | '
          'EXCLUDE ItemID WHERE Items.CATEGORY NOT IN ($CATEGORY)')


@pytest.fixture(scope="module")
def served(cloud):
    """A trained user-personalization campaign, an event tracker and the product's kind of filter."""
    group = make_group(cloud, "lifecycle")
    campaign = make_campaign(cloud, group, "aws-user-personalization-v2", "lifecycle-up")
    pz = cloud.client("personalize")
    tracker = pz.create_event_tracker(name="lifecycle-events", datasetGroupArn=group.arn)
    wait(pz.describe_event_tracker, "eventTracker", eventTrackerArn=tracker["eventTrackerArn"])
    rule = pz.create_filter(name="lifecycle-exclude", datasetGroupArn=group.arn, filterExpression=FILTER)["filterArn"]
    wait(pz.describe_filter, "filter", filterArn=rule)
    return {"group": group, "campaign": campaign, "tracking_id": tracker["trackingId"], "filter": rule}


def _code(error: pytest.ExceptionInfo) -> str:
    return error.value.response["Error"]["Code"]


def _ids(answer: dict) -> list[str]:
    return [row["itemId"] for row in answer["itemList"]]


def test_statuses_move_from_pending_through_in_progress_to_active(served):
    statuses = served["group"].statuses
    assert statuses["datasetGroup"][0] == "CREATE PENDING" and statuses["datasetGroup"][-1] == "ACTIVE"
    assert statuses["import Interactions"][-1] == "ACTIVE" and "CREATE IN_PROGRESS" in statuses["import Interactions"]


def test_a_known_user_gets_scored_items_summing_under_one(cloud, served):
    answer = cloud.client("personalize-runtime").get_recommendations(campaignArn=served["campaign"],
                                                                     userId="u001", numResults=5)
    assert len(answer["itemList"]) == 5 and answer["recommendationId"]
    scores = [row["score"] for row in answer["itemList"]]
    assert scores == sorted(scores, reverse=True) and 0 < sum(scores) <= 1.0 + 1e-6


def test_events_of_an_anonymous_session_personalize_its_next_answer(cloud, served):
    runtime, events = cloud.client("personalize-runtime"), cloud.client("personalize-events")
    before = runtime.get_recommendations(campaignArn=served["campaign"], userId="session-1", numResults=10)
    chosen = ITEMS[-5:]   # what older customers hold
    events.put_events(trackingId=served["tracking_id"], sessionId="session-1",
                      eventList=[{"eventType": "chosen", "itemId": i, "sentAt": time.time()} for i in chosen])
    after = runtime.get_recommendations(campaignArn=served["campaign"], userId="session-1", numResults=10,
                                        filterArn=served["filter"])
    assert _ids(after) != _ids(before)
    assert not set(chosen) & set(_ids(after))


def test_the_filter_keeps_one_category_when_given_its_value(cloud, served):
    answer = cloud.client("personalize-runtime").get_recommendations(
        campaignArn=served["campaign"], userId="u010", numResults=25, filterArn=served["filter"],
        filterValues={"CATEGORY": '"Cards"'})
    assert answer["itemList"] and {CATEGORY[i] for i in _ids(answer)} == {"Cards"}


def test_put_users_gives_a_new_user_an_answer_from_their_metadata(cloud, served):
    runtime, events = cloud.client("personalize-runtime"), cloud.client("personalize-events")
    cold = _ids(runtime.get_recommendations(campaignArn=served["campaign"], userId="new-user", numResults=5))
    events.put_users(datasetArn=served["group"].datasets["Users"],
                     users=[{"userId": "new-user", "properties": json.dumps({"age": 66, "sex": "F"})}])
    warm = _ids(runtime.get_recommendations(campaignArn=served["campaign"], userId="new-user", numResults=5))
    assert warm != cold


def test_put_items_changes_what_an_item_filter_sees(cloud, served):
    runtime, events = cloud.client("personalize-runtime"), cloud.client("personalize-events")

    def cards_for_an_older_customer() -> list[str]:  # u004 (48) holds none of the first items
        return _ids(runtime.get_recommendations(campaignArn=served["campaign"], userId="u004", numResults=25,
                                                filterArn=served["filter"], filterValues={"CATEGORY": '"Cards"'}))

    assert CATEGORY[ITEMS[0]] == "Loans" and ITEMS[0] not in cards_for_an_older_customer()
    put = events.put_items
    put(datasetArn=served["group"].datasets["Items"],
        items=[{"itemId": ITEMS[0], "properties": json.dumps({"category": "Cards", "name": "Now a card"})}])
    try:
        assert ITEMS[0] in cards_for_an_older_customer()
    finally:
        put(datasetArn=served["group"].datasets["Items"],
            items=[{"itemId": ITEMS[0], "properties": json.dumps({"category": "Loans", "name": "Product 00"})}])


@pytest.mark.parametrize("call, code, words", [
    (lambda rt, s: rt.get_recommendations(campaignArn=s["campaign"], userId="u001", numResults=501),
     "InvalidInputException", "at most 500"),
    (lambda rt, s: rt.get_recommendations(campaignArn=s["campaign"].replace("lifecycle-up", "nope"), userId="u1"),
     "ResourceNotFoundException", "campaign"),
    (lambda rt, s: rt.get_recommendations(campaignArn=s["campaign"], itemId=ITEMS[0]),
     "InvalidInputException", "userId is required"),
    (lambda rt, s: rt.get_recommendations(campaignArn=s["campaign"], userId="u1", filterArn=s["filter"],
                                          filterValues={"NOPE": '"x"'}),
     "InvalidInputException", "NOPE"),
    (lambda rt, s: rt.get_recommendations(campaignArn=s["campaign"], userId="u1", numResults=5,
                                          metadataColumns={"ITEMS": ["NAME"]}),
     "InvalidInputException", "enableMetadataWithRecommendations"),
    (lambda rt, s: rt.get_personalized_ranking(campaignArn=s["campaign"], userId="u1", inputList=ITEMS[:3]),
     "InvalidInputException", "GetPersonalizedRanking needs"),
])
def test_runtime_errors_come_in_the_services_shape(cloud, served, call, code, words):
    with pytest.raises(ClientError) as error:
        call(cloud.client("personalize-runtime"), served)
    assert _code(error) == code and words in error.value.response["Error"]["Message"]
    expected = 404 if code == "ResourceNotFoundException" else 400
    assert error.value.response["ResponseMetadata"]["HTTPStatusCode"] == expected


def test_events_with_an_unknown_tracking_id_are_refused(cloud):
    with pytest.raises(ClientError) as error:
        cloud.client("personalize-events").put_events(trackingId="not-a-tracker", sessionId="s",
                                                      eventList=[{"eventType": "chosen", "itemId": "x",
                                                                  "sentAt": time.time()}])
    assert _code(error) == "InvalidInputException"


def test_a_second_event_tracker_or_a_duplicate_name_is_refused(cloud, served):
    pz = cloud.client("personalize")
    with pytest.raises(ClientError) as error:
        pz.create_event_tracker(name="lifecycle-events-2", datasetGroupArn=served["group"].arn)
    assert _code(error) == "LimitExceededException"
    with pytest.raises(ClientError) as error:
        pz.create_dataset_group(name="lifecycle")
    assert _code(error) == "ResourceAlreadyExistsException"


@pytest.mark.parametrize("fields, kind, words", [
    ([{"name": "USER_ID", "type": "string"}, {"name": "ITEM_ID", "type": "string"}], "Interactions", "TIMESTAMP"),
    ([{"name": "USER_ID", "type": "string"}] + [{"name": f"F{k}", "type": "int"} for k in range(26)], "Users",
     "at most 25"),
    ([{"name": "ITEM_ID", "type": "string"}] + [{"name": f"F{k}", "type": "int"} for k in range(51)], "Items",
     "at most 50"),
])
def test_datasets_need_the_fields_and_limits_of_their_type(cloud, served, fields, kind, words):
    pz = cloud.client("personalize")
    schema = pz.create_schema(name=f"bad-{kind.lower()}-{len(fields)}",
                              schema=json.dumps({"type": "record", "name": "X", "fields": fields}))["schemaArn"]
    group = pz.create_dataset_group(name=f"bad-{kind.lower()}-{len(fields)}")["datasetGroupArn"]
    wait(pz.describe_dataset_group, "datasetGroup", datasetGroupArn=group)
    with pytest.raises(ClientError) as error:
        pz.create_dataset(name=f"bad-{kind.lower()}", datasetType=kind, datasetGroupArn=group, schemaArn=schema)
    assert _code(error) == "InvalidInputException" and words in error.value.response["Error"]["Message"]


@pytest.mark.parametrize("text, words", [
    ("{not json", "not valid JSON"),
    (json.dumps({"type": "record", "name": "X", "fields": [{"name": "A", "type": "date"}]}), "not one of"),
    (json.dumps({"type": "record", "name": "X", "fields": [{"name": "A", "type": "int", "categorical": True}]}),
     "only string fields"),
])
def test_schemas_are_checked_like_avro(cloud, text, words):
    with pytest.raises(ClientError) as error:
        cloud.client("personalize").create_schema(name="bad-schema", schema=text)
    assert _code(error) == "InvalidInputException" and words in error.value.response["Error"]["Message"]


def test_the_server_checks_parameters_even_when_the_client_does_not(cloud):
    pz = cloud.client("personalize", parameter_validation=False)
    with pytest.raises(ClientError) as error:
        pz.create_dataset_group(name="bad name with spaces")
    assert _code(error) == "InvalidInputException" and "regular expression" in error.value.response["Error"]["Message"]
    with pytest.raises(ParamValidationError):  # and botocore's own check still applies by default
        cloud.client("personalize").create_dataset_group()


def test_imports_fail_with_the_services_reasons(cloud):
    files = csv_files()
    few = "\n".join(files["Interactions"].splitlines()[:500]) + "\n"
    short = make_group(cloud, "few-rows", {**files, "Interactions": few})
    assert short.statuses["import Interactions"][-1] == "CREATE FAILED"
    job = cloud.client("personalize").describe_dataset_import_job(
        datasetImportJobArn=short.datasets["Interactions"].replace("dataset/few-rows/INTERACTIONS",
                                                                   "dataset-import-job/few-rows-interactions"))
    assert "at least 1000 records" in job["datasetImportJob"]["failureReason"]
    closed = make_group(cloud, "no-policy", policy=False)
    assert closed.statuses["import Users"][-1] == "CREATE FAILED"


def test_training_needs_25_users_with_two_interactions(cloud):
    files = csv_files()
    lines = files["Interactions"].splitlines()
    one_user = [lines[0]] + [f"solo,{line.split(',')[1]},{1_700_000_000 + n},hold" for n, line in
                             enumerate(lines[1:1101])]
    group = make_group(cloud, "one-user", {**files, "Interactions": "\n".join(one_user) + "\n"})
    pz = cloud.client("personalize")
    solution = pz.create_solution(name="one-user", datasetGroupArn=group.arn, performAutoTraining=False,
                                  recipeArn="arn:aws:personalize:::recipe/aws-user-personalization-v2")["solutionArn"]
    wait(pz.describe_solution, "solution", solutionArn=solution)
    version = pz.create_solution_version(solutionArn=solution)["solutionVersionArn"]
    failed = wait(pz.describe_solution_version, "solutionVersion", solutionVersionArn=version)
    assert failed["status"] == "CREATE FAILED" and "25 are needed" in failed["failureReason"]


def test_deletion_is_refused_while_dependents_exist_and_follows_the_services_order(cloud):
    pz = cloud.client("personalize")
    group = make_group(cloud, "teardown")
    campaign = make_campaign(cloud, group, "aws-user-personalization", "teardown")
    solution = pz.list_solutions(datasetGroupArn=group.arn)["solutions"][0]["solutionArn"]
    tracker = pz.create_event_tracker(name="teardown", datasetGroupArn=group.arn)["eventTrackerArn"]
    rule = pz.create_filter(name="teardown", datasetGroupArn=group.arn, filterExpression=FILTER)["filterArn"]
    refusals = [
        lambda: pz.delete_solution(solutionArn=solution),
        lambda: pz.delete_dataset(datasetArn=group.datasets["Interactions"]),
        lambda: pz.delete_dataset_group(datasetGroupArn=group.arn),
        lambda: pz.delete_schema(schemaArn=group.schemas["Users"]),
    ]
    for refused in refusals:
        with pytest.raises(ClientError) as error:
            refused()
        assert _code(error) == "ResourceInUseException"
    pz.delete_campaign(campaignArn=campaign)
    pz.delete_event_tracker(eventTrackerArn=tracker)
    pz.delete_filter(filterArn=rule)
    pz.delete_solution(solutionArn=solution)
    for arn in group.datasets.values():
        pz.delete_dataset(datasetArn=arn)
    pz.delete_dataset_group(datasetGroupArn=group.arn)
    for arn in group.schemas.values():
        pz.delete_schema(schemaArn=arn)
    with pytest.raises(ClientError) as error:
        pz.describe_dataset_group(datasetGroupArn=group.arn)
    assert _code(error) == "ResourceNotFoundException"
    assert not [s for s in pz.list_schemas()["schemas"] if s["name"].startswith("teardown")]
