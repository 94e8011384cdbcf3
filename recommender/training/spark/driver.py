"""Train with the statistics computed by Spark: prepare -> job -> assemble -> solve.

    train_spark(path)                     Spark in local mode (``local[2]``) on this machine
    solve_statistics(prepared, folder)    the solve, once a job's output is on local disk

The artifact equals the single-machine one on the same data (same encoders, same sums up to
floating-point order, same sample): only where the statistics are computed changes. In local mode
an ``s3://`` folder's Interactions table is copied to a temporary folder first (pyspark from PyPI
carries no S3 connector); on EMR Serverless the job reads ``s3://`` itself.
"""
from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path

import pyarrow.fs as pafs

from recommender.data.dataset import EventFilter
from recommender.data.reader import Folder
from recommender.serving.model import Model
from recommender.training.fit import Hyperparameters, solve
from recommender.training.spark.assemble import assemble, read_summary
from recommender.training.spark.prepare import Prepared, locate, prepare, write_plan


def solve_statistics(prepared: Prepared, output, hp: Hyperparameters, statistics_dir=None, timings=None) -> Model:
    """Assemble the job's output folder into statistics (saved into ``statistics_dir`` if given) and solve."""
    stats = assemble(output, prepared.spec)
    started = time.perf_counter()
    if stats.item_users.sum() == 0:
        kept = " after the event filter" if prepared.catalogue.events != EventFilter() else ""
        raise ValueError(f"the dataset has no interactions{kept}: nothing to train on")
    if statistics_dir is not None:
        stats.save(statistics_dir)
    prepared.catalogue.n_events = int(read_summary(output)["n_events"])
    model = solve(stats, prepared.space, prepared.catalogue, hp)
    model.manifest["fields"] = prepared.report
    model.manifest["statistics_engine"] = "spark"
    if timings is not None:
        timings["solve"] = time.perf_counter() - started
    return model


def local_interactions(path, table: dict, scratch: Path) -> str:
    """A ``file://`` URI of the Interactions table (copied from S3 first when the folder is remote)."""
    folder = Folder(path)
    if isinstance(folder.fs, pafs.LocalFileSystem):
        return Path(table["path"]).resolve().as_uri()
    copy = scratch / table["name"]
    with folder.fs.open_input_stream(table["path"]) as source, open(copy, "wb") as target:
        shutil.copyfileobj(source, target, length=16 << 20)
    return copy.resolve().as_uri()


def train_spark(path, hp: Hyperparameters | None = None, events: EventFilter | None = None,
                master: str = "local[2]", memory: str = "4g", statistics_dir=None, log=print, spark=None,
                timings: dict | None = None) -> Model:
    """Fit a Model from a Personalize folder with the statistics computed by Spark in local mode
    (``spark``: an existing session to use and leave running, else one is started and stopped;
    ``timings`` gets the seconds of "statistics" (prepare, Spark job, assemble) and "solve").

    Raises
    ------
    DatasetError
        A table is missing or malformed.
    recommender.training.spark.job.JobError
        Interactions name users or items that the Users or Items table lacks.
    recommender.training.spark.session.SparkUnavailable
        No Java 17+, or no pyspark.
    """
    from recommender.training.spark.job import run
    from recommender.training.spark.session import local_session

    hp = hp or Hyperparameters()
    log = log or (lambda message: None)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="spark-train-") as tmp:
        scratch = Path(tmp)
        log("reading Users and Items, fitting the encoders")
        prepared = prepare(path, scratch / "inputs", hp, events)
        plan = locate(prepared.plan, (scratch / "inputs").as_uri(),
                      local_interactions(path, prepared.plan["interactions"], scratch),
                      (scratch / "output").as_uri())
        write_plan(plan, scratch / "inputs")
        log(f"computing the statistics with Spark ({master})")
        session = spark or local_session(master, memory, str(scratch / "spark"))
        try:
            run(session, plan)
        finally:
            if spark is None:
                session.stop()
        log("solving")
        timings = {} if timings is None else timings
        model = solve_statistics(prepared, scratch / "output", hp, statistics_dir, timings)
        timings["statistics"] = time.perf_counter() - started - timings["solve"]
        return model
