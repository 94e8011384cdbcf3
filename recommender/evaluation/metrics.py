"""Evaluation protocols and ranking metrics@k (used by training's tuning, notebook 03 and bench).

Protocols, for held-out users with at least ``reveal + 1`` items:

- "items" (P2): reveal ``reveal`` random items; rank every other item; the rest are relevant.
- "meta"  (P3): reveal only the user's metadata; rank every item; all the user's items are relevant.
- "both"  (P4): the same revealed items as "items" plus the metadata.
- "none":      reveal nothing (popularity); all the user's items are relevant.

Metrics per user, over the top k of the ranked list (revealed items removed):
NDCG@k (binary gains, ideal DCG over min(k, |relevant|) hits), Recall@k =
hits / min(k, |relevant|), HitRate@k, Precision@k = hits / k; coverage@k is
the share of the catalogue that appears in anyone's top k.
"""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Callable

import numpy as np
import scipy.sparse as sp

MODES = ("items", "meta", "both", "none")


@dataclass
class Protocol:
    """One evaluation protocol instance (rows are evaluated users).

    Attributes
    ----------
    mode : str
    users : ndarray (u,)         row indices of the evaluated users in their dataset
    revealed : csr_matrix (u, n) revealed item indicators (empty rows for "meta"/"none")
    relevant : csr_matrix (u, n) items to find
    meta : csr_matrix (u, m) or None      metadata indicators (recommender.serving.features), when revealed
    """

    mode: str
    users: np.ndarray
    revealed: sp.csr_matrix
    relevant: sp.csr_matrix
    meta: sp.csr_matrix | None


def make_protocol(a: sp.csr_matrix, meta: sp.csr_matrix | None, mode: str, reveal: int = 5,
                  seed: int = 0, min_items: int | None = None) -> Protocol:
    """Build a protocol from a users x items matrix ``a``; the same seed reveals the same items in every mode."""
    if mode not in MODES:
        raise ValueError(f"mode must be one of {', '.join(MODES)}; got {mode!r}")
    a = a.tocsr()
    sizes = np.diff(a.indptr)
    users = np.flatnonzero(sizes >= (reveal + 1 if min_items is None else min_items))
    rng = np.random.default_rng(seed)
    n = a.shape[1]
    rev_rows, rev_cols = [], []
    for r, u in enumerate(users):
        items = a.indices[a.indptr[u]:a.indptr[u + 1]]
        chosen = rng.choice(items, size=min(reveal, len(items) - 1), replace=False)
        rev_rows.append(np.full(len(chosen), r))
        rev_cols.append(np.sort(chosen))
    rows = np.concatenate(rev_rows) if rev_rows else np.zeros(0, dtype=int)
    cols = np.concatenate(rev_cols) if rev_cols else np.zeros(0, dtype=int)
    revealed = sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(users), n))
    truth = a[users]
    truth.data[:] = 1.0
    if mode in ("items", "both"):
        relevant = (truth - revealed).tocsr()
        relevant.eliminate_zeros()
    else:
        relevant = truth.tocsr()
        revealed = sp.csr_matrix((len(users), n))
    shown = meta[users] if (meta is not None and mode in ("meta", "both")) else None
    return Protocol(mode, users, revealed, relevant, shown)


def top_k(scores: np.ndarray, revealed: sp.csr_matrix, k: int, copy: bool = True) -> np.ndarray:
    """Indices of the k best items per row, best first, revealed items excluded (``copy=False``: the
    revealed entries of ``scores``, a float array the caller no longer needs, are overwritten)."""
    scores = np.array(scores, dtype=np.float64, copy=True) if copy or scores.dtype.kind != "f" else scores
    r, c = revealed.nonzero()
    scores[r, c] = -np.inf
    k = min(k, scores.shape[1])
    part = np.argpartition(-scores, k - 1, axis=1)[:, :k]
    order = np.argsort(-np.take_along_axis(scores, part, axis=1), axis=1, kind="stable")
    return np.take_along_axis(part, order, axis=1)


def ranking_metrics(top: np.ndarray, relevant: sp.csr_matrix, k: int) -> dict[str, np.ndarray]:
    """Per-user NDCG, Recall, HitRate and Precision @k from the top-k lists."""
    rel = relevant.tocsr()
    n_rel = np.diff(rel.indptr)
    width = np.int64(rel.shape[1])                      # one key per (user, item): row * n_items + item
    keys = np.sort(np.repeat(np.arange(rel.shape[0], dtype=np.int64), n_rel) * width + rel.indices)
    asked = np.arange(top.shape[0], dtype=np.int64)[:, None] * width + top
    hits = (keys[np.minimum(np.searchsorted(keys, asked), len(keys) - 1)] == asked) if len(keys) \
        else np.zeros(top.shape, dtype=bool)
    discount = 1.0 / np.log2(np.arange(2, k + 2))
    dcg = hits @ discount[: top.shape[1]]
    ideal = np.cumsum(discount)[np.clip(np.minimum(n_rel, k) - 1, 0, None)]
    n_hits = hits.sum(axis=1)
    denom = np.maximum(np.minimum(n_rel, k), 1)
    return {"ndcg": np.where(n_rel > 0, dcg / ideal, 0.0), "recall": n_hits / denom,
            "hitrate": (n_hits > 0).astype(float), "precision": n_hits / k}


@dataclass
class EvalResult:
    """Per-user metrics of one scorer on one protocol."""

    name: str
    mode: str
    per_user: dict[str, np.ndarray]
    coverage: float
    top: np.ndarray

    def mean(self, metric: str) -> float:
        return float(np.mean(self.per_user[metric])) if len(self.per_user[metric]) else float("nan")

    def summary(self) -> dict[str, float]:
        out = {m: self.mean(m) for m in self.per_user}
        out["coverage"] = self.coverage
        return out


ScoreFn = Callable[[sp.csr_matrix, "sp.csr_matrix | None"], np.ndarray]


def evaluate(score_fn: ScoreFn, protocol: Protocol, k: int = 10, name: str = "", batch: int = 2048,
             fresh: bool = False, threads: int = 1) -> EvalResult:
    """Score every protocol user with ``score_fn(revealed_rows, meta_rows)`` and compute metrics@k.

    ``fresh``: score_fn returns a new array each call, which ranking may then overwrite.
    ``threads``: large protocols are scored and ranked in that many row blocks at once (score_fn
    must then be safe to call from several threads; numpy and scipy release the GIL in the work).
    """
    users, n = len(protocol.users), protocol.revealed.shape[1]
    parallel = threads > 1 and users * n >= 2_000_000
    size = min(batch, -(-users // threads)) if parallel else batch

    def ranked(sl):
        meta = protocol.meta[sl] if protocol.meta is not None else None
        return top_k(score_fn(protocol.revealed[sl], meta), protocol.revealed[sl], k, copy=not fresh)

    blocks = [slice(start, start + size) for start in range(0, users, size)]
    if parallel and len(blocks) > 1:
        with ThreadPoolExecutor(threads) as pool:
            tops = list(pool.map(ranked, blocks))
    else:
        tops = [ranked(sl) for sl in blocks]
    top = np.vstack(tops) if tops else np.zeros((0, k), dtype=int)
    per_user = ranking_metrics(top, protocol.relevant, k)
    coverage = len(np.unique(top)) / n if n else 0.0
    return EvalResult(name, protocol.mode, per_user, coverage, top)


def paired_bootstrap_ci(a: np.ndarray, b: np.ndarray, n_boot: int = 2000, seed: int = 0,
                        level: float = 0.95) -> tuple[float, float, float]:
    """Mean of a - b over users and its percentile bootstrap interval (users resampled, pairs kept)."""
    diff = np.asarray(a, dtype=float) - np.asarray(b, dtype=float)
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, len(diff), size=(n_boot, len(diff)))
    means = diff[idx].mean(axis=1)
    lo, hi = np.quantile(means, [(1 - level) / 2, 1 - (1 - level) / 2])
    return float(diff.mean()), float(lo), float(hi)
