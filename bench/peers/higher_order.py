"""Higher-order EASE (Steck & Liang 2021, "Negative Interactions for Improved Collaborative Filtering:
Don't go Deeper, go Higher"): EASE plus weights for pairs of items held together.

With X the users x items matrix and Z the users x pairs matrix (Z[u, (i, j)] = X[u, i] X[u, j] for
the ``pairs`` most co-occurring item pairs), the model predicts X B + Z C from

    min ||X - X B - Z C||^2 + lam ||B||^2 + lam_pairs ||C||^2
    s.t. diag(B) = 0 and C[(i, j), k] = 0 when k is i or j

(no input may predict itself). The paper solves it by ADMM; here each target column k is solved
exactly instead: with F = [X, Z], P = (F^T F + diagMat(lam, lam_pairs))^-1 and S_k the inputs
excluded for k, the ridge solution is w = e_k - lam P[:, k], and the constrained one
w - P[:, S_k] P[S_k, S_k]^-1 w[S_k] (EASE's closed form, generalised to several excluded inputs).
"""
from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from bench.peers.base import Peer


def top_pairs(g: np.ndarray, pairs: int) -> np.ndarray:
    """(pairs, 2) item pairs i < j with the largest co-occurrence counts (ties by index)."""
    i, j = np.triu_indices(g.shape[0], k=1)
    counts = g[i, j]
    keep = np.flatnonzero(counts > 0)
    order = keep[np.argsort(-counts[keep], kind="stable")[:pairs]]
    return np.stack([i[order], j[order]], axis=1)


def pair_matrix(x: sp.csr_matrix, pairs: np.ndarray) -> sp.csr_matrix:
    """Users x pairs indicators: the user holds both items of the pair."""
    x = x.tocsr()
    both = x[:, pairs[:, 0]].multiply(x[:, pairs[:, 1]])
    return sp.csr_matrix(both, dtype=np.float64)


class HigherEASE(Peer):
    name = "HigherEASE"
    uses = frozenset({"items"})

    def __init__(self, lam: float = 500.0, lam_pairs: float = 5000.0, pairs: int = 2000):
        self.lam, self.lam_pairs, self.pairs = lam, lam_pairs, pairs

    def fit(self, a, meta, n_meta):
        x = a.tocsr().astype(np.float64)
        n = x.shape[1]
        gxx = (x.T @ x).toarray()
        self.pairs_ = top_pairs(gxx, self.pairs)
        z = pair_matrix(x, self.pairs_)
        f = sp.hstack([x, z], format="csr")
        g = (f.T @ f).toarray()
        penalty = np.concatenate([np.full(n, self.lam), np.full(len(self.pairs_), self.lam_pairs)])
        p = np.linalg.inv(g + np.diag(penalty))
        containing = [[] for _ in range(n)]                    # pair rows (after the n items) holding item k
        for r, (i, j) in enumerate(self.pairs_):
            containing[i].append(n + r)
            containing[j].append(n + r)
        w = -p[:, :n] / np.diag(p)[None, :n]                    # columns whose only excluded input is k: EASE
        w[np.arange(n), np.arange(n)] = 0.0
        for k in (k for k in range(n) if containing[k]):
            s = np.array([k] + containing[k])
            col = -self.lam * p[:, k]
            col[k] += 1.0
            col -= p[:, s] @ np.linalg.solve(p[np.ix_(s, s)], col[s])
            w[:, k] = col
        self.b_, self.c_ = w[:n], w[n:]
        self.pop_ = np.diag(gxx) / max(x.shape[0], 1) * 1e-6
        return self

    def score(self, revealed, meta_rows):
        z = pair_matrix(revealed, self.pairs_)
        return np.asarray(revealed @ self.b_) + np.asarray(z @ self.c_) + self.pop_
