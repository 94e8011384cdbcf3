"""The Amazon Personalize resources of a stack, found by name or created with boto3, and removed in order.

hashicorp/aws has no Personalize resources (provider issue #30060); Terraform owns the data
bucket, its policy and the service role (terraform/modules/personalize), this module the rest:
schemas from the Avro files beside the CSVs, dataset group, datasets, import jobs, solution
(``performAutoTraining`` off unless asked), solution version, filter, event tracker, campaign.
Every call is idempotent by name, every wait reports progress, a failure names the service's
``failureReason``.
"""
from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

KINDS = ("Interactions", "Users", "Items")
RECIPE = "arn:aws:personalize:::recipe/aws-user-personalization-v2"
#: The event type the recommend function records a visitor's chosen products with (lambdas/dal/personalize.py).
CHOSEN_EVENT = "chosen"
FILTER_EXPRESSION = (f'EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("{CHOSEN_EVENT}") | '
                     "EXCLUDE ItemID WHERE Items.CATEGORY NOT IN ($CATEGORY)")
TPS_HOUR_USD = 0.20  # us-east-1 list price of one provisioned TPS-hour (aws.amazon.com/personalize/pricing, 2026)


class PersonalizeSetupError(RuntimeError):
    """A Personalize step failed; the message says which, why (failureReason) and what to do."""


@dataclass(frozen=True)
class Names:
    """Every Personalize name of one stack, from its Terraform name prefix."""

    prefix: str

    @property
    def group(self) -> str:
        return self.prefix

    def schema(self, kind: str) -> str:
        return f"{self.prefix}-{kind.lower()}"

    def dataset(self, kind: str) -> str:
        return f"{self.prefix}-{kind.lower()}"

    @property
    def solution(self) -> str:
        return f"{self.prefix}-user-personalization"

    @property
    def campaign(self) -> str:
        return self.prefix

    @property
    def tracker(self) -> str:
        return f"{self.prefix}-events"

    @property
    def filter(self) -> str:
        return f"{self.prefix}-exclude-chosen"


Progress = Callable[[str], "object"]  # a context manager factory: with progress("what"): ...


def _all(pages, key: str) -> list[dict]:
    return [row for page in pages for row in page.get(key, [])]


def _find(client, lister: str, key: str, name: str, **params) -> dict | None:
    rows = _all(client.get_paginator(lister).paginate(**params), key)
    return next((row for row in rows if row.get("name") == name or row.get("jobName") == name), None)


class Resources:
    """Creates (or finds) and removes the Personalize resources of one stack.

    Parameters
    ----------
    client : callable
        ``service -> boto3 client`` (the local cloud's or AWS's).
    names : Names
        The stack's resource names.
    progress : callable
        ``title -> context manager`` shown while a step runs (deploy's step printer).
    poll_s : float
        Seconds between Describe calls while waiting (0.5 locally; 30 on AWS).
    say : callable
        Prints a line to the user (cost notices, what was removed).
    """

    def __init__(self, client, names: Names, progress: Progress, poll_s: float = 0.5, say=print,
                 timeout_s: float = 6 * 3600):
        self.pz = client("personalize")
        self.s3 = client("s3")
        self.names, self.progress, self.poll_s, self.say, self.timeout_s = names, progress, poll_s, say, timeout_s

    # ------------------------------------------------------------------------------------------ waiting
    def wait(self, describe, key: str, label: str, **arn) -> dict:
        """Poll ``describe`` until ACTIVE; CREATE FAILED raises with the service's failureReason."""
        started = time.monotonic()
        while True:
            doc = describe(**arn)[key]
            if doc["status"] == "ACTIVE":
                return doc
            if doc["status"] == "CREATE FAILED":
                raise PersonalizeSetupError(f"{label} failed: {doc.get('failureReason', 'no reason given')}")
            if time.monotonic() - started > self.timeout_s:
                raise PersonalizeSetupError(f"{label} is still {doc['status']} after {self.timeout_s / 3600:.0f} h; "
                                            "check it in the Personalize console and deploy again")
            time.sleep(self.poll_s)

    # ------------------------------------------------------------------------------------------ creating
    def ensure(self, data: Path, bucket: str, role_arn: str, on_aws: bool, auto_training: bool = False) -> dict:
        """Every resource, found or created; returns the ARNs the functions need and the names used."""
        tables = self._tables(data)
        with self.progress("Personalize: schemas and dataset group"):
            schemas = {kind: self._schema(kind, path) for kind, path in tables.items()}
            group = self._group()
        datasets = {}
        for kind in tables:
            with self.progress(f"Personalize: {kind} dataset, import of {tables[kind].name}"):
                datasets[kind] = self._dataset(kind, group, schemas[kind])
                self._import(kind, datasets[kind], tables[kind], bucket, role_arn)
        with self.progress("Personalize: solution and training (hours on AWS)"):
            version = self._solution_version(group, auto_training)
        with self.progress("Personalize: filter and event tracker"):
            rule = self._filter(group)
            tracking_id = self._tracker(group)
        with self.progress("Personalize: campaign"):
            campaign = self._campaign(version, on_aws)
        return {"dataset_group_arn": group, "campaign_arn": campaign, "tracking_id": tracking_id,
                "users_dataset_arn": datasets.get("Users", ""), "filter_arn": rule, "solution_version_arn": version}

    def _tables(self, data: Path) -> dict[str, Path]:
        found = {}
        for kind in KINDS:
            csv = data / f"{kind}.csv"
            if not csv.exists():
                if (data / f"{kind}.csv.gz").exists():
                    raise PersonalizeSetupError(f"{data / (kind + '.csv.gz')}: Personalize imports plain CSV; "
                                                f"gunzip it first")
                if kind == "Interactions":
                    raise PersonalizeSetupError(f"{csv} not found: Personalize needs an interactions CSV")
                continue
            if not (data / f"{kind}.schema.json").exists():
                raise PersonalizeSetupError(f"{data / (kind + '.schema.json')} not found: put the Avro schema of "
                                            f"{csv.name} beside it (`invoke data` writes them)")
            found[kind] = csv
        if "Users" not in found:
            raise PersonalizeSetupError(f"{data / 'Users.csv'} not found: the product sends visitors' details "
                                        "with PutUsers, which needs a Users dataset")
        return found

    def _schema(self, kind: str, csv: Path) -> str:
        name = self.names.schema(kind)
        found = _find(self.pz, "list_schemas", "schemas", name)
        if found:
            return found["schemaArn"]
        text = (csv.parent / f"{kind}.schema.json").read_text()
        return self.pz.create_schema(name=name, schema=text)["schemaArn"]

    def _group(self) -> str:
        found = _find(self.pz, "list_dataset_groups", "datasetGroups", self.names.group)
        arn = (found or self.pz.create_dataset_group(name=self.names.group))["datasetGroupArn"]
        self.wait(self.pz.describe_dataset_group, "datasetGroup", "the dataset group", datasetGroupArn=arn)
        return arn

    def _dataset(self, kind: str, group: str, schema: str) -> str:
        found = _find(self.pz, "list_datasets", "datasets", self.names.dataset(kind), datasetGroupArn=group)
        arn = found["datasetArn"] if found else self.pz.create_dataset(
            name=self.names.dataset(kind), datasetType=kind, datasetGroupArn=group, schemaArn=schema)["datasetArn"]
        self.wait(self.pz.describe_dataset, "dataset", f"the {kind} dataset", datasetArn=arn)
        return arn

    def _import(self, kind: str, dataset: str, csv: Path, bucket: str, role_arn: str) -> None:
        data = csv.read_bytes()
        job_name = f"{self.names.dataset(kind)}-{hashlib.sha256(data).hexdigest()[:12]}"
        found = _find(self.pz, "list_dataset_import_jobs", "datasetImportJobs", job_name, datasetArn=dataset)
        if found is None:
            key = f"import/{csv.name}"
            self.s3.put_object(Bucket=bucket, Key=key, Body=data)
            arn = self.pz.create_dataset_import_job(jobName=job_name, datasetArn=dataset, roleArn=role_arn,
                                                    dataSource={"dataLocation": f"s3://{bucket}/{key}"},
                                                    importMode="FULL")["datasetImportJobArn"]
        else:
            arn = found["datasetImportJobArn"]
        self.wait(self.pz.describe_dataset_import_job, "datasetImportJob", f"importing {csv.name}",
                  datasetImportJobArn=arn)

    def _solution_version(self, group: str, auto_training: bool) -> str:
        found = _find(self.pz, "list_solutions", "solutions", self.names.solution, datasetGroupArn=group)
        solution = found["solutionArn"] if found else self.pz.create_solution(
            name=self.names.solution, datasetGroupArn=group, recipeArn=RECIPE,
            performAutoTraining=auto_training)["solutionArn"]
        self.wait(self.pz.describe_solution, "solution", "the solution", solutionArn=solution)
        versions = _all(self.pz.get_paginator("list_solution_versions").paginate(solutionArn=solution),
                        "solutionVersions")
        usable = [v for v in versions if v["status"] in ("ACTIVE", "CREATE PENDING", "CREATE IN_PROGRESS")]
        arn = usable[0]["solutionVersionArn"] if usable else self.pz.create_solution_version(
            solutionArn=solution, trainingMode="FULL")["solutionVersionArn"]
        self.wait(self.pz.describe_solution_version, "solutionVersion", "training the solution version",
                  solutionVersionArn=arn)
        return arn

    def _filter(self, group: str) -> str:
        found = _find(self.pz, "list_filters", "Filters", self.names.filter, datasetGroupArn=group)
        arn = found["filterArn"] if found else self.pz.create_filter(
            name=self.names.filter, datasetGroupArn=group, filterExpression=FILTER_EXPRESSION)["filterArn"]
        self.wait(self.pz.describe_filter, "filter", "the filter", filterArn=arn)
        return arn

    def _tracker(self, group: str) -> str:
        found = _find(self.pz, "list_event_trackers", "eventTrackers", self.names.tracker, datasetGroupArn=group)
        arn = found["eventTrackerArn"] if found else self.pz.create_event_tracker(
            name=self.names.tracker, datasetGroupArn=group)["eventTrackerArn"]
        return self.wait(self.pz.describe_event_tracker, "eventTracker", "the event tracker",
                         eventTrackerArn=arn)["trackingId"]

    def _campaign(self, version: str, on_aws: bool) -> str:
        found = _find(self.pz, "list_campaigns", "campaigns", self.names.campaign)
        if found is None:
            if on_aws:
                self.say(cost_notice(1))
            arn = self.pz.create_campaign(name=self.names.campaign, solutionVersionArn=version,
                                          minProvisionedTPS=1)["campaignArn"]
        else:
            arn = found["campaignArn"]
        self.wait(self.pz.describe_campaign, "campaign", "the campaign", campaignArn=arn)
        return arn

    # ------------------------------------------------------------------------------------------ removing
    def remove(self) -> list[str]:
        """Delete every resource of these names in the service's order; returns what was removed."""
        removed: list[str] = []
        group = _find(self.pz, "list_dataset_groups", "datasetGroups", self.names.group)
        arn = group["datasetGroupArn"] if group else None
        campaign = _find(self.pz, "list_campaigns", "campaigns", self.names.campaign)
        if campaign:
            self._delete("campaign", self.pz.delete_campaign, self.pz.describe_campaign,
                         campaignArn=campaign["campaignArn"])
            removed.append(f"campaign {self.names.campaign}")
        if arn:
            trackers = self.pz.get_paginator("list_event_trackers").paginate(datasetGroupArn=arn)
            for row in _all(trackers, "eventTrackers"):
                self._delete("event tracker", self.pz.delete_event_tracker, self.pz.describe_event_tracker,
                             eventTrackerArn=row["eventTrackerArn"])
                removed.append(f"event tracker {row['name']}")
            for row in _all(self.pz.get_paginator("list_filters").paginate(datasetGroupArn=arn), "Filters"):
                self._delete("filter", self.pz.delete_filter, self.pz.describe_filter, filterArn=row["filterArn"])
                removed.append(f"filter {row['name']}")
            for row in _all(self.pz.get_paginator("list_solutions").paginate(datasetGroupArn=arn), "solutions"):
                self._delete("solution", self.pz.delete_solution, self.pz.describe_solution,
                             solutionArn=row["solutionArn"])
                removed.append(f"solution {row['name']} (and its versions)")
            for row in _all(self.pz.get_paginator("list_datasets").paginate(datasetGroupArn=arn), "datasets"):
                self._delete("dataset", self.pz.delete_dataset, self.pz.describe_dataset, datasetArn=row["datasetArn"])
                removed.append(f"dataset {row['name']}")
            self._delete("dataset group", self.pz.delete_dataset_group, self.pz.describe_dataset_group,
                         datasetGroupArn=arn)
            removed.append(f"dataset group {self.names.group}")
        for kind in KINDS:
            schema = _find(self.pz, "list_schemas", "schemas", self.names.schema(kind))
            if schema:
                self.pz.delete_schema(schemaArn=schema["schemaArn"])
                removed.append(f"schema {self.names.schema(kind)}")
        return removed

    def _delete(self, label: str, delete, describe, **arn) -> None:
        """Delete, then wait until Describe no longer finds it (deletions are asynchronous on AWS)."""
        with self.progress(f"Personalize: delete the {label} {next(iter(arn.values())).rsplit('/', 1)[-1]}"):
            try:
                delete(**arn)
            except self.pz.exceptions.ResourceNotFoundException:
                return
            started = time.monotonic()
            while time.monotonic() - started < self.timeout_s:
                try:
                    describe(**arn)
                except self.pz.exceptions.ResourceNotFoundException:
                    return
                time.sleep(self.poll_s)
            raise PersonalizeSetupError(f"the {label} {arn} is still being deleted; run destroy again later")


def cost_notice(tps: int) -> str:
    """What a campaign costs while it exists, and how to remove it."""
    hourly = TPS_HOUR_USD * tps
    return (f"A Personalize campaign bills for as long as it exists, at least its minProvisionedTPS ({tps}): "
            f"about ${hourly:.2f} an hour, ${hourly * 730:.0f} a month (us-east-1 list price, "
            f"${TPS_HOUR_USD:.2f} per TPS-hour; check aws.amazon.com/personalize/pricing). Remove it with "
            "`invoke destroy --target aws` (everything) or `invoke personalize.remove --target aws` "
            "(Personalize only).")
