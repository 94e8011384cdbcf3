"""The job's inputs, written by the machine that runs ``invoke train``: encoded users, items, weights, plan.

Encoders are fitted here, with the engine's own reader and :func:`recommender.training.fit.feature_space`
on the whole Users table, so the Spark artifact uses exactly the encoders the single-machine engine
would. The limit: the Users table (ids and metadata columns) must fit this machine's memory, about
400 bytes a user with six fields (reading 1.25M users peaked 450 MB above the start); the
interactions, which are what grows to billions of rows, never pass through it.

Written under ``folder`` (a local folder; the AWS target uploads it):

- ``users/``: USER_ID, FEATURES (the user's metadata feature indices, ``FeatureSpace.encode``)
- ``items/``: ITEM_ID, ITEM (index in the catalogue order the model serves)
- ``weights/``: S (items held, 0..n_items) and one column per weighting and coefficient kind, from
  ``Weighting.coefficients`` (so a new weighting needs no Spark change)
- ``plan.json``: what job.py reads (table locations, the event filter, the blocks, sample sizes)
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import scipy.sparse as sp

from recommender.data.dataset import EventFilter, check_filter, read_entities
from recommender.data.reader import DatasetError, Folder, header
from recommender.training.fit import Hyperparameters, feature_space, spec_for
from recommender.training.inputs import TrainingData
from recommender.training.space import FeatureSpace
from recommender.training.spark.job import column
from recommender.training.statistics import ITEM_KINDS, META_ITEM_KINDS, PAIR_KINDS, StatsSpec

TOP_PARTNERS_FROM = 100_000   # catalogues this large keep each item's strongest partners only
TOP_PARTNERS_FACTOR = 4       # ... this many times ``neighbours`` of them (the solve keeps ``neighbours``)


@dataclass
class Prepared:
    """What the solve needs besides the statistics, and where the job's inputs are."""

    catalogue: TrainingData      # items only (users empty): the model's catalogue and event filter
    space: FeatureSpace
    report: dict                 # the encoders' report for the manifest
    spec: StatsSpec
    plan: dict


def blocks() -> dict:
    """Which coefficient kinds each job table sums (the contract's table, recommender.training.statistics)."""
    return {"pairs": list(PAIR_KINDS), "items": list(ITEM_KINDS), "meta_items": list(META_ITEM_KINDS),
            "meta_meta": ["one"], "meta": ["one"]}


def interactions_table(folder: Folder, events: EventFilter) -> dict:
    """The Interactions table's location and format, checked as the engine's reader checks it."""
    table = folder.table("Interactions")
    names = header(table)
    for name in ("USER_ID", "ITEM_ID"):
        if name not in names:
            raise DatasetError(f"{table.name}, row 0 (header), column {name}: missing column; "
                               f"the header has {','.join(names)}")
    check_filter(events, names, table.name)
    return {"name": table.name, "path": table.path, "format": table.format, "columns": names}


def prepare(path, folder: Path, hp: Hyperparameters, events: EventFilter | None = None) -> Prepared:
    """Read Users and Items, fit the feature space, write the job's inputs into ``folder``.

    Raises
    ------
    DatasetError
        A table is missing or malformed (the message names file, row and column).
    """
    events = events or EventFilter()
    source = Folder(path)
    user_ids, user_fields, user_schema = read_entities(source, "Users", "USER_ID", numeric_arrays=True)
    item_ids, item_fields, item_schema = read_entities(source, "Items", "ITEM_ID", numeric_arrays=False)
    interactions = interactions_table(source, events)
    if len(item_ids) == 0:
        raise ValueError("the dataset has no items: nothing to train on")
    users = TrainingData(user_ids, user_fields, user_schema, item_ids, item_fields, item_schema,
                         sp.csr_matrix((len(user_ids), len(item_ids))), 0, events)
    space, report = feature_space(users, hp)
    features = space.encode(user_fields, len(user_ids))
    del users, user_fields
    spec = spec_for(len(item_ids), space.n_features, hp)
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    _write_users(folder / "users", user_ids, features)
    pq.write_table(pa.table({"ITEM_ID": pa.array(item_ids.tolist(), pa.string()),
                             "ITEM": pa.array(np.arange(len(item_ids)), pa.int32())}),
                   _part(folder / "items"))
    _write_weights(folder / "weights", spec)
    plan = {"interactions": interactions, "events": events.to_json(), "weightings": [w.key for w in spec.weightings],
            "blocks": blocks(), "reveal": spec.reveal, "sample_users": spec.sample_users,
            "validation_users": spec.validation_users, "keep_neighbours": None}
    if len(item_ids) >= TOP_PARTNERS_FROM:   # the sparse layout: one weighting
        plan["keep_neighbours"] = TOP_PARTNERS_FACTOR * hp.neighbours
        plan["score"] = {"cross": column(0, "xy"), "norm": column(0, "sq")}
    catalogue = TrainingData(np.zeros(0, dtype=str), {}, {}, item_ids, item_fields, item_schema,
                             sp.csr_matrix((0, len(item_ids))), 0, events)
    return Prepared(catalogue, space, report, spec, plan)


def locate(plan: dict, inputs: str, interactions: str, output: str) -> dict:
    """The plan with its tables' URIs filled in (local ``file://`` paths or ``s3://``)."""
    inputs = inputs.rstrip("/")
    return {**plan, "users": f"{inputs}/users", "items": f"{inputs}/items", "weights": f"{inputs}/weights",
            "interactions": {**plan["interactions"], "uri": interactions}, "output": output}


def write_plan(plan: dict, folder: Path) -> Path:
    path = Path(folder) / "plan.json"
    path.write_text(json.dumps(plan, indent=1))
    return path


def _part(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return folder / "part-0.parquet"


def _write_users(folder: Path, user_ids: np.ndarray, features: sp.csr_matrix) -> None:
    features = features.tocsr()
    features.sort_indices()
    lists = pa.ListArray.from_arrays(pa.array(features.indptr, pa.int32()), pa.array(features.indices, pa.int32()))
    pq.write_table(pa.table({"USER_ID": pa.array(user_ids.tolist(), pa.string()), "FEATURES": lists}),
                   _part(folder), row_group_size=1 << 20)


def _write_weights(folder: Path, spec: StatsSpec) -> None:
    s = np.arange(spec.n_items + 1)
    columns = {"S": pa.array(s, pa.int64())}
    for w, weighting in enumerate(spec.weightings):
        for kind, values in weighting.coefficients(s).items():
            columns[column(w, kind)] = pa.array(values, pa.float64())
    pq.write_table(pa.table(columns), _part(folder))
