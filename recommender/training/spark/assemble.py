"""The job's Parquet tables -> :class:`~recommender.training.statistics.Statistics` (the contract's format).

Pairs and feature pairs come as upper triangles (I <= J) and are mirrored here; with top partners
kept (large catalogues) the pairs are already one row per (item, partner) in both directions.
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pyarrow.dataset as ds
import scipy.sparse as sp

from recommender.training.spark.job import column
from recommender.training.statistics import ITEM_KINDS, META_ITEM_KINDS, PAIR_KINDS, Sample, Statistics, StatsSpec


def _table(folder: Path, name: str) -> dict[str, np.ndarray]:
    table = ds.dataset(str(folder / name), format="parquet").to_table()
    return {c: table.column(c) for c in table.column_names}


def _numbers(table: dict, name: str, dtype=np.float64) -> np.ndarray:
    return np.asarray(table[name].to_numpy(), dtype=dtype)


def _vector(table: dict, index: str, value: str, size: int) -> np.ndarray:
    out = np.zeros(size)
    np.add.at(out, _numbers(table, index, np.int64), _numbers(table, value))
    return out


def _matrix(table: dict, rows: str, cols: str, value: str, shape, symmetric: bool, dense: bool):
    r, c, v = _numbers(table, rows, np.int64), _numbers(table, cols, np.int64), _numbers(table, value)
    if symmetric:   # upper triangle -> both halves, the diagonal once
        off = r != c
        r, c, v = np.concatenate([r, c[off]]), np.concatenate([c, r[off]]), np.concatenate([v, v[off]])
    if dense:
        out = np.zeros(shape)
        out[r, c] = v
        return out
    m = sp.csr_matrix((v, (r, c)), shape=shape)
    m.sort_indices()
    return m


def _lists(table: dict, name: str, width: int) -> sp.csr_matrix:
    lists = table[name].combine_chunks()
    indptr = np.asarray(lists.offsets.to_numpy(), dtype=np.int64)
    indices = np.asarray(lists.values.to_numpy(), dtype=np.int64)
    indptr = indptr - indptr[0]
    m = sp.csr_matrix((np.ones(len(indices)), indices, indptr), shape=(len(indptr) - 1, width))
    m.sum_duplicates()
    m.data[:] = 1.0
    return m


def read_summary(folder: Path) -> dict:
    text = "".join(p.read_text() for p in sorted((Path(folder) / "summary").glob("part-*")))
    return json.loads(text)


def assemble(folder, spec: StatsSpec) -> Statistics:
    """Build the statistics from the job's output folder (local; the AWS target downloads it first)."""
    folder = Path(folder)
    summary = read_summary(folder)
    n, m = spec.n_items, spec.n_features
    items, pairs = _table(folder, "items"), _table(folder, "pairs")
    meta, meta_meta, meta_items = _table(folder, "meta"), _table(folder, "meta_meta"), _table(folder, "meta_items")
    mirrored = not summary.get("top_partners")
    moments = {}
    for w, weighting in enumerate(spec.weightings):
        key = weighting.key
        for kind in PAIR_KINDS:
            moments[f"aa/{key}/{kind}"] = _matrix(pairs, "I", "J", column(w, kind), (n, n), mirrored, spec.dense)
        for kind in ITEM_KINDS:
            moments[f"a/{key}/{kind}"] = _vector(items, "I", column(w, kind), n)
        for kind in META_ITEM_KINDS:
            moments[f"ma/{key}/{kind}"] = _matrix(meta_items, "F", "I", column(w, kind), (m, n), False, True)
        moments[f"mm/{key}/one"] = _matrix(meta_meta, "F", "G", column(w, "one"), (m, m), True, True)
        moments[f"m/{key}/one"] = _vector(meta, "F", column(w, "one"), m)
        moments[f"t/{key}/one"] = np.float64(summary[column(w, "one")])
    sample = _table(folder, "sample")
    ranks = _numbers(sample, "RANK", np.int64)
    order = np.argsort(ranks, kind="stable")
    sampled = Sample(ranks[order], _lists(sample, "ITEMS", n)[order], _lists(sample, "FEATURES", m)[order])
    return Statistics(spec, int(summary["n_users"]), int(summary["n_eligible"]), moments,
                      _vector(items, "I", "USERS", n), _vector(meta, "F", "USERS", m), sampled)
