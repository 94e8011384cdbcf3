"""Control plane, model side: recipes, solutions, solution versions (training) and campaigns."""
from __future__ import annotations

import threading
import time

from localcloud.personalize import training
from localcloud.personalize.errors import AlreadyExists, InUse, InvalidInput
from localcloud.personalize.store import (ACTIVE, FAILED, IN_PROGRESS, PENDING, STEP_S, Resource, Store, page,
                                          short_id, summary)

#: The recipes the local service trains, by name: (recipe type, what answers).
RECIPES = {
    "aws-user-personalization-v2": "USER_PERSONALIZATION",
    "aws-user-personalization": "USER_PERSONALIZATION",
    "aws-similar-items": "RELATED_ITEMS",
    "aws-popularity-count": "USER_PERSONALIZATION",
    "aws-personalized-ranking-v2": "PERSONALIZED_RANKING",
    "aws-personalized-ranking": "PERSONALIZED_RANKING",
}
RECIPE_CREATED = 1_545_000_000.0


def recipe_arn(name: str) -> str:
    return f"arn:aws:personalize:::recipe/{name}"


def recipe_of(arn: str) -> str:
    name = arn.rsplit("/", 1)[-1] if arn.startswith("arn:aws:personalize:::recipe/") else ""
    if name not in RECIPES:
        raise InvalidInput(f"The local cloud trains the recipes {', '.join(RECIPES)}; {arn} is not one of them")
    return name


# ---------------------------------------------------------------------------------------------- recipes
def _recipe_doc(name: str) -> dict:
    return {"name": name, "recipeArn": recipe_arn(name), "status": ACTIVE, "recipeType": RECIPES[name],
            "algorithmArn": f"arn:aws:personalize:::algorithm/{name}", "creationDateTime": RECIPE_CREATED,
            "lastUpdatedDateTime": RECIPE_CREATED,
            "description": f"{name}, answered locally by the project's engine trained on the imported data"}


def describe_recipe(store: Store, p: dict) -> dict:
    return {"recipe": _recipe_doc(recipe_of(p["recipeArn"]))}


def list_recipes(store: Store, p: dict) -> dict:
    rows = [{k: v for k, v in _recipe_doc(n).items() if k in ("name", "recipeArn", "status", "creationDateTime",
                                                               "lastUpdatedDateTime")} for n in RECIPES]
    return page(rows, p, "recipes")


# ---------------------------------------------------------------------------------------------- solutions
def create_solution(store: Store, p: dict) -> dict:
    group = store.get("datasetGroup", p["datasetGroupArn"])
    if store.by_name("solution", p["name"]) is not None:
        raise AlreadyExists(f"Another solution with name {p['name']} already exists")
    if p.get("performAutoML"):
        raise InvalidInput("performAutoML is not offered for new solutions: choose a recipeArn")
    if not p.get("recipeArn"):
        raise InvalidInput("recipeArn is required")
    recipe_of(p["recipeArn"])
    if group.current_status() != ACTIVE:
        raise InUse(f"The dataset group {group.arn} is not ACTIVE")
    if store.resources.get(store.arn(f"dataset/{group.name}/INTERACTIONS")) is None:
        raise InvalidInput(f"The dataset group {group.arn} has no Interactions dataset; create one and import data")
    arn = store.arn(f"solution/{p['name']}")
    auto = bool(p.get("performAutoTraining", True))
    shown = {"name": p["name"], "solutionArn": arn, "datasetGroupArn": group.arn, "recipeArn": p["recipeArn"],
             "performHPO": bool(p.get("performHPO", False)), "performAutoML": False, "performAutoTraining": auto,
             "solutionConfig": dict(p.get("solutionConfig") or {})}
    if auto:
        shown["solutionConfig"].setdefault("autoTrainingConfig", {"schedulingExpression": "rate(7 days)"})
    if p.get("eventType"):
        shown["eventType"] = p["eventType"]
    store.add(Resource("solution", arn, p["name"], shown))
    return {"solutionArn": arn}


def describe_solution(store: Store, p: dict) -> dict:
    solution = store.get("solution", p["solutionArn"])
    doc = solution.describe()
    latest = store.of_kind("solutionVersion", solutionArn=solution.arn)
    if latest:
        v = latest[0].describe()
        doc["latestSolutionVersion"] = {k: v[k] for k in ("solutionVersionArn", "status", "trainingMode",
                                                          "creationDateTime", "lastUpdatedDateTime") if k in v}
    return {"solution": doc}


def list_solutions(store: Store, p: dict) -> dict:
    rows = [summary(r, "name", "solutionArn", "status", "creationDateTime", "lastUpdatedDateTime", "recipeArn")
            for r in store.of_kind("solution", datasetGroupArn=p.get("datasetGroupArn"))]
    return page(rows, p, "solutions")


def delete_solution(store: Store, p: dict) -> dict:
    solution = store.get("solution", p["solutionArn"])
    versions = store.of_kind("solutionVersion", solutionArn=solution.arn)
    training_now = [v for v in versions if v.current_status() in (PENDING, IN_PROGRESS)]
    if training_now:
        raise InUse(f"Solution {solution.arn} has the solution version {training_now[0].arn} in training")
    campaigns = [c for c in store.of_kind("campaign") if c.shown["solutionVersionArn"] in {v.arn for v in versions}]
    if campaigns:
        raise InUse(f"Solution {solution.arn} is used by the campaign {campaigns[0].arn}; delete the campaign first")
    for version in versions:
        store.remove(version.arn)
    store.remove(solution.arn)
    return {}


# ---------------------------------------------------------------------------------------------- solution versions
def create_solution_version(store: Store, p: dict, group_data) -> dict:
    solution = store.get("solution", p["solutionArn"])
    if solution.current_status() != ACTIVE:
        raise InUse(f"The solution {solution.arn} is not ACTIVE")
    busy = [v for v in store.of_kind("solutionVersion", solutionArn=solution.arn)
            if v.current_status() in (PENDING, IN_PROGRESS)]
    if busy:
        raise InUse(f"The solution {solution.arn} already has the solution version {busy[0].arn} in training")
    mode = p.get("trainingMode") or "FULL"
    if mode == "UPDATE" and "user-personalization" not in solution.shown["recipeArn"]:
        raise InvalidInput("trainingMode UPDATE is only for User-Personalization solutions")
    arn = f"{solution.arn}/{short_id()}"
    shown = {"solutionVersionArn": arn, "solutionArn": solution.arn, "datasetGroupArn": solution.shown["datasetGroupArn"],
             "recipeArn": solution.shown["recipeArn"], "performHPO": solution.shown["performHPO"],
             "performAutoML": False, "solutionConfig": solution.shown["solutionConfig"], "trainingMode": mode,
             "trainingType": "AUTOMATIC" if mode == "AUTOTRAIN" else "MANUAL"}
    if p.get("name"):
        shown["name"] = p["name"]
    if solution.shown.get("eventType"):
        shown["eventType"] = solution.shown["eventType"]
    version = store.add(Resource("solutionVersion", arn, p.get("name") or arn.rsplit("/", 1)[-1], shown,
                                 status=PENDING))
    threading.Thread(target=_train, args=(store, version, solution, group_data), daemon=True,
                     name=f"personalize-train-{version.name}").start()
    return {"solutionVersionArn": arn}


def _train(store: Store, version: Resource, solution: Resource, group_data) -> None:
    time.sleep(STEP_S)
    version.move(IN_PROGRESS)
    started = time.time()
    try:
        with store.lock:
            group = group_data(solution.shown["datasetGroupArn"])
        rows = training.interactions_of(group, solution.shown.get("eventType"))
        training.check_minimums(rows)
        recipe = recipe_of(solution.shown["recipeArn"])
        version.state["recipe"] = recipe
        version.state["popular"] = training.popularity(rows)
        if recipe != "aws-popularity-count":
            version.state["model"] = training.train_engine(group, rows)
    except training.TrainingFailed as exc:
        version.move(FAILED, str(exc))
        return
    except Exception as exc:  # a failed version, never a failed emulator
        version.move(FAILED, f"Training failed: {exc}")
        return
    version.shown["trainingHours"] = round((time.time() - started) / 3600, 6)
    version.move(ACTIVE)


def describe_solution_version(store: Store, p: dict) -> dict:
    return {"solutionVersion": store.get("solutionVersion", p["solutionVersionArn"]).describe()}


def list_solution_versions(store: Store, p: dict) -> dict:
    if p.get("solutionArn"):
        store.get("solution", p["solutionArn"])
    rows = [summary(r, "solutionVersionArn", "status", "trainingMode", "trainingType", "creationDateTime",
                    "lastUpdatedDateTime", "failureReason")
            for r in store.of_kind("solutionVersion", solutionArn=p.get("solutionArn"))]
    return page(rows, p, "solutionVersions")


# ---------------------------------------------------------------------------------------------- campaigns
def create_campaign(store: Store, p: dict) -> dict:
    version = store.get("solutionVersion", p["solutionVersionArn"])
    if store.by_name("campaign", p["name"]) is not None:
        raise AlreadyExists(f"Another campaign with name {p['name']} already exists")
    if version.current_status() != ACTIVE:
        raise InUse(f"The solution version {version.arn} is not ACTIVE (it is {version.current_status()})")
    arn = store.arn(f"campaign/{p['name']}")
    config = dict(p.get("campaignConfig") or {})
    config.setdefault("enableMetadataWithRecommendations", False)
    config.setdefault("syncWithLatestSolutionVersion", False)
    shown = {"name": p["name"], "campaignArn": arn, "solutionVersionArn": version.arn,
             "minProvisionedTPS": int(p.get("minProvisionedTPS") or 1), "campaignConfig": config}
    store.add(Resource("campaign", arn, p["name"], shown))
    return {"campaignArn": arn}


def describe_campaign(store: Store, p: dict) -> dict:
    return {"campaign": store.get("campaign", p["campaignArn"]).describe()}


def list_campaigns(store: Store, p: dict) -> dict:
    campaigns = store.of_kind("campaign")
    if p.get("solutionArn"):
        campaigns = [c for c in campaigns if c.shown["solutionVersionArn"].startswith(p["solutionArn"] + "/")]
    rows = [summary(r, "name", "campaignArn", "status", "creationDateTime", "lastUpdatedDateTime", "failureReason")
            for r in campaigns]
    return page(rows, p, "campaigns")


def delete_campaign(store: Store, p: dict) -> dict:
    store.remove(store.get("campaign", p["campaignArn"]).arn)
    return {}
