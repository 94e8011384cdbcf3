"""Matrix-factorisation peers: implicit ALS (Hu et al. 2008), implicit BPR (Rendle et al. 2009),
LightFM WARP (Kula 2015) with and without user features.

None of them has a scorer for a user unseen in training, so a request's user vector is folded in
with the item factors fixed: ALS solves its least squares exactly (implicit's recalculate_user);
BPR and LightFM run SGD on the BPR loss over the revealed items against sampled negatives,
starting from zero (or, for LightFM with features, from the features' embedding).
"""
from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from bench.peers.base import Peer, meta_one_hot


def fold_in(item_vecs: np.ndarray, item_bias: np.ndarray, revealed: sp.csr_matrix, start: np.ndarray,
            steps: int = 100, lr: float = 0.5, reg: float = 0.01, seed: int = 0, fixed_last: bool = False):
    """BPR-SGD user vectors (users, d) for each row's revealed items, item factors fixed."""
    rng = np.random.default_rng(seed)
    lr = lr / max(float(np.mean(np.sum(item_vecs ** 2, axis=1))), 1e-9)   # step in units of the factors' scale
    u = start.astype(np.float64).copy()
    n = item_vecs.shape[0]
    rows = [revealed.indices[revealed.indptr[r]:revealed.indptr[r + 1]] for r in range(revealed.shape[0])]
    has = np.array([len(r) > 0 for r in rows])
    if not has.any():
        return u
    width = max(len(r) for r in rows)
    pos = np.array([np.resize(r, width) if len(r) else np.zeros(width, dtype=int) for r in rows])
    for _ in range(steps):
        neg = rng.integers(0, n, size=pos.shape)
        diff = item_vecs[pos] - item_vecs[neg]                           # (users, width, d)
        x = np.einsum("ud,uwd->uw", u, diff) + item_bias[pos] - item_bias[neg]
        g = 1.0 / (1.0 + np.exp(x))
        grad = np.einsum("uw,uwd->ud", g, diff) / width - reg * (u - start)
        if fixed_last:
            grad[:, -1] = 0.0
        u[has] += lr * grad[has]
    return u


class ALS(Peer):
    name = "ALS"
    uses = frozenset({"items"})

    def __init__(self, factors: int = 64, regularization: float = 0.05, alpha: float = 2.0, iterations: int = 15):
        self.params = dict(factors=factors, regularization=regularization, alpha=alpha, iterations=iterations)

    def fit(self, a, meta, n_meta):
        from implicit.cpu.als import AlternatingLeastSquares

        self.model_ = AlternatingLeastSquares(**self.params, random_state=0)
        self.model_.fit(a.astype(np.float32), show_progress=False)
        self.pop_ = np.asarray(a.sum(axis=0)).ravel() / max(a.shape[0], 1)
        return self

    def score(self, revealed, meta_rows):
        if revealed.nnz == 0:
            return np.tile(self.pop_, (revealed.shape[0], 1))
        users = self.model_.recalculate_user(np.arange(revealed.shape[0]), revealed.astype(np.float32).tocsr())
        return np.asarray(users) @ self.model_.item_factors.T


class BPR(Peer):
    name = "BPR"
    uses = frozenset({"items"})

    def __init__(self, factors: int = 64, learning_rate: float = 0.05, regularization: float = 0.01,
                 iterations: int = 200):
        self.params = dict(factors=factors, learning_rate=learning_rate, regularization=regularization,
                           iterations=iterations)

    def fit(self, a, meta, n_meta):
        from implicit.cpu.bpr import BayesianPersonalizedRanking

        self.model_ = BayesianPersonalizedRanking(**self.params, random_state=0)
        self.model_.fit(a.astype(np.float32), show_progress=False)
        self.v_ = np.asarray(self.model_.item_factors, dtype=np.float64)     # last column: item bias
        return self

    def score(self, revealed, meta_rows):
        start = np.zeros((revealed.shape[0], self.v_.shape[1]))
        start[:, -1] = 1.0
        u = fold_in(self.v_, np.zeros(self.v_.shape[0]), revealed, start, fixed_last=True)
        return u @ self.v_.T


class LightFMWarp(Peer):
    """LightFM with the WARP loss; ``features=True`` represents users by their metadata one-hots only."""

    uses = frozenset({"items"})

    def __init__(self, features: bool = False, components: int = 64, epochs: int = 30, alpha: float = 1e-6):
        self.features, self.components, self.epochs, self.alpha = features, components, epochs, alpha
        self.name = "LightFM+feat" if features else "LightFM"
        if features:
            self.uses = frozenset({"items", "meta"})

    def fit(self, a, meta, n_meta):
        from lightfm import LightFM

        self.n_meta = n_meta
        self.model_ = LightFM(no_components=self.components, loss="warp", learning_rate=0.05,
                              item_alpha=self.alpha, user_alpha=self.alpha, random_state=0)
        uf = meta_one_hot(meta, n_meta) if self.features else None
        self.model_.fit(a.tocoo(), user_features=uf, epochs=self.epochs, num_threads=2)
        self.bias_, self.v_ = self.model_.get_item_representations()
        return self

    def score(self, revealed, meta_rows):
        start = np.zeros((revealed.shape[0], self.components))
        if self.features and meta_rows is not None:
            _, start = self.model_.get_user_representations(features=meta_one_hot(meta_rows, self.n_meta))
        u = fold_in(self.v_, self.bias_, revealed, start) if revealed.nnz else start
        return u @ self.v_.T + self.bias_
