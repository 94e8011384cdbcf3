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

from recommender.evaluation import metrics as ev
from recommender.training import linear
from recommender.data.matrices import one_hot, pool
from recommender.training.gram import gram_stats


def top_neighbours(s: sp.csr_matrix, k: int) -> sp.csr_matrix:
    """Keep the k largest positive entries of every row."""
    s = s.tocsr()
    s.data[s.data < 0] = 0
    s.eliminate_zeros()
    indptr, indices, data = [0], [], []
    for i in range(s.shape[0]):
        lo, hi = s.indptr[i], s.indptr[i + 1]
        cols, vals = s.indices[lo:hi], s.data[lo:hi]
        if len(vals) > k:
            keep = np.argpartition(-vals, k - 1)[:k]
            cols, vals = cols[keep], vals[keep]
        order = np.argsort(cols)
        indices.append(cols[order])
        data.append(vals[order])
        indptr.append(indptr[-1] + len(cols))
    return sp.csr_matrix((np.concatenate(data) if data else [], np.concatenate(indices) if indices else [],
                          indptr), shape=s.shape)


def _neighbours(a, meta, hp):
    g = gram_stats(a, meta, hp.reveal, 0.0, dense=False, small_share=hp.small_reveal_share)
    d = np.sqrt(np.maximum(g.xx.diagonal(), 1e-12))
    inv = sp.diags(1.0 / d)
    return g, top_neighbours(inv @ g.xy @ inv, hp.neighbours)


def fit_sparse_layout(a, meta, meta_index, n_meta, hp, tick):
    """Fit the sparse layout; returns (arrays, chosen hyperparameters, validation metrics)."""
    rng = np.random.default_rng(hp.seed)
    eligible = np.flatnonzero(np.diff(a.indptr) >= hp.reveal + 1)
    n_val = min(int(len(eligible) * hp.validation_fraction), 500)
    scale, metrics = hp.knn_scales[len(hp.knn_scales) // 2], {}
    if n_val >= 20:
        val = rng.choice(eligible, size=n_val, replace=False)
        train = np.setdiff1d(np.arange(a.shape[0]), val)
        g, knn = _neighbours(a[train], one_hot(meta_index[train], n_meta), hp)
        pop = g.y1 / max(g.one, 1e-12)
        protocol = ev.make_protocol(a[val], meta_index[val], "items", hp.reveal, seed=hp.seed)
        best = -1.0
        for s in hp.knn_scales:
            w = knn * (s * pop.max())
            ndcg = ev.evaluate(lambda x, m: np.asarray((pool(x) @ w).todense()) + pop, protocol, batch=256).mean("ndcg")
            tick()
            if ndcg > best:
                best, scale = ndcg, s
        metrics["validation_ndcg@10_items"] = float(best)
    g, knn = _neighbours(a, meta, hp)
    pop_held = g.y1 / max(g.one, 1e-12)
    knn = (knn * (scale * pop_held.max())).tocsr()
    arrays = {"knn_indptr": knn.indptr.astype(np.int64), "knn_indices": knn.indices.astype(np.int32),
              "knn_data": knn.data, "bias_none": linear.solve_none(g), "bias_items": pop_held}
    if n_meta:
        lam = hp.meta_lambdas[len(hp.meta_lambdas) // 2]
        arrays["w_meta"], arrays["bias_meta"] = linear.solve_meta(g, lam, hp.field_dropout)
        arrays["w_both_meta"], arrays["bias_both"] = linear.solve_meta_held(g, lam, hp.field_dropout)
    else:
        n = a.shape[1]
        arrays.update(w_meta=np.zeros((0, n)), bias_meta=arrays["bias_none"], w_both_meta=np.zeros((0, n)),
                      bias_both=pop_held)
    chosen = {"knn_scale": scale, "neighbours": hp.neighbours}
    return {k: (v.astype(np.float32) if v.dtype.kind == "f" else v) for k, v in arrays.items()}, chosen, metrics
