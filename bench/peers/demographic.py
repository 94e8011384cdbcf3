"""Ridge regression from a user's metadata one-hots (every field the harness encodes) to the items
the user holds, with an unpenalised intercept:

    min_W,b ||A - X W - 1 b^T||^2 + lam ||W||^2,

X the users x features matrix of `meta_one_hot`, solved in closed form on centred X and A.
"""
from __future__ import annotations

import numpy as np

from bench.peers.base import Peer, meta_one_hot


class RidgeDemographics(Peer):
    name = "RidgeDemo"
    uses = frozenset({"meta"})

    def __init__(self, lam: float = 10.0):
        self.lam = lam

    def fit(self, a, meta, n_meta):
        self.n_meta = n_meta
        x = meta_one_hot(meta, n_meta)
        mean_x = np.asarray(x.mean(axis=0)).ravel()
        mean_y = np.asarray(a.mean(axis=0)).ravel()
        xtx = (x.T @ x).toarray() - a.shape[0] * np.outer(mean_x, mean_x)
        xty = np.asarray((x.T @ a).todense()) - a.shape[0] * np.outer(mean_x, mean_y)
        self.w_ = np.linalg.solve(xtx + self.lam * np.eye(n_meta), xty)
        self.b_ = mean_y - mean_x @ self.w_
        self.pop_ = mean_y
        return self

    def score(self, revealed, meta_rows):
        if meta_rows is None:
            return np.tile(self.pop_, (revealed.shape[0], 1))
        return np.asarray(meta_one_hot(meta_rows, self.n_meta) @ self.w_) + self.b_
