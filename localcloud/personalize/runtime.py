"""personalize-runtime (recommendations, rankings) and personalize-events (events, users, items).

A campaign answers with the engine its solution version trained. What a user id means comes
from the dataset group: its imported interactions plus the events recorded for it (by user
id, or by session id for anonymous visitors) are the items it chose, and its Users record
(imported, or sent with PutUsers) its metadata — so recorded events and users change the next
answer at once. The engine never returns the items it was given; the service may, unless a
filter excludes them. Scores are a softmax over the ranked items (they sum to 1), as the
service's User-Personalization scores do; Similar-Items and Popularity-Count return none.
"""
from __future__ import annotations

import json
import math
import time
import uuid
from typing import Any

from localcloud.personalize import filters, schemas
from localcloud.personalize.errors import InUse, InvalidInput
from localcloud.personalize.models import RECIPES
from localcloud.personalize.store import ACTIVE, Resource, Store
from localcloud.personalize.tracking import group_data, tracker_by_id

DEFAULT_RESULTS = 25
MAX_RESULTS = 500
MAX_RESULTS_WITH_METADATA = 50
SOFTMAX_TEMPERATURE = 0.1


def _campaign(store: Store, p: dict) -> tuple[Resource, Resource, str]:
    if not p.get("campaignArn"):
        raise InvalidInput("campaignArn is required (the local cloud serves campaigns, not recommenders)")
    campaign = store.get("campaign", p["campaignArn"])
    if campaign.current_status() != ACTIVE:
        raise InvalidInput(f"The campaign {campaign.arn} is not ACTIVE (it is {campaign.current_status()})")
    version = store.get("solutionVersion", campaign.shown["solutionVersionArn"])
    return campaign, version, version.state["recipe"]


def _user_events(data: dict, user_id: str | None) -> list[dict]:
    if not user_id:
        return []
    return list(data["interactions"].get("by_user", {}).get(user_id, []))


def _metadata(data: dict, user_id: str | None, model: Any) -> dict:
    row = ((data["users"] or {}).get("rows") or {}).get(user_id) if user_id else None
    if not row:
        return {}
    out = {}
    for field in model.metadata_schema():
        value = row.get(field["name"])
        if value is None or value == "":
            continue
        if field["type"] == "categorical":
            if str(value) in field["values"]:
                out[field["name"]] = str(value)
        else:
            out[field["name"]] = float(value) if field["type"] == "number" else int(float(value))
    return out


def _softmax(scores: list[float]) -> list[float]:
    if not scores:
        return []
    top = max(scores)
    weights = [math.exp((s - top) / SOFTMAX_TEMPERATURE) for s in scores]
    total = sum(weights)
    return [w / total for w in weights]


def _filtered(store: Store, p: dict, group_arn: str, data: dict, candidates: list[str], events: list[dict]):
    if not p.get("filterArn"):
        if p.get("filterValues"):
            raise InvalidInput("filterValues needs a filterArn")
        return [True] * len(candidates)
    rule = store.get("filter", p["filterArn"])
    if rule.shown["datasetGroupArn"] != group_arn:
        raise InvalidInput(f"The filter {rule.arn} belongs to another dataset group than the campaign's")
    values = dict(p.get("filterValues") or {})
    filters.check_values(rule.state["clauses"], values)
    items = (data["items"] or {}).get("rows") or {}
    return filters.allowed(rule.state["clauses"], candidates, items, filters.interacted_items(events), values)


def _with_metadata(store: Store, campaign: Resource, data: dict, p: dict, rows: list[dict]) -> None:
    columns = (p.get("metadataColumns") or {})
    if not columns:
        return
    if not campaign.shown["campaignConfig"].get("enableMetadataWithRecommendations"):
        raise InvalidInput("This campaign does not return item metadata: create it with "
                           "campaignConfig.enableMetadataWithRecommendations = true")
    unknown = [k for k in columns if k != "ITEMS"]
    if unknown:
        raise InvalidInput(f"metadataColumns takes the key ITEMS only, not {unknown[0]}")
    fields = (data["items"] or {}).get("fields") or {}
    wanted = [c.upper() for c in columns["ITEMS"]]
    missing = [c for c in wanted if c not in fields]
    if missing:
        raise InvalidInput(f"metadataColumns: {missing[0]} is not a column of the Items dataset")
    items = (data["items"] or {}).get("rows") or {}
    for row in rows:
        record = items.get(row["itemId"]) or {}
        row["metadata"] = {c: "" if record.get(c) is None else str(record.get(c)) for c in wanted}


def get_recommendations(store: Store, p: dict) -> dict:
    campaign, version, recipe = _campaign(store, p)
    kind = RECIPES[recipe]
    if kind == "PERSONALIZED_RANKING":
        raise InvalidInput("This campaign ranks items: call GetPersonalizedRanking with an inputList")
    k = DEFAULT_RESULTS if p.get("numResults") in (None, 0) else int(p["numResults"])
    limit = MAX_RESULTS_WITH_METADATA if p.get("metadataColumns") else MAX_RESULTS
    if k > limit:
        raise InvalidInput(f"numResults must be at most {limit}" + (" when metadataColumns is given"
                                                                    if p.get("metadataColumns") else ""))
    user, item = p.get("userId"), p.get("itemId")
    if kind == "RELATED_ITEMS" and not item:
        raise InvalidInput("itemId is required for a campaign of a related-items recipe")
    if kind == "USER_PERSONALIZATION" and not user:
        raise InvalidInput("userId is required for a campaign of a user-personalization recipe")
    group_arn = version.shown["datasetGroupArn"]
    with store.lock:
        data = group_data(store, group_arn)
        events = _user_events(data, user)
    scored = _rank(version, recipe, data, events, user, item)
    mask = _filtered(store, p, group_arn, data, [i for i, _ in scored], events)
    rows = []
    for (item_id, score), keep in zip(scored, mask):
        if keep:
            rows.append({"itemId": item_id} if score is None else {"itemId": item_id, "score": score})
        if len(rows) == k:
            break
    _with_metadata(store, campaign, data, p, rows)
    return {"itemList": rows, "recommendationId": f"RID-{uuid.uuid4()}"}


def _rank(version: Resource, recipe: str, data: dict, events: list[dict], user: str | None,
          item: str | None) -> list[tuple[str, float | None]]:
    if recipe == "aws-popularity-count":
        return [(i, None) for i in version.state["popular"]]
    model = version.state["model"]
    known = set(model.item_ids)
    if recipe == "aws-similar-items":
        if item not in known:
            return [(i, None) for i in version.state["popular"] if i != item]
        return [(r["item_id"], None) for r in model.recommend(items=[item], k=model.n_items)]
    chosen = []
    for event in sorted(events, key=lambda e: e.get("TIMESTAMP") or 0, reverse=True):
        if event.get("ITEM_ID") in known and event["ITEM_ID"] not in chosen:
            chosen.append(event["ITEM_ID"])
    ranked = model.recommend(items=chosen or None, metadata=_metadata(data, user, model) or None, k=model.n_items)
    scores = _softmax([r["score"] for r in ranked])
    return [(r["item_id"], round(s, 7)) for r, s in zip(ranked, scores)]


def get_personalized_ranking(store: Store, p: dict) -> dict:
    campaign, version, recipe = _campaign(store, p)
    if RECIPES[recipe] != "PERSONALIZED_RANKING":
        raise InvalidInput("This campaign's recipe does not rank: GetPersonalizedRanking needs a campaign of a "
                           "personalized-ranking recipe")
    if len(p["inputList"]) > MAX_RESULTS:
        raise InvalidInput(f"inputList can hold at most {MAX_RESULTS} items")
    group_arn = version.shown["datasetGroupArn"]
    with store.lock:
        data = group_data(store, group_arn)
        events = _user_events(data, p["userId"])
    ranked = {i: s for i, s in _rank(version, "aws-user-personalization", data, events, p["userId"], None)}
    inputs = list(dict.fromkeys(p["inputList"]))
    raw = [ranked.get(i) for i in inputs]
    total = sum(s for s in raw if s is not None) or 1.0  # the softmax restricted to the input items
    scored = [(i, round(s / total, 7) if s is not None else 0.0) for i, s in zip(inputs, raw)]
    scored.sort(key=lambda pair: -pair[1])
    mask = _filtered(store, p, group_arn, data, [i for i, _ in scored], events)
    rows = [{"itemId": i, "score": s} for (i, s), keep in zip(scored, mask) if keep]
    _with_metadata(store, campaign, data, p, rows)
    return {"personalizedRanking": rows, "recommendationId": f"RID-{uuid.uuid4()}"}


# ---------------------------------------------------------------------------------------------- events
def put_events(store: Store, p: dict) -> dict:
    tracker = tracker_by_id(store, p["trackingId"])
    if tracker is None:
        raise InvalidInput(f"No event tracker has the tracking id {p['trackingId']}")
    if tracker.current_status() != ACTIVE:
        raise InvalidInput(f"The event tracker with tracking id {p['trackingId']} is not ACTIVE yet")
    owner = p.get("userId") or p["sessionId"]
    rows = []
    for event in p["eventList"]:
        if event.get("properties") is not None:
            _properties(event["properties"], "properties")
        rows.append({"USER_ID": owner, "ITEM_ID": event.get("itemId"), "EVENT_TYPE": event["eventType"],
                     "EVENT_VALUE": event.get("eventValue"), "TIMESTAMP": _epoch(event["sentAt"])})
    with store.lock:
        data = group_data(store, tracker.shown["datasetGroupArn"])
        interactions = data["interactions"]
        interactions.setdefault("events", []).extend(r for r in rows if r["ITEM_ID"])
        by_user = interactions.setdefault("by_user", {})
        by_user.setdefault(owner, []).extend(r for r in rows if r["ITEM_ID"])
    return {}


def put_users(store: Store, p: dict) -> dict:
    return _put_records(store, p, "USERS", "users", "userId", "USER_ID")


def put_items(store: Store, p: dict) -> dict:
    return _put_records(store, p, "ITEMS", "items", "itemId", "ITEM_ID")


def _put_records(store: Store, p: dict, kind: str, key: str, id_key: str, id_field: str) -> dict:
    dataset = store.get("dataset", p["datasetArn"])
    if dataset.shown["datasetType"] != kind:
        raise InvalidInput(f"The dataset {dataset.arn} is a {dataset.shown['datasetType']} dataset, not {kind}")
    if dataset.current_status() != ACTIVE:
        raise InUse(f"The dataset {dataset.arn} is not ACTIVE yet")
    fields = dataset.state["fields"]
    by_key = {schemas.property_key(name): name for name in fields if name != id_field}
    records = []
    for record in p[key]:
        row = {id_field: record[id_key]}
        for prop, value in _properties(record.get("properties") or "{}", f"{id_key} {record[id_key]}").items():
            if prop not in by_key:
                raise InvalidInput(f"{id_key} {record[id_key]}: property {prop!r} is not in the schema; use "
                                   f"{', '.join(sorted(by_key))}")
            name = by_key[prop]
            row[name] = schemas.coerce(value, fields[name], f"{id_key} {record[id_key]}, property {prop}")
        records.append(row)
    with store.lock:
        table = dataset.state.setdefault("rows", {})
        for row in records:
            table[str(row[id_field])] = row
        dataset.updated = time.time()
    return {}


def _properties(text: Any, where: str) -> dict:
    try:
        doc = json.loads(text) if isinstance(text, str) else text
    except ValueError:
        raise InvalidInput(f"{where}: properties must be a JSON object in a string") from None
    if not isinstance(doc, dict):
        raise InvalidInput(f"{where}: properties must be a JSON object in a string")
    return doc


def _epoch(value: Any) -> int:
    if hasattr(value, "timestamp"):
        return int(value.timestamp())
    try:
        return int(float(value))
    except (TypeError, ValueError):
        raise InvalidInput(f"sentAt {value!r} is not a timestamp") from None
