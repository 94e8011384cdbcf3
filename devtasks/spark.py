"""invoke train --engine spark: the statistics on Spark, locally or on EMR Serverless; then publish the model.

Without --target the model is only written to --out. ``--target local`` runs Spark in local mode and
uploads the model to the local cloud's models bucket; ``--target aws`` runs the statistics job on the
EMR Serverless application of terraform/modules/training (deployed with
``TF_VAR_training_spark=true invoke deploy --target aws``), solves here and uploads the model to
the stack's models bucket. ``invoke deploy`` afterwards restarts the functions on the new model.
"""
from __future__ import annotations

import tempfile
from pathlib import Path

from invoke import Exit

from devtasks.clients import client as stack_client
from devtasks.terraform import Stack, TerraformError

TARGETS = ("", "local", "aws")


def check(engine: str, target: str) -> None:
    if engine not in ("local", "spark"):
        raise Exit(f"unknown engine {engine!r}: choose local (one machine, the default) or spark")
    if target not in TARGETS:
        raise Exit(f"unknown target {target!r}: choose local or aws (or none to only write --out)")
    if target == "aws" and engine != "spark":
        raise Exit("--target aws trains on EMR Serverless: add --engine spark (or drop --target to train here)")
    if target:  # before training, not after: say at once what is missing
        _outputs(target)
        _endpoint(target)


def _outputs(target: str) -> dict:
    stack = Stack(target)
    try:
        outputs = stack.outputs() if stack.has_resources() else {}
    except TerraformError as exc:
        raise Exit(f"cannot read the {target} stack's outputs: {exc}")
    if not outputs:
        raise Exit(f"nothing is deployed on {target}: run `invoke deploy --target {target}` first")
    return outputs


def _endpoint(target: str) -> str | None:
    if target != "aws":
        import localcloud

        status = localcloud.status()
        if not status["running"]:
            raise Exit("the local cloud is not running: run `invoke deploy` first")
        return status["endpoint"]
    return None


def train_with_spark(data_dir: str, events, target: str, master: str, memory: str):
    """The model, its statistics computed by Spark here (local mode) or on EMR Serverless (aws)."""
    from py4j.protocol import Py4JError
    from pyspark.errors import PySparkException

    from recommender.training.spark.driver import train_spark
    from recommender.training.spark.job import JobError
    from recommender.training.spark.session import SparkUnavailable

    try:
        if target == "aws":
            return _train_on_emr(data_dir, events)
        return train_spark(data_dir, events=events, master=master, memory=memory)
    except SparkUnavailable as exc:
        raise Exit(f"cannot start Spark: {exc}")
    except JobError as exc:
        raise Exit(f"cannot train: {exc}")
    except (PySparkException, Py4JError) as exc:  # e.g. a malformed CSV row; Spark's own words, first line
        reason = next((line for line in str(exc).splitlines() if line.strip()), type(exc).__name__)
        raise Exit(f"the Spark job failed: {reason[:500]}; check the Interactions table (or --memory if it ran "
                   "out of memory)")


def _train_on_emr(data_dir: str, events):
    from botocore.exceptions import BotoCoreError, ClientError
    from rich.console import Console

    from recommender.training.fit import Hyperparameters
    from recommender.training.spark import emr
    from recommender.training.spark.driver import solve_statistics
    from recommender.training.spark.prepare import locate, prepare, write_plan

    outputs = _outputs("aws")
    training = outputs.get("training")
    if not training:
        raise Exit("the AWS stack has no Spark training application: deploy it with "
                   "`TF_VAR_training_spark=true invoke deploy --target aws` (add TF_VAR_training_data_buckets="
                   "'[\"BUCKET\"]' to let it read tables from your own bucket)")
    console, hp = Console(stderr=True), Hyperparameters()
    region = outputs.get("region") or "us-east-1"
    s3, client = stack_client("s3", region), stack_client("emr-serverless", region)
    run = emr.Run.new(training["bucket"])
    try:
        with tempfile.TemporaryDirectory(prefix="spark-emr-") as tmp:
            scratch = Path(tmp)
            with console.status("reading Users and Items, fitting the encoders"):
                prepared = prepare(data_dir, scratch / "inputs", hp, events)
            table = prepared.plan["interactions"]
            if data_dir.startswith("s3://"):
                interactions = f"s3://{table['path']}"
            else:
                with console.status(f"uploading {table['name']}"):
                    s3.upload_file(table["path"], run.bucket, f"{run.prefix}/data/{table['name']}")
                interactions = run.uri("data", table["name"])
            write_plan(locate(prepared.plan, run.uri("inputs"), interactions, run.uri("output")), scratch / "inputs")
            with console.status("uploading the job and its inputs"):
                sent = emr.upload_folder(s3, scratch / "inputs", run.bucket, f"{run.prefix}/inputs")
            console.print(f"uploaded {sent / 1e6:.1f} MB to {run.uri()}")
            job_run_id = emr.start(client, s3, run, training["application_id"], training["job_role_arn"],
                                   emr.submit_parameters())
            console.print(f"started job run {job_run_id} on application {training['application_id']}")
            last = [None]

            def on_state(state, elapsed, _):
                if state != last[0]:
                    console.print(f"  {elapsed:6.0f} s  {state}")
                    last[0] = state

            with console.status("the Spark job is running (state every 10 s)"):
                finished = emr.follow(client, training["application_id"], job_run_id, on_state)
            if emr.usage(finished):
                console.print(f"EMR Serverless billed {emr.usage(finished)}")
            if not emr.download_folder(s3, run.bucket, f"{run.prefix}/output", scratch / "output"):
                raise Exit(f"the job run succeeded but wrote nothing under {run.uri('output')}; see {run.uri('logs')}")
            with console.status("solving"):
                return solve_statistics(prepared, scratch / "output", hp)
    except emr.RunFailed as exc:
        raise Exit(f"{exc}; the driver's log is under {run.uri('logs')}/")
    except (BotoCoreError, ClientError) as exc:
        raise Exit(f"AWS refused a step of the Spark run ({exc}); check your credentials and the stack")


def publish(model_dir: Path, target: str) -> None:
    """Upload the saved model to the target stack's models bucket."""
    from devtasks import site

    outputs = _outputs(target)
    s3 = stack_client("s3", outputs.get("region") or "us-east-1", _endpoint(target))
    changes = site.sync(s3, Path(model_dir), outputs["models_bucket"], outputs["model_prefix"])
    print(f"uploaded {len(changes['uploaded'])} file(s) to s3://{outputs['models_bucket']}/{outputs['model_prefix']}; "
          f"`invoke deploy --target {target}` restarts the functions on it")
