"""Item-based neighbourhood peers: ItemKNN (Sarwar et al. 2001) and RP3beta (Paudel et al. 2017).

Both score item j for a user as the sum over the revealed items i of an item-item weight W[i, j],
each item keeping only its ``neighbours`` largest weights, plus a tiny popularity tie-break.
"""
from __future__ import annotations

import numpy as np

from bench.peers.base import Peer


def _keep_top(w: np.ndarray, k: int) -> np.ndarray:
    """Zero all but the k largest entries of each row (in place), the diagonal first."""
    np.fill_diagonal(w, 0.0)
    if k < w.shape[1]:
        cut = np.partition(w, -k, axis=1)[:, -k][:, None]
        w[w < cut] = 0.0
    return w


class ItemKNN(Peer):
    """W[i, j] = co-occurrence(i, j) / (sqrt(count(i) count(j)) + shrink): shrunk cosine similarity."""

    name = "ItemKNN"
    uses = frozenset({"items"})

    def __init__(self, neighbours: int = 100, shrink: float = 10.0):
        self.neighbours, self.shrink = neighbours, shrink

    def fit(self, a, meta, n_meta):
        co = (a.T @ a).toarray()
        d = np.diag(co).copy()
        norm = np.sqrt(np.outer(d, d)) + self.shrink
        self.w_ = _keep_top(np.divide(co, norm, out=np.zeros_like(co), where=norm > 0), self.neighbours)
        self.pop_ = d / max(d.max(), 1.0) * 1e-6
        return self

    def score(self, revealed, meta_rows):
        return np.asarray(revealed @ self.w_) + self.pop_


class RP3beta(Peer):
    """A random walk item -> user -> item with transition probabilities raised to ``alpha``, the
    arrival item's weight divided by its popularity to the power ``beta`` (Paudel et al. 2017):

        W = (P_iu ** alpha) (P_ui ** alpha) diag(popularity ** -beta),

    P_ui the user-to-item transitions (rows of A normalised to sum 1), P_iu the item-to-user ones.
    """

    name = "RP3beta"
    uses = frozenset({"items"})

    def __init__(self, alpha: float = 1.0, beta: float = 0.5, neighbours: int = 200):
        self.alpha, self.beta, self.neighbours = alpha, beta, neighbours

    def fit(self, a, meta, n_meta):
        a = a.tocsr().astype(np.float64)
        user_deg = np.asarray(a.sum(axis=1)).ravel()
        item_deg = np.asarray(a.sum(axis=0)).ravel()
        p_ui = a.multiply(1.0 / np.maximum(user_deg, 1.0)[:, None]).tocsr().power(self.alpha)
        p_iu = a.T.multiply(1.0 / np.maximum(item_deg, 1.0)[:, None]).tocsr().power(self.alpha)
        w = (p_iu @ p_ui).toarray()
        w *= np.where(item_deg > 0, np.maximum(item_deg, 1.0) ** -self.beta, 0.0)[None, :]
        self.w_ = _keep_top(w, self.neighbours)
        smallest = w[w > 0].min() if (w > 0).any() else 1.0        # the tie-break never outweighs a walk
        self.pop_ = item_deg / max(item_deg.max(), 1.0) * 1e-3 * smallest
        return self

    def score(self, revealed, meta_rows):
        return np.asarray(revealed @ self.w_) + self.pop_
