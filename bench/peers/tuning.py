"""Tuning a peer on validation users carved from the training users (never the held-out users).

Every fit-time grid point is fitted once on the other training users; every scoring-time point
(a factor model's fold-in) is tried on that fit; each requested protocol mode keeps its own best
pair by mean NDCG@10 over the validation users' reveal draws; the winner is refitted on all
training users. A peer that reads both items and metadata is thus tuned per protocol, as our engine is.
"""
from __future__ import annotations

import copy
from dataclasses import dataclass

import numpy as np

from bench.draws import draws_of, evaluate_draws
from bench.peers.base import Entry, Peer


@dataclass
class Tuned:
    """A peer refitted on all training users with the parameters chosen for one mode."""

    peer: Peer
    params: dict
    validation_ndcg: float


def validation_split(a, seed: int, fraction: float = 0.2, min_items: int = 6) -> tuple[np.ndarray, np.ndarray]:
    """(fit rows, validation rows) of the training users: ``fraction`` of those holding at least
    ``min_items`` items (so 5 can be revealed) are held out for validation."""
    rng = np.random.default_rng(seed)
    eligible = np.flatnonzero(np.diff(a.indptr) >= min_items)
    val = np.sort(rng.choice(eligible, size=max(int(len(eligible) * fraction), 1), replace=False))
    return np.setdiff1d(np.arange(a.shape[0]), val), val


def tuned(entry: Entry, a, meta, n_meta: int, modes: list[str], seed: int = 0, fraction: float = 0.2,
          draws: int = 3, trace=None) -> dict[str, Tuned]:
    """The best parameters per mode ("items", "meta", "both") among ``entry``'s grids, each peer
    refitted on all of ``a``'s users (one fit per distinct fit-time winner). ``trace(mode, params,
    ndcg)``, when given, sees every validation score."""
    points = [(p, s) for p in entry.grid for s in entry.scoring_grid]
    if len(points) == 1:
        peer = entry.make(points[0][0]).fit(a, meta, n_meta).set_scoring(**points[0][1])
        return {m: Tuned(peer, {**points[0][0], **points[0][1]}, float("nan")) for m in modes}
    fit_rows, val_rows = validation_split(a, seed, fraction)
    protocols = {m: draws_of(a[val_rows], meta[val_rows], m, seed, draws) for m in modes}
    best = {m: (-np.inf, {}, {}) for m in modes}
    for params in entry.grid:
        peer = entry.make(params).fit(a[fit_rows], meta[fit_rows], n_meta)
        for scoring in entry.scoring_grid:
            peer.set_scoring(**scoring)
            for m in modes:
                ndcg = evaluate_draws(peer.score, protocols[m]).mean("ndcg")
                if trace is not None:
                    trace(m, {**params, **scoring}, ndcg)
                if ndcg > best[m][0]:
                    best[m] = (ndcg, params, scoring)
    fitted, out = {}, {}
    for m in modes:
        ndcg, params, scoring = best[m]
        key = repr(params)
        if key not in fitted:
            fitted[key] = entry.make(params).fit(a, meta, n_meta)
        out[m] = Tuned(copy.copy(fitted[key]).set_scoring(**scoring), {**params, **scoring}, float(ndcg))
    return out
