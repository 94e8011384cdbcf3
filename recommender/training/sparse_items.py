"""Large-catalogue layout: sparse top-neighbour item rows + dense metadata ridge.

A dense items x items weight matrix does not fit beyond a few thousand items
(100,000 items would need 40 GB), so for large catalogues each item keeps its
``neighbours`` strongest partners under the normalised expected co-occurrence
of the reveal-k objective (recommender.training.gram):

    S[i, j] = E[x_i y_j] / sqrt(E[x_i^2] E[x_j^2]),

scaled by a factor tuned on validation users and added to the metadata ridge
(recommender.training.linear), whose bias carries popularity. Training cost is linear in
the number of co-occurring pairs.
"""
from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from recommender.data.matrices import pool
from recommender.evaluation import metrics as ev
from recommender.training import linear
from recommender.training.gram import from_moments
from recommender.training.space import FeatureSpace
from recommender.training.statistics import Statistics, moments


def cut_key(scores: np.ndarray) -> np.ndarray:
    """The score the top-neighbour cut ranks by: rounded to single precision, so that sums of the same
    terms added in another order (a Spark partition, a streamed batch) fall on the same key, and ties
    are then broken by the smaller item index (the Spark job orders the same way)."""
    return np.asarray(scores, dtype=np.float32)


def top_neighbours(s: sp.csr_matrix, k: int) -> sp.csr_matrix:
    """Keep the k largest positive entries of every row; among equal scores (cut_key), the smallest
    column indices, so the kept set does not depend on the order the row's entries were summed in."""
    s = s.tocsr()
    s.sort_indices()
    s.data[s.data < 0] = 0
    s.eliminate_zeros()
    indptr, indices, data = [0], [], []
    for i in range(s.shape[0]):
        lo, hi = s.indptr[i], s.indptr[i + 1]
        cols, vals = s.indices[lo:hi], s.data[lo:hi]
        if len(vals) > k:
            key = cut_key(vals)
            kth = np.partition(key, len(key) - k)[len(key) - k]
            above = np.flatnonzero(key > kth)
            tied = np.flatnonzero(key == kth)[: k - len(above)]   # cols ascending: smallest indices first
            keep = np.sort(np.concatenate([above, tied]))
            cols, vals = cols[keep], vals[keep]
        indices.append(cols)
        data.append(vals)
        indptr.append(indptr[-1] + len(cols))
    return sp.csr_matrix((np.concatenate(data) if data else [], np.concatenate(indices) if indices else [],
                          indptr), shape=s.shape)


def _neighbours(g, hp) -> sp.csr_matrix:
    d = np.sqrt(np.maximum(g.xx.diagonal(), 1e-12))
    inv = sp.diags(1.0 / d)
    return top_neighbours(inv @ g.xy @ inv, hp.neighbours)


def fit_sparse_layout(stats: Statistics, space: FeatureSpace, hp, tick):
    """Fit the sparse layout from the statistics; returns (arrays, chosen hyperparameters, metrics)."""
    weighting = stats.spec.weightings[0]
    groups = space.groups()
    sample = stats.sample
    eligible = np.flatnonzero(np.diff(sample.items.indptr) >= hp.reveal + 1)
    n_val = min(int(stats.n_eligible * hp.validation_fraction), 500, len(eligible))
    scale, metrics = hp.knn_scales[len(hp.knn_scales) // 2], {}
    if n_val >= 20:
        val = eligible[:n_val]
        a_val, m_val = sample.items[val], sample.features[val]
        g = from_moments(stats.moments, weighting, stats.n_users - n_val,
                         stats.feature_users - np.asarray(m_val.sum(axis=0)).ravel(), groups,
                         minus=moments(a_val, m_val, stats.spec))
        knn = _neighbours(g, hp)
        pop = g.y1 / max(g.one, 1e-12)
        protocol = ev.make_protocol(a_val, m_val, "items", hp.reveal, seed=hp.seed)
        best = -1.0
        for s in hp.knn_scales:
            w = knn * (s * pop.max())
            ndcg = ev.evaluate(lambda x, m: np.asarray((pool(x) @ w).todense()) + pop, protocol, batch=256).mean("ndcg")
            tick()
            if ndcg > best:
                best, scale = ndcg, s
        metrics["validation_ndcg@10_items"] = float(best)
    g = from_moments(stats.moments, weighting, stats.n_users, stats.feature_users, groups)
    knn = _neighbours(g, hp)
    pop_held = g.y1 / max(g.one, 1e-12)
    knn = (knn * (scale * pop_held.max())).tocsr()
    arrays = {"knn_indptr": knn.indptr.astype(np.int64), "knn_indices": knn.indices.astype(np.int32),
              "knn_data": knn.data, "bias_none": linear.solve_none(g), "bias_items": pop_held}
    if space.n_features:
        lam = hp.meta_lambdas[len(hp.meta_lambdas) // 2]
        arrays["w_meta"], arrays["bias_meta"] = linear.solve_meta(g, lam, hp.field_dropout)
        arrays["w_both_meta"], arrays["bias_both"] = linear.solve_meta_held(g, lam, hp.field_dropout)
    else:
        n = stats.spec.n_items
        arrays.update(w_meta=np.zeros((0, n)), bias_meta=arrays["bias_none"], w_both_meta=np.zeros((0, n)),
                      bias_both=pop_held)
    chosen = {"knn_scale": scale, "neighbours": hp.neighbours}
    return {k: (v.astype(np.float32) if v.dtype.kind == "f" else v) for k, v in arrays.items()}, chosen, metrics
