"""The EMR Serverless module: created only when asked, exact-ARN IAM, and what the AWS target would plan."""
from __future__ import annotations

import json

import pytest
from tf_offline import resources

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def training_plan(workdir):
    planned = workdir.plan("target=aws", "training_spark=true", 'training_data_buckets=["acme-personalize"]')
    assert planned.returncode == 0, planned.stdout + planned.stderr
    shown = workdir.run("show", "-json", "plan.bin")
    assert shown.returncode == 0, shown.stderr
    return json.loads(shown.stdout)


def training(plan, kind):
    return [r for r in resources(plan) if r["address"].startswith("module.training[0]")
            and r["type"] == kind]


def test_spark_application_stops_when_idle_and_has_a_capacity_cap(training_plan):
    [app] = training(training_plan, "aws_emrserverless_application")
    values = app["values"]
    assert values["type"] == "spark" and values["release_label"].startswith("emr-7.")
    assert values["auto_stop_configuration"][0] == {"enabled": True, "idle_timeout_minutes": 15}
    assert values["maximum_capacity"][0]["cpu"] == "64 vCPU"


def test_job_role_reads_the_data_bucket_and_writes_only_its_runs(training_plan):
    [assume] = [d for d in training(training_plan, "aws_iam_policy_document") if d["name"] == "assume"]
    [trust] = assume["values"]["statement"]
    assert trust["principals"] == [{"identifiers": ["emr-serverless.amazonaws.com"], "type": "Service"}]
    [policy] = [d for d in training(training_plan, "aws_iam_policy_document") if d["name"] == "job"]
    statements = {s["sid"]: s for s in policy["values"]["statement"]}
    assert statements["ReadPersonalizeTables"]["resources"] == ["arn:aws:s3:::acme-personalize/*"]
    assert statements["ReadPersonalizeTables"]["actions"] == ["s3:GetObject"]
    assert statements["ListPersonalizeTables"]["resources"] == ["arn:aws:s3:::acme-personalize"]
    assert set(statements["ReadWriteRuns"]["actions"]) == {"s3:GetObject", "s3:PutObject", "s3:DeleteObject"}
    for statement in statements.values():
        assert all("*" not in action for action in statement["actions"])
        assert all(r is None or r.startswith("arn:aws:s3:::") for r in statement["resources"])
    [block] = training(training_plan, "aws_s3_bucket_public_access_block")
    assert all(block["values"][k] for k in ("block_public_acls", "block_public_policy", "ignore_public_acls",
                                            "restrict_public_buckets"))


def test_a_bucket_given_as_a_uri_is_refused_with_what_to_write(workdir):
    planned = workdir.plan("target=aws", "training_spark=true", 'training_data_buckets=["s3://acme/data"]')
    text = " ".join((planned.stdout + planned.stderr).split())
    assert planned.returncode != 0 and "Set data_buckets to S3 bucket names (no s3:// and no path)" in text
