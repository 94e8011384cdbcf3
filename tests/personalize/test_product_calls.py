"""Every Personalize call the product makes, pinned with botocore's Stubber to the real service models.

The Stubber checks each request against botocore's model of the service (names, types, required
members) and against the parameters below; the answers are checked against the model too.
"""
from __future__ import annotations

import json
from contextlib import nullcontext
from pathlib import Path

import boto3
import pytest
from botocore.stub import ANY, Stubber

from devtasks import personalize_resources as pr
from lambdas.dal.personalize import CHOSEN_EVENT, PersonalizeRanker, property_key
from lambdas.errors import ModelUnavailable

ACCOUNT = "111122223333"
ARN = f"arn:aws:personalize:us-east-1:{ACCOUNT}"
CAMPAIGN, FILTER, USERS = f"{ARN}:campaign/shop", f"{ARN}:filter/shop-exclude-chosen", f"{ARN}:dataset/shop/USERS"


class Settings:
    personalize_campaign_arn, personalize_filter_arn, personalize_users_dataset_arn = CAMPAIGN, FILTER, USERS
    personalize_tracking_id = "a1b2c3d4-0000-1111-2222-333344445555"


class Catalogue:
    def catalogue(self):
        return [{"item_id": "a"}]

    def metadata_schema(self):
        return []


def _client(service: str):
    return boto3.client(service, region_name="us-east-1")


@pytest.fixture
def ranker():
    runtime, events = _client("personalize-runtime"), _client("personalize-events")
    ids = iter(["visitor-1", "visitor-2"])
    with Stubber(runtime) as rt, Stubber(events) as ev:
        yield PersonalizeRanker(runtime, events, Settings(), Catalogue(), lambda: next(ids)), rt, ev
        rt.assert_no_pending_responses()
        ev.assert_no_pending_responses()


def _recommendations(rt, user: str, k: int, values: dict | None = None):
    expected = {"campaignArn": CAMPAIGN, "userId": user, "numResults": k, "filterArn": FILTER}
    if values:
        expected["filterValues"] = values
    rt.add_response("get_recommendations", {"itemList": [{"itemId": "x", "score": 0.4}, {"itemId": "y", "score": 0.2}],
                                            "recommendationId": "RID-1"}, expected)


def test_chosen_products_are_events_of_a_fresh_anonymous_session(ranker):
    rank, rt, ev = ranker
    ev.add_response("put_events", {}, {"trackingId": Settings.personalize_tracking_id, "sessionId": "visitor-1",
                                       "eventList": [{"eventType": CHOSEN_EVENT, "itemId": i, "sentAt": ANY}
                                                     for i in ("p1", "p2", "p3", "p4", "p5")]})
    _recommendations(rt, "visitor-1", 2)
    rows = rank.recommend(items=["p1", "p2", "p3", "p4", "p5"], k=2)
    assert rows == [{"item_id": "x", "score": 0.4, "reason": rows[0]["reason"]},
                    {"item_id": "y", "score": 0.2, "reason": rows[0]["reason"]}]
    assert "products chosen" in rows[0]["reason"] and "Amazon Personalize" in rows[0]["reason"]


def test_details_are_a_fresh_user_with_camel_case_properties(ranker):
    rank, rt, ev = ranker
    ev.add_response("put_users", {}, {"datasetArn": USERS, "users": [
        {"userId": "visitor-1", "properties": json.dumps({"age": 41, "customerTenure": 12, "sex": "F"})}]})
    _recommendations(rt, "visitor-1", 3)
    rank.recommend(metadata={"AGE": 41, "CUSTOMER_TENURE": 12, "SEX": "F"}, k=3)


def test_both_record_the_user_and_its_events_under_one_id_and_a_category_fills_the_filter(ranker):
    rank, rt, ev = ranker
    ev.add_response("put_users", {}, {"datasetArn": USERS, "users": [{"userId": "visitor-1",
                                                                        "properties": json.dumps({"age": 30})}]})
    ev.add_response("put_events", {}, {"trackingId": Settings.personalize_tracking_id, "sessionId": "visitor-1",
                                       "userId": "visitor-1", "eventList": ANY})
    _recommendations(rt, "visitor-1", 5, {"CATEGORY": '"Cards"'})
    rank.recommend(items=["p1"], metadata={"AGE": 30}, k=5, category="Cards")


def test_every_request_gets_its_own_visitor_id(ranker):
    rank, rt, ev = ranker
    for visitor in ("visitor-1", "visitor-2"):
        ev.add_response("put_users", {}, {"datasetArn": USERS, "users": [{"userId": visitor, "properties": ANY}]})
        _recommendations(rt, visitor, 1)
        rank.recommend(metadata={"AGE": 30}, k=1)


def test_a_service_error_becomes_model_unavailable(ranker):
    rank, rt, ev = ranker
    rt.add_client_error("get_recommendations", "ResourceNotFoundException", "no campaign", 404)
    with pytest.raises(ModelUnavailable, match="Amazon Personalize could not answer"):
        rank.recommend(k=1)


def test_the_lambda_and_the_filter_agree_on_the_event_type_and_property_keys():
    assert pr.CHOSEN_EVENT == CHOSEN_EVENT and f'("{CHOSEN_EVENT}")' in pr.FILTER_EXPRESSION
    assert property_key("CUSTOMER_TENURE") == "customerTenure" and property_key("AGE") == "age"


# ---------------------------------------------------------------------------------------------- the deploy's calls
def _data(folder: Path) -> Path:
    for kind, header in (("Interactions", "USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE"), ("Users", "USER_ID,AGE"),
                         ("Items", "ITEM_ID,CATEGORY")):
        (folder / f"{kind}.csv").write_text(header + "\n")
        (folder / f"{kind}.schema.json").write_text(json.dumps({"type": "record", "name": kind, "fields": []}))
    return folder


class Script:
    """The expected calls of one client, in order."""

    def __init__(self, stub: Stubber):
        self.stub = stub

    def __call__(self, operation: str, answer: dict, expected: dict | None = None):
        self.stub.add_response(operation, answer, expected)


def _resources(pz, s3) -> pr.Resources:
    return pr.Resources(lambda service: {"personalize": pz, "s3": s3}[service], pr.Names("shop"),
                        lambda title: nullcontext(), poll_s=0, say=lambda line: None)


def test_deploy_creates_each_resource_with_the_services_parameters(tmp_path):
    pz, s3 = _client("personalize"), _client("s3")
    group, role = f"{ARN}:dataset-group/shop", f"arn:aws:iam::{ACCOUNT}:role/shop-personalize"
    with Stubber(pz) as p, Stubber(s3) as s:
        call = Script(p)
        for kind in pr.KINDS:
            call("list_schemas", {"schemas": []}, {})
            call("create_schema", {"schemaArn": f"{ARN}:schema/shop-{kind.lower()}"},
                 {"name": f"shop-{kind.lower()}", "schema": ANY})
        call("list_dataset_groups", {"datasetGroups": []}, {})
        call("create_dataset_group", {"datasetGroupArn": group}, {"name": "shop"})
        call("describe_dataset_group", {"datasetGroup": {"status": "ACTIVE"}}, {"datasetGroupArn": group})
        for kind in pr.KINDS:
            dataset = f"{ARN}:dataset/shop/{kind.upper()}"
            call("list_datasets", {"datasets": []}, {"datasetGroupArn": group})
            call("create_dataset", {"datasetArn": dataset}, {"name": f"shop-{kind.lower()}", "datasetType": kind,
                                                             "datasetGroupArn": group, "schemaArn": ANY})
            call("describe_dataset", {"dataset": {"status": "ACTIVE"}}, {"datasetArn": dataset})
            call("list_dataset_import_jobs", {"datasetImportJobs": []}, {"datasetArn": dataset})
            s.add_response("put_object", {}, {"Bucket": "data-bucket", "Key": f"import/{kind}.csv", "Body": ANY})
            call("create_dataset_import_job", {"datasetImportJobArn": f"{ARN}:dataset-import-job/{kind}"},
                 {"jobName": ANY, "datasetArn": dataset, "roleArn": role, "importMode": "FULL",
                  "dataSource": {"dataLocation": f"s3://data-bucket/import/{kind}.csv"}})
            call("describe_dataset_import_job", {"datasetImportJob": {"status": "ACTIVE"}},
                 {"datasetImportJobArn": f"{ARN}:dataset-import-job/{kind}"})
        solution, version = f"{ARN}:solution/shop-user-personalization", f"{ARN}:solution/shop-user-personalization/1"
        call("list_solutions", {"solutions": []}, {"datasetGroupArn": group})
        call("create_solution", {"solutionArn": solution}, {"name": "shop-user-personalization", "datasetGroupArn": group,
                                                            "recipeArn": pr.RECIPE, "performAutoTraining": False})
        call("describe_solution", {"solution": {"status": "ACTIVE"}}, {"solutionArn": solution})
        call("list_solution_versions", {"solutionVersions": []}, {"solutionArn": solution})
        call("create_solution_version", {"solutionVersionArn": version}, {"solutionArn": solution, "trainingMode": "FULL"})
        call("describe_solution_version", {"solutionVersion": {"status": "ACTIVE"}}, {"solutionVersionArn": version})
        call("list_filters", {"Filters": []}, {"datasetGroupArn": group})
        call("create_filter", {"filterArn": FILTER}, {"name": "shop-exclude-chosen", "datasetGroupArn": group,
                                                      "filterExpression": pr.FILTER_EXPRESSION})
        call("describe_filter", {"filter": {"status": "ACTIVE"}}, {"filterArn": FILTER})
        tracker = f"{ARN}:event-tracker/abc"
        call("list_event_trackers", {"eventTrackers": []}, {"datasetGroupArn": group})
        call("create_event_tracker", {"eventTrackerArn": tracker, "trackingId": "t-1"}, {"name": "shop-events",
                                                                                          "datasetGroupArn": group})
        call("describe_event_tracker", {"eventTracker": {"status": "ACTIVE", "trackingId": "t-1"}},
             {"eventTrackerArn": tracker})
        call("list_campaigns", {"campaigns": []}, {})
        call("create_campaign", {"campaignArn": CAMPAIGN}, {"name": "shop", "solutionVersionArn": version,
                                                            "minProvisionedTPS": 1})
        call("describe_campaign", {"campaign": {"status": "ACTIVE"}}, {"campaignArn": CAMPAIGN})

        created = _resources(pz, s3).ensure(_data(tmp_path), "data-bucket", role, on_aws=False)
        p.assert_no_pending_responses()
    assert created["campaign_arn"] == CAMPAIGN and created["tracking_id"] == "t-1"
    assert created["users_dataset_arn"] == f"{ARN}:dataset/shop/USERS" and created["filter_arn"] == FILTER


def test_a_failed_training_stops_the_deploy_with_the_failure_reason():
    pz = _client("personalize")
    with Stubber(pz) as p:
        p.add_response("describe_solution_version", {"solutionVersion": {
            "status": "CREATE FAILED", "failureReason": "There are not enough interactions"}}, {"solutionVersionArn": "v"})
        with pytest.raises(pr.PersonalizeSetupError, match="training failed: There are not enough interactions"):
            _resources(pz, None).wait(pz.describe_solution_version, "solutionVersion", "training",
                                      solutionVersionArn="v")


def test_destroy_deletes_in_the_services_order_and_waits_for_each(tmp_path):
    pz = _client("personalize")
    group = f"{ARN}:dataset-group/shop"
    gone = ("ResourceNotFoundException", "gone")
    with Stubber(pz) as p:
        call = Script(p)
        call("list_dataset_groups", {"datasetGroups": [{"name": "shop", "datasetGroupArn": group}]}, {})
        call("list_campaigns", {"campaigns": [{"name": "shop", "campaignArn": CAMPAIGN}]}, {})
        order = [("delete_campaign", "describe_campaign", {"campaignArn": CAMPAIGN})]
        listings = [("list_event_trackers", "eventTrackers", "eventTrackerArn", f"{ARN}:event-tracker/abc",
                     "delete_event_tracker", "describe_event_tracker"),
                    ("list_filters", "Filters", "filterArn", FILTER, "delete_filter", "describe_filter"),
                    ("list_solutions", "solutions", "solutionArn", f"{ARN}:solution/shop-up", "delete_solution",
                     "describe_solution"),
                    ("list_datasets", "datasets", "datasetArn", USERS, "delete_dataset", "describe_dataset")]
        call(*order[0][:1], {}, order[0][2])
        p.add_client_error(order[0][1], *gone, expected_params=order[0][2])
        for lister, key, field, arn, delete, describe in listings:
            call(lister, {key: [{"name": arn.rsplit("/", 1)[-1], field: arn}]}, {"datasetGroupArn": group})
            call(delete, {}, {field: arn})
            p.add_client_error(describe, *gone, expected_params={field: arn})
        call("delete_dataset_group", {}, {"datasetGroupArn": group})
        p.add_client_error("describe_dataset_group", *gone, expected_params={"datasetGroupArn": group})
        for kind in pr.KINDS:
            schema = f"{ARN}:schema/shop-{kind.lower()}"
            call("list_schemas", {"schemas": [{"name": f"shop-{kind.lower()}", "schemaArn": schema}]}, {})
            call("delete_schema", {}, {"schemaArn": schema})
        removed = _resources(pz, None).remove()
        p.assert_no_pending_responses()
    assert removed[0] == "campaign shop" and removed[-1] == "schema shop-items"
    assert removed.index("dataset group shop") > removed.index("solution shop-up (and its versions)")


def test_the_campaign_cost_notice_says_what_it_costs_and_how_to_remove_it():
    notice = pr.cost_notice(1)
    assert "$0.20 an hour" in notice and "$146 a month" in notice and "invoke destroy --target aws" in notice
