"""Control plane, serving side: event trackers and filters; and a dataset group's data for the runtime."""
from __future__ import annotations

import uuid

from localcloud.personalize import filters
from localcloud.personalize.errors import AlreadyExists, InUse, LimitExceeded
from localcloud.personalize.store import ACTIVE, Resource, Store, page, short_id, summary

MAX_FILTERS_PER_GROUP = 10


def group_data(store: Store, group_arn: str) -> dict:
    """The states of a dataset group's datasets: ``{"interactions", "users", "items"}`` (None when absent)."""
    name = group_arn.rsplit("/", 1)[-1]
    out = {}
    for kind in ("INTERACTIONS", "USERS", "ITEMS"):
        dataset = store.resources.get(store.arn(f"dataset/{name}/{kind}"))
        out[kind.lower()] = dataset.state if dataset is not None else None
    if out["interactions"] is None:
        out["interactions"] = {"fields": {}, "rows": [], "events": []}
    return out


def schema_fields(store: Store, group_arn: str) -> dict[str, dict]:
    data = group_data(store, group_arn)
    return {kind.upper(): state["fields"] for kind, state in data.items() if state is not None and state.get("fields")}


# ---------------------------------------------------------------------------------------------- event trackers
def create_event_tracker(store: Store, p: dict) -> dict:
    group = store.get("datasetGroup", p["datasetGroupArn"])
    if store.by_name("eventTracker", p["name"]) is not None:
        raise AlreadyExists(f"Another event tracker with name {p['name']} already exists")
    if store.of_kind("eventTracker", datasetGroupArn=group.arn):
        raise LimitExceeded(f"Dataset group {group.arn} already has an event tracker (one per dataset group)")
    if group.current_status() != ACTIVE:
        raise InUse(f"The dataset group {group.arn} is not ACTIVE")
    arn = store.arn(f"event-tracker/{short_id()}")
    shown = {"name": p["name"], "eventTrackerArn": arn, "accountId": store.account,
             "trackingId": str(uuid.uuid4()), "datasetGroupArn": group.arn}
    store.add(Resource("eventTracker", arn, p["name"], shown))
    return {"eventTrackerArn": arn, "trackingId": shown["trackingId"]}


def describe_event_tracker(store: Store, p: dict) -> dict:
    return {"eventTracker": store.get("eventTracker", p["eventTrackerArn"]).describe()}


def list_event_trackers(store: Store, p: dict) -> dict:
    rows = [summary(r, "name", "eventTrackerArn", "status", "creationDateTime", "lastUpdatedDateTime")
            for r in store.of_kind("eventTracker", datasetGroupArn=p.get("datasetGroupArn"))]
    return page(rows, p, "eventTrackers")


def delete_event_tracker(store: Store, p: dict) -> dict:
    store.remove(store.get("eventTracker", p["eventTrackerArn"]).arn)
    return {}


def tracker_by_id(store: Store, tracking_id: str) -> Resource | None:
    return next((t for t in store.of_kind("eventTracker") if t.shown["trackingId"] == tracking_id), None)


# ---------------------------------------------------------------------------------------------- filters
def create_filter(store: Store, p: dict) -> dict:
    group = store.get("datasetGroup", p["datasetGroupArn"])
    if store.by_name("filter", p["name"]) is not None:
        raise AlreadyExists(f"Another filter with name {p['name']} already exists")
    if len(store.of_kind("filter", datasetGroupArn=group.arn)) >= MAX_FILTERS_PER_GROUP:
        raise LimitExceeded(f"A dataset group can have at most {MAX_FILTERS_PER_GROUP} filters")
    clauses = filters.parse(p["filterExpression"], schema_fields(store, group.arn))
    arn = store.arn(f"filter/{p['name']}")
    shown = {"name": p["name"], "filterArn": arn, "datasetGroupArn": group.arn,
             "filterExpression": p["filterExpression"]}
    store.add(Resource("filter", arn, p["name"], shown, state={"clauses": clauses}))
    return {"filterArn": arn}


def describe_filter(store: Store, p: dict) -> dict:
    return {"filter": store.get("filter", p["filterArn"]).describe()}


def list_filters(store: Store, p: dict) -> dict:
    rows = [summary(r, "name", "filterArn", "creationDateTime", "lastUpdatedDateTime", "datasetGroupArn",
                    "failureReason", "status") for r in store.of_kind("filter", datasetGroupArn=p.get("datasetGroupArn"))]
    return page(rows, p, "Filters")


def delete_filter(store: Store, p: dict) -> dict:
    store.remove(store.get("filter", p["filterArn"]).arn)
    return {}
