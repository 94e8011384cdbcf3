"""Control plane, data side: schemas, dataset groups, datasets and dataset import jobs."""
from __future__ import annotations

import threading
import time

from localcloud.personalize import imports, schemas
from localcloud.personalize.errors import AlreadyExists, InUse, InvalidInput, LimitExceeded
from localcloud.personalize.store import ACTIVE, FAILED, IN_PROGRESS, PENDING, STEP_S, Resource, Store, page

DATASET_TYPES = {"INTERACTIONS", "USERS", "ITEMS"}
MAX_DATASET_GROUPS = 500


def _unique(store: Store, kind: str, name: str, label: str) -> None:
    if store.by_name(kind, name) is not None:
        raise AlreadyExists(f"Another {label} with name {name} already exists")


def _active(resource: Resource, label: str) -> None:
    if resource.current_status() != ACTIVE:
        raise InUse(f"The {label} {resource.arn} is not ACTIVE (it is {resource.current_status()})")


# ---------------------------------------------------------------------------------------------- schemas
def create_schema(store: Store, p: dict) -> dict:
    _unique(store, "schema", p["name"], "schema")
    fields = schemas.parse(p["schema"])
    arn = store.arn(f"schema/{p['name']}")
    shown = {"name": p["name"], "schemaArn": arn, "schema": p["schema"]}
    if p.get("domain"):
        shown["domain"] = p["domain"]
    store.add(Resource("schema", arn, p["name"], shown, status=ACTIVE, state={"fields": fields}))
    return {"schemaArn": arn}


def describe_schema(store: Store, p: dict) -> dict:
    return {"schema": store.get("schema", p["schemaArn"]).describe(with_status=False)}


def list_schemas(store: Store, p: dict) -> dict:
    rows = [{k: v for k, v in r.describe(False).items() if k != "schema"} for r in store.of_kind("schema")]
    return page(rows, p, "schemas")


def delete_schema(store: Store, p: dict) -> dict:
    schema = store.get("schema", p["schemaArn"])
    users = [d.arn for d in store.of_kind("dataset") if d.shown["schemaArn"] == schema.arn]
    if users:
        raise InUse(f"Schema {schema.arn} is used by dataset {users[0]}; delete the dataset first")
    store.remove(schema.arn)
    return {}


# ---------------------------------------------------------------------------------------------- dataset groups
def create_dataset_group(store: Store, p: dict) -> dict:
    _unique(store, "datasetGroup", p["name"], "dataset group")
    if len(store.of_kind("datasetGroup")) >= MAX_DATASET_GROUPS:
        raise LimitExceeded(f"An account can have at most {MAX_DATASET_GROUPS} dataset groups")
    arn = store.arn(f"dataset-group/{p['name']}")
    shown = {"name": p["name"], "datasetGroupArn": arn}
    for key in ("roleArn", "kmsKeyArn", "domain"):
        if p.get(key):
            shown[key] = p[key]
    store.add(Resource("datasetGroup", arn, p["name"], shown))
    out = {"datasetGroupArn": arn}
    if p.get("domain"):
        out["domain"] = p["domain"]
    return out


def describe_dataset_group(store: Store, p: dict) -> dict:
    return {"datasetGroup": store.get("datasetGroup", p["datasetGroupArn"]).describe()}


def list_dataset_groups(store: Store, p: dict) -> dict:
    return page([_summary(r, "datasetGroupArn", "domain") for r in store.of_kind("datasetGroup")], p,
                "datasetGroups")


def delete_dataset_group(store: Store, p: dict) -> dict:
    group = store.get("datasetGroup", p["datasetGroupArn"])
    for kind, label in (("dataset", "dataset"), ("solution", "solution"), ("eventTracker", "event tracker"),
                        ("filter", "filter")):
        left = store.of_kind(kind, datasetGroupArn=group.arn)
        if left:
            raise InUse(f"Dataset group {group.arn} still has the {label} {left[0].arn}; delete it first")
    store.remove(group.arn)
    return {}


# ---------------------------------------------------------------------------------------------- datasets
def create_dataset(store: Store, p: dict) -> dict:
    group = store.get("datasetGroup", p["datasetGroupArn"])
    schema = store.get("schema", p["schemaArn"])
    kind = p["datasetType"].upper()
    if kind not in DATASET_TYPES:
        raise InvalidInput(f"datasetType must be Interactions, Users or Items, not {p['datasetType']}")
    _active(group, "dataset group")
    schemas.check_for_dataset(schema.state["fields"], kind)
    arn = store.arn(f"dataset/{group.name}/{kind}")
    if arn in store.resources:
        raise AlreadyExists(f"Dataset group {group.arn} already has a {kind} dataset")
    _unique(store, "dataset", p["name"], "dataset")
    shown = {"name": p["name"], "datasetArn": arn, "datasetGroupArn": group.arn, "datasetType": kind,
             "schemaArn": schema.arn}
    store.add(Resource("dataset", arn, p["name"], shown, state={"fields": schema.state["fields"]}))
    return {"datasetArn": arn}


def describe_dataset(store: Store, p: dict) -> dict:
    dataset = store.get("dataset", p["datasetArn"])
    doc = dataset.describe()
    tracker = next((t for t in store.of_kind("eventTracker", datasetGroupArn=dataset.shown["datasetGroupArn"])),
                   None)
    if tracker is not None and dataset.shown["datasetType"] == "INTERACTIONS":
        doc["trackingId"] = tracker.shown["trackingId"]
    return {"dataset": doc}


def list_datasets(store: Store, p: dict) -> dict:
    rows = [_summary(r, "datasetArn", "datasetType") for r in store.of_kind("dataset",
                                                                             datasetGroupArn=p.get("datasetGroupArn"))]
    return page(rows, p, "datasets")


def delete_dataset(store: Store, p: dict) -> dict:
    dataset = store.get("dataset", p["datasetArn"])
    running = [j for j in store.of_kind("datasetImportJob", datasetArn=dataset.arn)
               if j.current_status() in (PENDING, IN_PROGRESS)]
    if running:
        raise InUse(f"Dataset {dataset.arn} has the import job {running[0].arn} in progress; wait for it to end")
    solutions = store.of_kind("solution", datasetGroupArn=dataset.shown["datasetGroupArn"])
    if solutions:
        raise InUse(f"Dataset {dataset.arn} is used by the solution {solutions[0].arn}; delete the solutions "
                    "of its dataset group first")
    store.remove(dataset.arn)
    return {}


# ---------------------------------------------------------------------------------------------- import jobs
def create_dataset_import_job(store: Store, p: dict) -> dict:
    dataset = store.get("dataset", p["datasetArn"])
    _unique(store, "datasetImportJob", p["jobName"], "dataset import job")
    _active(dataset, "dataset")
    location = (p.get("dataSource") or {}).get("dataLocation")
    if not location:
        raise InvalidInput("dataSource.dataLocation is required (s3://bucket/key.csv)")
    if not p.get("roleArn"):
        raise InvalidInput("roleArn is required: the role Amazon Personalize assumes to read the bucket")
    imports.check_role(store.account, p["roleArn"])
    running = [j for j in store.of_kind("datasetImportJob", datasetArn=dataset.arn)
               if j.current_status() in (PENDING, IN_PROGRESS)]
    if running:
        raise InUse(f"Dataset {dataset.arn} already has the import job {running[0].arn} in progress")
    arn = store.arn(f"dataset-import-job/{p['jobName']}")
    mode = p.get("importMode") or "FULL"
    shown = {"jobName": p["jobName"], "datasetImportJobArn": arn, "datasetArn": dataset.arn,
             "dataSource": {"dataLocation": location}, "roleArn": p["roleArn"], "importMode": mode,
             "publishAttributionMetricsToS3": bool(p.get("publishAttributionMetricsToS3", False))}
    job = store.add(Resource("datasetImportJob", arn, p["jobName"], shown, status=PENDING))
    threading.Thread(target=_run_import, args=(store, job, dataset, location, mode), daemon=True,
                     name=f"personalize-import-{p['jobName']}").start()
    return {"datasetImportJobArn": arn}


def _run_import(store: Store, job: Resource, dataset: Resource, location: str, mode: str) -> None:
    time.sleep(STEP_S)
    job.move(IN_PROGRESS)
    try:
        objects = imports.read_objects(store.account, location)
        rows = imports.parse_rows(objects, dataset.state["fields"], dataset.shown["datasetType"])
    except imports.ImportFailed as exc:
        job.move(FAILED, str(exc))
        return
    except Exception as exc:  # the job fails with a reason, never the emulator
        job.move(FAILED, f"The import failed: {exc}")
        return
    time.sleep(STEP_S)
    with store.lock:
        imports.merge(dataset.state, rows, dataset.shown["datasetType"], mode)
        dataset.updated = time.time()
    job.move(ACTIVE)


def describe_dataset_import_job(store: Store, p: dict) -> dict:
    return {"datasetImportJob": store.get("datasetImportJob", p["datasetImportJobArn"]).describe()}


def list_dataset_import_jobs(store: Store, p: dict) -> dict:
    rows = [_summary(r, "datasetImportJobArn", "jobName", "importMode", name_key="jobName")
            for r in store.of_kind("datasetImportJob", datasetArn=p.get("datasetArn"))]
    return page(rows, p, "datasetImportJobs")


def _summary(resource: Resource, *keys: str, name_key: str = "name") -> dict:
    doc = resource.describe()
    out = {name_key: resource.name, "status": doc["status"], "creationDateTime": doc["creationDateTime"],
           "lastUpdatedDateTime": doc["lastUpdatedDateTime"]}
    if "failureReason" in doc:
        out["failureReason"] = doc["failureReason"]
    out.update({k: doc[k] for k in keys if k in doc})
    return out

