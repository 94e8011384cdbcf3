"""Batch scoring of a trained Model for evaluation (many users at once; training-side, uses scipy).

The served path (Model.recommend) scores one request; this module applies the
same weights to a whole protocol so notebooks, `invoke evaluate` and the
benchmark measure exactly the served model.
"""
from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from recommender.evaluation import metrics as ev
from recommender.data.dataset import Dataset
from recommender.serving.features import encode_requests
from recommender.data.matrices import indicators, pool, user_item_matrix
from recommender.serving.latent import batch_posterior_scores, batch_selected_scores
from recommender.serving.model import Model
from recommender.data.matrices import meta_scores


def _meta_sum(w: np.ndarray, meta_rows: sp.csr_matrix | None, n_users: int) -> np.ndarray:
    if meta_rows is None or w.shape[0] == 0:
        return np.zeros((n_users, w.shape[1]))
    return meta_scores(w, meta_rows)


def _items_part(model: Model, mode: str, revealed: sp.csr_matrix) -> np.ndarray:
    a = model.arrays
    if model.layout == "dense":
        return np.asarray(revealed @ a["w_items" if mode == "items" else "w_both_items"], dtype=np.float64)
    knn = sp.csr_matrix((a["knn_data"], a["knn_indices"], a["knn_indptr"]), shape=(model.n_items,) * 2)
    return np.asarray((revealed @ knn).todense(), dtype=np.float64)


def batch_scores(model: Model, mode: str, revealed: sp.csr_matrix, meta_rows: sp.csr_matrix | None) -> np.ndarray:
    """Scores (users, n_items) for a mode: "items", "meta", "both" or "none"."""
    a, n_users = model.arrays, revealed.shape[0]
    out = np.tile(a[f"bias_{mode}"].astype(np.float64), (n_users, 1))
    if mode in ("items", "both"):
        pooled = pool(revealed)                     # rows sum to 1; Model.item_scale(c) * c per row
        out += _items_part(model, mode, pooled * model.item_scale(1))
    if mode in ("meta", "both"):
        out += _meta_sum(a["w_both_meta" if mode == "both" else "w_meta"], meta_rows, n_users)
    alpha = model.blend.get(mode, 0.0)
    if alpha > 0:
        meta = meta_rows if mode in ("meta", "both") else None
        latent = batch_selected_scores if mode in model.selection else batch_posterior_scores
        out = (1 - alpha) * out + alpha * latent(a, revealed, meta)
    return out


def scorer(model: Model, mode: str) -> ev.ScoreFn:
    """A ``score_fn`` for recommender.evaluation.metrics.evaluate."""
    return lambda revealed, meta_rows: batch_scores(model, mode, revealed, meta_rows)


def user_matrix(model: Model, ds: Dataset) -> tuple[sp.csr_matrix, sp.csr_matrix]:
    """The dataset's users x model-items matrix (unknown items dropped) and metadata indicators."""
    index = {item: i for i, item in enumerate(model.item_ids)}
    col = np.array([index.get(str(item), -1) for item in ds.item_ids])
    mapped = col[ds.inter_item]
    keep = mapped >= 0
    a = user_item_matrix(ds.inter_user[keep], mapped[keep], ds.n_users, model.n_items)
    fields = {e.name: ds.user_fields[e.name] for e in model.encoders if e.name in ds.user_fields}
    rows, feats = encode_requests(model.encoders, model.crosses, fields, ds.n_users)
    # A model's metadata weights have a row per feature (fields, then crosses); an encoding without
    # weights (the quality benchmark's peers) spans the features it encodes.
    weights = getattr(model, "arrays", {}).get("w_meta")
    width = weights.shape[0] if weights is not None else int(feats.max()) + 1 if len(feats) else 0
    return a, indicators(rows, feats, (ds.n_users, max(width, sum(e.size for e in model.encoders))))


def evaluate_model(model: Model, ds: Dataset, modes=("items", "meta", "both", "none"), k: int = 10,
                   reveal: int = 5, seed: int = 0) -> dict[str, ev.EvalResult]:
    """Evaluate the model on a dataset's users under each protocol mode (see recommender.evaluation.metrics)."""
    a, meta = user_matrix(model, ds)
    out = {}
    for mode in modes:
        protocol = ev.make_protocol(a, meta, mode, reveal, seed=seed)
        out[mode] = ev.evaluate(scorer(model, mode), protocol, k, name="ours")
    return out


def plain_value(value):
    """A Dataset metadata value as a request would send it (float or str)."""
    return float(value) if isinstance(value, (float, np.floating, int, np.integer)) else str(value)


def oracle_scorer(oracle, model: Model, ds: Dataset, protocol: ev.Protocol, min_held: int = 6) -> ev.ScoreFn:
    """Score function asking a generator's exact posterior for each protocol user in order.

    ``ds`` is the dataset the protocol's users come from; ``min_held`` tells the oracle that the
    user holds at least that many products and the revealed ones are a random subset (the
    protocol's condition), so it scores the evaluation's ceiling."""
    fields = [e.name for e in model.encoders if e.name in ds.user_fields]
    position = {item: j for j, item in enumerate(oracle.item_ids)}
    order = np.array([position[item] for item in model.item_ids])
    cursor = [0]

    def score(revealed, meta_rows):
        rows = []
        for r in range(revealed.shape[0]):
            u = protocol.users[cursor[0] + r]
            items = [model.item_ids[i] for i in revealed[r].indices] or None
            meta = ({f: plain_value(ds.user_fields[f][u]) for f in fields}
                    if protocol.meta is not None else None)
            rows.append(np.asarray(oracle.scores(items, meta, min_held=min_held))[order])
        cursor[0] += revealed.shape[0]
        return np.array(rows)

    return score
