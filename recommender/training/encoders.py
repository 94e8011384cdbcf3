"""Fitting the metadata encoders (recommender.serving.features) from training users.

Numeric fields are cut at quantiles. Categorical fields keep their values with enough users
(``min_count``), most common first, within a feature budget shared by all fields: fields with few
values keep them all and the rest goes to the fields with many (a postal code, a city). Code-like
fields (postal codes, product codes) also get a feature per prefix with enough users, at every
level ("55414" turns on "5…", "55…", "554…"), so rare and new codes still say their area; other rare
values count as missing, like a value never seen in training. Crosses of two single-valued fields are candidates only while their size
fits ``cross_size`` and all of them together ``cross_budget``; validation then decides.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace

import numpy as np

from recommender.serving.features import MULTI_SEPARATOR, Cross, FieldEncoder

CODE_LIKE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9\-]{2,}$")


@dataclass(frozen=True)
class Budget:
    """Feature limits: single fields together (``features``), each cross, all crosses together."""

    features: int = 512
    min_count: int = 10
    cross_size: int = 256
    cross_budget: int = 1024


ITEM_TEXT_COLUMNS = ("NAME", "TITLE", "PRODUCT_NAME", "ITEM_NAME", "DESCRIPTION")


def build_item_encoders(item_fields: dict, item_schema: dict, n_buckets: int = 8,
                        budget: Budget | None = None) -> list[FieldEncoder]:
    """Encoders for the Items table's metadata (genres, category, year...): values shared by at least
    ``budget.min_count`` items; names and descriptions are left out."""
    budget = budget or Budget(features=64, min_count=2)
    fields, schema = {}, {}
    for name, spec in item_schema.items():
        if name in ITEM_TEXT_COLUMNS or (spec.kind == "categorical" and spec.values is None):
            continue
        column = item_fields[name]
        if spec.kind == "numeric":
            text = np.asarray(column, dtype=object).astype(str)
            column = np.array([float(v) if v.strip() not in ("", "nan") else np.nan for v in text.tolist()])
        fields[name], schema[name] = column, spec
    encoders, _ = build_encoders(fields, schema, n_buckets, budget)
    out, offset = [], 0
    for enc in encoders:
        if enc.size:
            out.append(replace(enc, offset=offset))
            offset += enc.size
    return out


def value_counts(column, multi: bool) -> tuple[np.ndarray, np.ndarray]:
    """Distinct non-empty values of a categorical column and how many users have each."""
    text = np.asarray(column, dtype=object).astype(str)
    uniques, counts = np.unique(text, return_counts=True)
    if multi:
        tally: dict[str, int] = {}
        for u, c in zip(uniques.tolist(), counts.tolist()):
            for atom in {a.strip() for a in u.split(MULTI_SEPARATOR)}:
                tally[atom] = tally.get(atom, 0) + c
        uniques, counts = np.array(list(tally), dtype=object), np.array(list(tally.values()), dtype=np.int64)
    keep = ~np.isin(uniques, ["", "nan", "None"])
    return uniques[keep], counts[keep]


def build_encoders(user_fields: dict, user_schema: dict, n_buckets: int = 8,
                   budget: Budget | None = None) -> tuple[list[FieldEncoder], dict]:
    """Fit one encoder per usable user field; returns (encoders, a report for the manifest).

    Parameters
    ----------
    user_fields : dict[str, ndarray]
        Training users' metadata columns (float64 numeric, object str categorical).
    user_schema : dict[str, FieldSpec]
        Fields with ``values is None`` (free text) are left out.
    n_buckets : int
        Quantile buckets per numeric field (fewer when values repeat).
    budget : Budget
    """
    budget = budget or Budget()
    plans, report = [], {}
    for name, spec in user_schema.items():
        if spec.kind == "categorical" and spec.values is None:
            continue
        if spec.kind == "numeric":
            plans.append((name, spec, None))
        else:
            values, counts = value_counts(user_fields[name], spec.multi)
            plans.append((name, spec, (values, counts)))
    fixed = sum(n_buckets for _, s, c in plans if c is None)
    caps = _share(budget.features - fixed, [len(c[0]) for _, _, c in plans if c is not None])
    encoders, offset, cap_iter = [], 0, iter(caps)
    for name, spec, counted in plans:
        if counted is None:
            enc = _numeric(name, spec, user_fields[name], offset, n_buckets)
            report[name] = {"kind": "numeric", "buckets": enc.size}
        else:
            enc, report[name] = _categorical(name, spec, *counted, offset, next(cap_iter), budget.min_count)
        encoders.append(enc)
        offset += enc.size
    return encoders, report


def _share(total: int, wants: list[int]) -> list[int]:
    """Split ``total`` features among fields wanting ``wants``: small fields get all they want,
    the rest is split evenly among the others (at least 2 each)."""
    caps = [0] * len(wants)
    left, open_ = max(total, 2 * len(wants)), sorted(range(len(wants)), key=lambda i: wants[i])
    while open_:
        even = left // len(open_)
        i = open_[0]
        if wants[i] <= even:
            caps[i] = wants[i]
            left -= wants[i]
            open_.pop(0)
        else:
            for j in open_:
                caps[j] = max(even, 2)
            break
    return caps


def _numeric(name, spec, column, offset, n_buckets) -> FieldEncoder:
    x = np.asarray(column, dtype=float)
    x = x[np.isfinite(x)]
    qs = np.quantile(x, np.linspace(0, 1, n_buckets + 1)[1:-1]) if len(x) else np.array([])
    if spec.integer:
        qs = np.ceil(qs)
    lo = spec.minimum if spec.minimum is not None else (float(x.min()) if len(x) else None)
    hi = spec.maximum if spec.maximum is not None else (float(x.max()) if len(x) else None)
    edges = sorted({float(_nice(q)) for q in qs if (lo is None or q > lo) and (hi is None or q <= hi)})
    return FieldEncoder(name, "numeric", offset, edges=tuple(edges), minimum=lo, maximum=hi,
                        integer=bool(spec.integer), description=spec.description)


def _nice(q: float) -> float:
    """Round a bucket edge to two significant figures so labels read well (34.7 -> 35, 41873 -> 42000)."""
    if q == 0:
        return 0.0
    digits = 1 - int(math.floor(math.log10(abs(q))))
    return float(round(q, digits))


def _categorical(name, spec, values, counts, offset, cap, min_count):
    order = np.lexsort((values.astype(str), -counts))
    values, counts = values[order], counts[order]
    common = counts >= min_count
    kept = [str(v) for v in values[common][:cap]]
    rare = counts[len(kept):]
    prefixes = []
    if len(rare) and np.mean([bool(CODE_LIKE.match(str(v))) for v in values]) >= 0.9:
        prefixes = _prefix_levels([str(v) for v in values], counts, min_count, cap - len(kept))
    enc = FieldEncoder(name, "categorical", offset, values=tuple(sorted(kept)), prefixes=tuple(sorted(prefixes)),
                       multi=bool(spec.multi), description=spec.description)
    said = sum(int(c) for v, c in zip(values[len(kept):].tolist(), rare.tolist()) if enc.local_indices(str(v)))
    report = {"kind": "categorical", "distinct": int(len(values)), "kept": len(kept), "prefixes": len(prefixes),
              "min_count": int(min_count), "cap": int(cap), "multi": bool(spec.multi),
              "users_pooled_by_prefix": said, "users_missing_as_rare": int(rare.sum()) - said}
    return enc, report


def _prefix_levels(values: list[str], counts: np.ndarray, min_count: int, room: int) -> list[str]:
    """Prefixes shared by at least ``min_count`` users, coarsest first: "55…", then "554…", ...

    Every user gets each of their code's prefixes that is kept, so a code seen rarely or never still
    says its area at every level that has data."""
    if room <= 0:
        return []
    support: dict[str, int] = {}
    for v, c in zip(values, counts.tolist()):
        for length in range(1, len(v)):
            support[v[:length]] = support.get(v[:length], 0) + c
    chosen = [p for p, c in support.items() if c >= min_count]
    chosen.sort(key=lambda p: (len(p), -support[p], p))
    return chosen[:room]


def build_crosses(encoders: list[FieldEncoder], offset: int, budget: Budget | None = None) -> list[Cross]:
    """Pairs of single-valued fields whose cross fits the budget, smallest first, numbered from ``offset``."""
    budget = budget or Budget()
    pairs = [(encoders[i].size * encoders[j].size, i, j) for i in range(len(encoders))
             for j in range(i + 1, len(encoders))
             if encoders[i].single and encoders[j].single
             and encoders[i].size * encoders[j].size <= budget.cross_size]
    crosses, used = [], 0
    for size, i, j in sorted(pairs):
        if used + size > budget.cross_budget:
            break
        crosses.append((i, j, size))
        used += size
    out = []
    for i, j, size in sorted(crosses):
        out.append(Cross(i, j, offset, size))
        offset += size
    return out
