"""EASE (Steck 2019, "Embarrassingly Shallow Autoencoders") and EDLAE (Steck 2020, "Autoencoders
that don't overfit towards the Identity"), both closed form on the item-item Gram matrix G = A^T A.

EASE:  min ||A - A B||^2 + lam ||B||^2  s.t. diag(B) = 0   ->  B = I - P diagMat(1 / diag(P)),
       P = (G + lam I)^-1.
EDLAE: dropout p emphasised on the dropped items: the same form with
       P = (G + Lambda)^-1,  Lambda = p / (1 - p) diagMat(diag(G)) + lam I.
"""
from __future__ import annotations

import numpy as np

from bench.peers.base import Peer


def constrained(g: np.ndarray, penalty: np.ndarray) -> np.ndarray:
    """B = -P / diag(P) column-wise with a zero diagonal, P = (G + diagMat(penalty))^-1."""
    p = np.linalg.inv(g + np.diag(penalty))
    b = -p / np.diag(p)[None, :]
    np.fill_diagonal(b, 0.0)
    return b


class EASE(Peer):
    name = "EASE"
    uses = frozenset({"items"})

    def __init__(self, lam: float = 500.0):
        self.lam = lam

    def penalty(self, g: np.ndarray) -> np.ndarray:
        return np.full(g.shape[0], self.lam)

    def fit(self, a, meta, n_meta):
        g = (a.T @ a).toarray()
        self.b_ = constrained(g, self.penalty(g))
        self.pop_ = np.diag(g) / max(a.shape[0], 1) * 1e-6
        return self

    def score(self, revealed, meta_rows):
        return np.asarray(revealed @ self.b_) + self.pop_


class EDLAE(EASE):
    name = "EDLAE"

    def __init__(self, p: float = 0.98, lam: float = 400.0):
        self.p, self.lam = p, lam

    def penalty(self, g: np.ndarray) -> np.ndarray:
        return self.p / (1 - self.p) * np.diag(g) + self.lam
