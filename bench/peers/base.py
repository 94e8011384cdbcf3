"""The peer contract and a validation-split tuner shared by every peer."""
from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from recommender.evaluation import metrics as ev


class Peer:
    """A recommender compared against ours.

    ``uses`` names the inputs it can read: "items" (revealed items), "meta" (user metadata).
    ``fit(a, meta, n_meta)`` takes a users x items csr matrix and an (users, fields) array of
    one-hot feature indices (-1 missing); ``score(revealed, meta_rows)`` returns (users, items) scores.
    """

    name = "peer"
    uses: frozenset = frozenset()

    def fit(self, a: sp.csr_matrix, meta: np.ndarray, n_meta: int) -> "Peer":
        raise NotImplementedError

    def score(self, revealed: sp.csr_matrix, meta_rows: np.ndarray | None) -> np.ndarray:
        raise NotImplementedError


def meta_one_hot(meta: np.ndarray, n_meta: int) -> sp.csr_matrix:
    rows, cols = np.nonzero(meta >= 0)
    return sp.csr_matrix((np.ones(len(rows)), (rows, meta[rows, cols])), shape=(meta.shape[0], n_meta))


def tuned(factory, grid: list[dict], a, meta, n_meta, mode: str, seed: int = 0, fraction: float = 0.15):
    """Fit ``factory(**params)`` for each params on 85 % of the users, keep the best NDCG@10 on the
    other 15 % under ``mode``'s protocol, refit it on all users. Returns (peer, params)."""
    if len(grid) == 1:
        return factory(**grid[0]).fit(a, meta, n_meta), grid[0]
    rng = np.random.default_rng(seed)
    eligible = np.flatnonzero(np.diff(a.indptr) >= 6)
    val = rng.choice(eligible, size=max(int(len(eligible) * fraction), 1), replace=False)
    train = np.setdiff1d(np.arange(a.shape[0]), val)
    protocol = ev.make_protocol(a[val], meta[val], mode, seed=seed)
    best, best_params = -1.0, grid[0]
    for params in grid:
        peer = factory(**params).fit(a[train], meta[train], n_meta)
        ndcg = ev.evaluate(peer.score, protocol).mean("ndcg")
        if ndcg > best:
            best, best_params = ndcg, params
    return factory(**best_params).fit(a, meta, n_meta), best_params
