"""Running the statistics job on EMR Serverless: the calls the AWS target makes, against moto's emulation
(moto records a run without running Spark, so these tests check what is sent and how states are followed)."""
from __future__ import annotations

import boto3
import pytest
from moto import mock_aws

from recommender.training.spark import emr


@pytest.fixture
def aws():
    with mock_aws():
        s3 = boto3.client("s3", region_name="us-east-1")
        s3.create_bucket(Bucket="work")
        client = boto3.client("emr-serverless", region_name="us-east-1")
        app = client.create_application(name="stats", releaseLabel="emr-7.5.0", type="SPARK")["applicationId"]
        yield s3, client, app


def test_a_run_uploads_its_job_and_inputs_and_starts_with_the_plan(aws, tmp_path):
    s3, client, app = aws
    (tmp_path / "users").mkdir()
    (tmp_path / "users" / "part-0.parquet").write_bytes(b"PAR1")
    (tmp_path / "plan.json").write_text("{}")
    run = emr.Run("work", "r1")
    sent = emr.upload_folder(s3, tmp_path, run.bucket, f"{run.prefix}/inputs")
    job_run = emr.start(client, s3, run, app, "arn:aws:iam::123456789012:role/job", emr.submit_parameters())
    keys = {o["Key"] for o in s3.list_objects_v2(Bucket="work")["Contents"]}
    assert keys == {"runs/r1/job.py", "runs/r1/inputs/plan.json", "runs/r1/inputs/users/part-0.parquet"}
    assert sent == 6
    driver = client.get_job_run(applicationId=app, jobRunId=job_run)["jobRun"]["jobDriver"]["sparkSubmit"]
    assert driver["entryPoint"] == "s3://work/runs/r1/job.py"
    assert driver["entryPointArguments"] == ["s3://work/runs/r1/inputs/plan.json"]
    assert "spark.dynamicAllocation.maxExecutors=16" in driver["sparkSubmitParameters"]


def test_following_a_cancelled_run_says_how_it_ended(aws):
    s3, client, app = aws
    run = emr.Run("work", "r2")
    job_run = emr.start(client, s3, run, app, "arn:aws:iam::123456789012:role/job", emr.submit_parameters())
    client.cancel_job_run(applicationId=app, jobRunId=job_run)
    seen = []
    with pytest.raises(emr.RunFailed, match=f"{job_run} ended CANCELLED"):
        emr.follow(client, app, job_run, lambda state, elapsed, _: seen.append(state), sleep=lambda s: None)
    assert seen == ["CANCELLED"]


def test_run_output_downloads_into_the_same_layout(aws, tmp_path):
    s3, _, _ = aws
    for key in ("runs/r3/output/items/part-0.parquet", "runs/r3/output/summary/part-0.txt", "runs/r4/output/x"):
        s3.put_object(Bucket="work", Key=key, Body=b"x")
    assert emr.download_folder(s3, "work", "runs/r3/output", tmp_path) == 2
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file()) == [
        "items/part-0.parquet", "summary/part-0.txt"]
