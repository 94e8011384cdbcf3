"""Reveal draws: each evaluated user scored under several random reveals, metrics averaged per user.

Used for the held-out users of a split (bench/quality_runs.py) and for the validation users a
peer is tuned on (bench/peers/tuning.py), so both are measured the same way.
"""
from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from recommender.evaluation import metrics as ev


def draws_of(a, meta, mode: str, seed: int, draws: int) -> list[ev.Protocol]:
    """The protocol instances a set of users is scored on: ``draws`` independent reveals of 5 items
    (items, both), a single one when only metadata is revealed (nothing random to draw)."""
    n = draws if mode in ("items", "both") else 1
    return [ev.make_protocol(a, meta, mode, seed=seed + 1000 * d) for d in range(n)]


def stacked(protocols: list[ev.Protocol]) -> ev.Protocol:
    """The draws as one protocol, draw after draw: a scorer whose cost is per call, not per user
    (a vectorised fold-in), scores them all at once."""
    meta = None if protocols[0].meta is None else sp.vstack([p.meta for p in protocols], format="csr")
    return ev.Protocol(protocols[0].mode, np.concatenate([p.users for p in protocols]),
                       sp.vstack([p.revealed for p in protocols], format="csr"),
                       sp.vstack([p.relevant for p in protocols], format="csr"), meta)


def evaluate_draws(score_fn, protocols: list[ev.Protocol], name: str = "") -> ev.EvalResult:
    """Per-user metrics averaged over the reveal draws (the same users in every draw, in order);
    coverage is the mean over draws."""
    n, k = len(protocols[0].users), len(protocols)
    whole = ev.evaluate(score_fn, stacked(protocols) if k > 1 else protocols[0], name=name)
    per_user = {m: v.reshape(k, n).mean(axis=0) for m, v in whole.per_user.items()}
    items = protocols[0].revealed.shape[1]
    coverage = float(np.mean([len(np.unique(whole.top[d * n:(d + 1) * n])) / items for d in range(k)])) if items else 0.0
    return ev.EvalResult(name, whole.mode, per_user, coverage, whole.top[:n])
