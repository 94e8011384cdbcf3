"""ItemKNN: cosine item-item similarity, top neighbours per item (Sarwar et al. 2001)."""
from __future__ import annotations

import numpy as np

from bench.peers.base import Peer


class ItemKNN(Peer):
    """score(j) = sum over revealed i of cos(i, j), keeping each item's ``neighbours`` best; plus a tiny
    popularity tie-break."""

    name = "ItemKNN"
    uses = frozenset({"items"})

    def __init__(self, neighbours: int = 100, shrink: float = 10.0):
        self.neighbours, self.shrink = neighbours, shrink

    def fit(self, a, meta, n_meta):
        co = (a.T @ a).toarray()
        d = np.diag(co).copy()
        sim = co / (np.sqrt(np.outer(d, d)) + self.shrink)
        np.fill_diagonal(sim, 0.0)
        if self.neighbours < sim.shape[0]:
            cut = np.partition(sim, -self.neighbours, axis=1)[:, -self.neighbours][:, None]
            sim[sim < cut] = 0.0
        self.sim_ = sim
        self.pop_ = d / max(d.max(), 1.0) * 1e-6
        return self

    def score(self, revealed, meta_rows):
        return np.asarray(revealed @ self.sim_) + self.pop_
