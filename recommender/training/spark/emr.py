"""Run the statistics job on EMR Serverless: upload, start, follow, fetch.

The application, work bucket and job role come from Terraform (terraform/modules/training). A run
lives under ``s3://<work bucket>/runs/<run id>/``: ``job.py`` (the entry point: pyspark and the
standard library only, so the stock EMR image runs it with nothing to install), ``inputs/`` (what
prepare.py wrote: encoded users, items, weights, ``plan.json``), ``data/`` (the Interactions table
when it came from a local folder), ``output/`` (the statistics tables) and ``logs/``.
"""
from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from recommender.training.spark import job as job_module

DONE = ("SUCCESS", "FAILED", "CANCELLED")


class RunFailed(RuntimeError):
    """The job run ended in FAILED or CANCELLED; the message carries EMR's reason and the logs' place."""


@dataclass
class Run:
    """One job run's places in the work bucket."""

    bucket: str
    run_id: str

    @property
    def prefix(self) -> str:
        return f"runs/{self.run_id}"

    def uri(self, *parts: str) -> str:
        return "/".join([f"s3://{self.bucket}", self.prefix, *parts])

    @classmethod
    def new(cls, bucket: str) -> "Run":
        return cls(bucket, time.strftime("%Y%m%d-%H%M%S") + "-" + uuid.uuid4().hex[:6])


def upload_folder(s3, folder: Path, bucket: str, prefix: str) -> int:
    """Upload every file under ``folder`` to ``s3://bucket/prefix/...``; returns the bytes sent."""
    sent = 0
    for path in sorted(p for p in Path(folder).rglob("*") if p.is_file()):
        s3.upload_file(str(path), bucket, f"{prefix}/{path.relative_to(folder).as_posix()}")
        sent += path.stat().st_size
    return sent


def download_folder(s3, bucket: str, prefix: str, folder: Path) -> int:
    """Download every object under ``s3://bucket/prefix/`` into ``folder``; returns how many."""
    count = 0
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix + "/"):
        for obj in page.get("Contents", []):
            target = Path(folder) / obj["Key"][len(prefix) + 1:]
            target.parent.mkdir(parents=True, exist_ok=True)
            s3.download_file(bucket, obj["Key"], str(target))
            count += 1
    return count


def submit_parameters(executor_cores: int = 4, executor_memory_gb: int = 14, max_executors: int = 16) -> str:
    """spark-submit settings of a run: worker size and the dynamic-allocation ceiling."""
    return " ".join([f"--conf spark.executor.cores={executor_cores}",
                     f"--conf spark.executor.memory={executor_memory_gb}g",
                     "--conf spark.driver.cores=4", "--conf spark.driver.memory=14g",
                     f"--conf spark.dynamicAllocation.maxExecutors={max_executors}",
                     "--conf spark.sql.adaptive.enabled=true"])


def start(emr, s3, run: Run, application_id: str, role_arn: str, parameters: str) -> str:
    """Upload job.py and start the run (inputs must be uploaded); returns the job run id."""
    s3.upload_file(job_module.__file__, run.bucket, f"{run.prefix}/job.py")
    driver = {"entryPoint": run.uri("job.py"), "entryPointArguments": [run.uri("inputs", "plan.json")]}
    if parameters:
        driver["sparkSubmitParameters"] = parameters
    started = emr.start_job_run(
        applicationId=application_id, executionRoleArn=role_arn, name=f"statistics-{run.run_id}",
        clientToken=run.run_id,
        jobDriver={"sparkSubmit": driver},
        configurationOverrides={"monitoringConfiguration": {
            "s3MonitoringConfiguration": {"logUri": run.uri("logs") + "/"}}})
    return started["jobRunId"]


def follow(emr, application_id: str, job_run_id: str, on_state, poll_s: float = 10.0, sleep=time.sleep) -> dict:
    """Poll the run until it ends, calling ``on_state(state, elapsed seconds, job run)`` on each poll.

    Raises
    ------
    RunFailed
        The run ended FAILED or CANCELLED.
    """
    started = time.monotonic()
    while True:
        run = emr.get_job_run(applicationId=application_id, jobRunId=job_run_id)["jobRun"]
        on_state(run["state"], time.monotonic() - started, run)
        if run["state"] in DONE:
            break
        sleep(poll_s)
    if run["state"] != "SUCCESS":
        raise RunFailed(f"the Spark job run {job_run_id} ended {run['state']}: {run.get('stateDetails', 'no reason')}")
    return run


def usage(run: dict) -> str:
    """What the run used, as EMR reports it (billed vCPU-hours, memory GB-hours), when it says."""
    used = run.get("billedResourceUtilization") or run.get("totalResourceUtilization") or {}
    if not used:
        return ""
    return (f"{used.get('vCPUHour', 0):.2f} vCPU-hours, {used.get('memoryGBHour', 0):.1f} GB-hours of memory, "
            f"{used.get('storageGBHour', 0):.1f} GB-hours of storage")
