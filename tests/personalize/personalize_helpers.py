"""Helpers of the Personalize suites: the local cloud handle, a tiny dataset, resources made and waited for."""
from __future__ import annotations

import json
import random
import time
from dataclasses import dataclass, field

import localcloud

ITEMS = [f"item{k:02d}" for k in range(20)]
CATEGORY = {item: ("Cards" if k % 2 else "Loans") for k, item in enumerate(ITEMS)}
USERS = 200
PER_USER = 6
INTERACTIONS_SCHEMA = [{"name": "USER_ID", "type": "string"}, {"name": "ITEM_ID", "type": "string"},
                       {"name": "TIMESTAMP", "type": "long"}, {"name": "EVENT_TYPE", "type": "string"}]
USERS_SCHEMA = [{"name": "USER_ID", "type": "string"}, {"name": "AGE", "type": "int"},
                {"name": "SEX", "type": "string", "categorical": True}]
ITEMS_SCHEMA = [{"name": "ITEM_ID", "type": "string"}, {"name": "CATEGORY", "type": "string", "categorical": True},
                {"name": "NAME", "type": "string"}]
BUCKET_POLICY = {"Version": "2012-10-17", "Statement": [{
    "Effect": "Allow", "Principal": {"Service": "personalize.amazonaws.com"},
    "Action": ["s3:GetObject", "s3:ListBucket"], "Resource": ["arn:aws:s3:::{b}", "arn:aws:s3:::{b}/*"]}]}


@dataclass
class Cloud:
    endpoint: str

    def client(self, service: str, **config):
        return localcloud.client(service, self.endpoint, retries={"total_max_attempts": 1}, **config)


def csv_files(seed: int = 0) -> dict[str, str]:
    """Interactions (young users hold the first items, older ones the last), users, items."""
    rng = random.Random(seed)
    inter, users = ["USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE"], ["USER_ID,AGE,SEX"]
    for u in range(USERS):
        age = 20 + (u * 7) % 50
        users.append(f"u{u:03d},{age},{'F' if u % 2 else 'M'}")
        pool = ITEMS[:12] if age < 45 else ITEMS[8:]
        for n, item in enumerate(rng.sample(pool, PER_USER)):
            inter.append(f"u{u:03d},{item},{1_700_000_000 + u * 10 + n},hold")
    items = ["ITEM_ID,CATEGORY,NAME"] + [f"{i},{CATEGORY[i]},Product {i[-2:]}" for i in ITEMS]
    return {"Interactions": "\n".join(inter) + "\n", "Users": "\n".join(users) + "\n",
            "Items": "\n".join(items) + "\n"}


def wait(describe, key: str, timeout: float = 120.0, **arn) -> dict:
    """Poll a Describe call until ACTIVE or CREATE FAILED; returns the resource and the statuses seen."""
    seen, deadline = [], time.monotonic() + timeout
    while time.monotonic() < deadline:
        doc = describe(**arn)[key]
        if not seen or seen[-1] != doc["status"]:
            seen.append(doc["status"])
        if doc["status"] in ("ACTIVE", "CREATE FAILED"):
            doc["seen"] = seen
            return doc
        time.sleep(0.1)
    raise AssertionError(f"{key} stayed {seen[-1]} for {timeout} s")


@dataclass
class Group:
    """A dataset group with its three datasets imported (and what it took to build it)."""

    name: str
    arn: str
    datasets: dict[str, str]
    schemas: dict[str, str]
    role: str
    bucket: str
    statuses: dict[str, list] = field(default_factory=dict)


def make_group(cloud: Cloud, name: str, files: dict[str, str] | None = None, policy: bool = True) -> Group:
    """Bucket, role, schemas, dataset group, datasets and FULL imports, waiting for each."""
    pz, s3, iam = cloud.client("personalize"), cloud.client("s3"), cloud.client("iam")
    bucket = f"{name}-data"
    s3.create_bucket(Bucket=bucket)
    if policy:
        s3.put_bucket_policy(Bucket=bucket, Policy=json.dumps(BUCKET_POLICY).replace("{b}", bucket))
    role = iam.create_role(RoleName=f"{name}-personalize", AssumeRolePolicyDocument="{}")["Role"]["Arn"]
    group_arn = pz.create_dataset_group(name=name)["datasetGroupArn"]
    statuses = {"datasetGroup": wait(pz.describe_dataset_group, "datasetGroup", datasetGroupArn=group_arn)["seen"]}
    group = Group(name, group_arn, {}, {}, role, bucket, statuses)
    for kind, fields in (("Interactions", INTERACTIONS_SCHEMA), ("Users", USERS_SCHEMA), ("Items", ITEMS_SCHEMA)):
        schema = json.dumps({"type": "record", "name": kind, "namespace": "com.amazonaws.personalize.schema",
                             "fields": fields, "version": "1.0"})
        group.schemas[kind] = pz.create_schema(name=f"{name}-{kind.lower()}", schema=schema)["schemaArn"]
        arn = pz.create_dataset(name=f"{name}-{kind.lower()}", datasetType=kind, datasetGroupArn=group_arn,
                                schemaArn=group.schemas[kind])["datasetArn"]
        wait(pz.describe_dataset, "dataset", datasetArn=arn)
        group.datasets[kind] = arn
        s3.put_object(Bucket=bucket, Key=f"{kind}.csv", Body=(files or csv_files())[kind].encode())
        job = pz.create_dataset_import_job(jobName=f"{name}-{kind.lower()}", datasetArn=arn, roleArn=role,
                                           dataSource={"dataLocation": f"s3://{bucket}/{kind}.csv"})
        group.statuses[f"import {kind}"] = wait(pz.describe_dataset_import_job, "datasetImportJob",
                                                datasetImportJobArn=job["datasetImportJobArn"])["seen"]
    return group


def make_campaign(cloud: Cloud, group: Group, recipe: str, name: str, metadata: bool = False) -> str:
    pz = cloud.client("personalize")
    solution = pz.create_solution(name=name, datasetGroupArn=group.arn, performAutoTraining=False,
                                  recipeArn=f"arn:aws:personalize:::recipe/{recipe}")["solutionArn"]
    wait(pz.describe_solution, "solution", solutionArn=solution)
    version = pz.create_solution_version(solutionArn=solution)["solutionVersionArn"]
    trained = wait(pz.describe_solution_version, "solutionVersion", solutionVersionArn=version)
    assert trained["status"] == "ACTIVE", trained.get("failureReason")
    campaign = pz.create_campaign(name=name, solutionVersionArn=version, minProvisionedTPS=1,
                                  campaignConfig={"enableMetadataWithRecommendations": metadata})["campaignArn"]
    wait(pz.describe_campaign, "campaign", campaignArn=campaign)
    return campaign
