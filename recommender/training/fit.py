"""Fit the model from a Dataset: tune on a validation split of the training users, refit on all.

The objective (recommender.training.gram) is the expected squared error of predicting a
user's held items from k = 5 revealed items and/or their metadata, solved in
closed form per mode (recommender.training.linear). Hyperparameters (ridge strengths,
user weighting) are picked by NDCG@10 on validation users under the same
protocol the site and the benchmark use. Catalogues larger than
``dense_max_items`` keep the item-item part as top-``neighbours`` sparse rows.
"""
from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone

import numpy as np

from recommender.training import linear
from recommender.serving.artifact import pack_strings
from recommender.data.dataset import Dataset
from recommender.serving.features import add_crosses, encode_users
from recommender.training.encoders import build_crosses, build_encoders
from recommender.data.matrices import one_hot, user_item_matrix
from recommender.training.gram import gram_stats
from recommender.training.latent_fit import choose_blend, em
from recommender.serving.model import Model
from recommender.training.sparse_items import fit_sparse_layout
from recommender.training.tuning import Tuner


@dataclass
class Hyperparameters:
    """Training settings; the grids are searched on validation users, the rest are fixed."""

    reveal: int = 5
    train_reveals: tuple = (5,)
    small_reveal_share: float = 0.0
    field_dropout: float = 0.25      # fields left out in the objective (items+metadata mode, large catalogues)
    meta_dropouts: tuple = (0.1, 0.25)  # the metadata mode's rate is chosen on validation among these
    crosses: bool = True            # try pairs of fields too (kept only if validation prefers them)
    pooled: bool = False
    n_buckets: int = 8
    powers: tuple = (-1.0, -0.5, 0.0)
    min_items: int = 1
    items_lambdas: tuple = (0.03, 0.1, 0.3, 1.0)
    meta_lambdas: tuple = (0.01, 0.03, 0.1, 0.3, 1.0)
    both_meta_lambdas: tuple = (0.01, 0.1, 1.0, 10.0)
    knn_scales: tuple = (0.3, 1.0, 3.0)
    neighbours: int = 50
    dense_max_items: int = 4000
    validation_fraction: float = 0.2
    validation_draws: int = 3
    max_validation_users: int = 3000
    latent_classes: tuple = (32,)      # latent-class scorer sizes tried (recommender.serving.latent); () = off
    latent_alphas: tuple = (0.0, 0.1, 0.25, 0.5, 0.75, 1.0)
    latent_iters: int = 80
    latent_refit_iters: int = 20
    latent_max_users: int = 60_000   # EM sees at most this many (random) users: training stays fast at 1M rows
    seed: int = 0
    chosen: dict = field(default_factory=dict)


def fingerprint(ds: Dataset) -> str:
    """SHA-256 of the ids and interactions the model was trained on."""
    h = hashlib.sha256()
    for arr in (np.asarray(ds.user_ids, dtype=str), np.asarray(ds.item_ids, dtype=str)):
        h.update("\x1f".join(arr.tolist()).encode())
    h.update(np.ascontiguousarray(ds.inter_user, dtype=np.int64).tobytes())
    h.update(np.ascontiguousarray(ds.inter_item, dtype=np.int64).tobytes())
    return h.hexdigest()


def item_texts(ds: Dataset) -> tuple[list[str], list[str], list[str], list[list[str]]]:
    """(names, categories, descriptions, filter tags) per item from Items.csv metadata."""
    f, n = ds.item_fields, ds.n_items
    ids = [str(i) for i in ds.item_ids]
    if "TITLE" in f:
        genres = [[g for g in str(x).split("|") if g] for x in f.get("GENRES", [""] * n)]
        years = [str(y) for y in f.get("YEAR", [""] * n)]
        descs = [" · ".join(p for p in (y, ", ".join(g)) if p) for y, g in zip(years, genres)]
        return [str(t) for t in f["TITLE"]], [g[0] if g else "" for g in genres], descs, genres
    names = [str(x) for x in f["NAME"]] if "NAME" in f else ids
    cats = [str(x) for x in f["CATEGORY"]] if "CATEGORY" in f else [""] * n
    descs = [str(x) for x in f["DESCRIPTION"]] if "DESCRIPTION" in f else [""] * n
    return names, cats, descs, [[c] if c else [] for c in cats]


def train(ds: Dataset, hp: Hyperparameters | None = None, progress: bool = False) -> Model:
    """Fit a Model on a Dataset (tuning on a validation split of its users, then refitting on all).

    Parameters
    ----------
    ds : Dataset
        Users, items and interactions (every interaction counts as implicit feedback).
    hp : Hyperparameters, optional
    progress : bool
        Show a tqdm progress bar over the tuning grid and the final fit.
    """
    hp = hp or Hyperparameters()
    if ds.n_items == 0 or len(ds.inter_user) == 0:
        raise ValueError("the dataset has no items or no interactions: nothing to train on")
    a = user_item_matrix(ds.inter_user, ds.inter_item, ds.n_users, ds.n_items)
    encoders = build_encoders(ds.user_fields, ds.user_schema, hp.n_buckets)
    n_base = sum(e.size for e in encoders)
    crosses = build_crosses(encoders, n_base) if hp.crosses and ds.n_items <= hp.dense_max_items else []
    n_meta = n_base + sum(c.size for c in crosses)
    meta_index = add_crosses(encode_users(encoders, ds.user_fields), encoders, crosses)
    meta = one_hot(meta_index, n_meta)
    dense = ds.n_items <= hp.dense_max_items
    per_config = (len(hp.items_lambdas) + 2 * len(hp.both_meta_lambdas)
                  + 2 * len(hp.meta_lambdas) * len(hp.meta_dropouts))
    steps = (len(hp.powers) * len(hp.train_reveals) * per_config + len(hp.latent_classes) if dense
             else len(hp.knn_scales)) + 1
    bar = _progress(steps, progress)
    if dense:
        arrays, chosen, metrics, blend = _fit_dense(a, meta, meta_index, n_meta, n_base, crosses, hp, bar.update,
                                                    [e.size for e in encoders])
        if not any(c.get("crosses") for c in chosen.values()):
            crosses, n_meta = [], n_base
            arrays["w_meta"], arrays["w_both_meta"] = arrays["w_meta"][:n_base], arrays["w_both_meta"][:n_base]
    else:
        arrays, chosen, metrics = fit_sparse_layout(a, meta, meta_index, n_meta, hp, bar.update)
        blend = {}
    bar.update()
    bar.close()
    arrays.update(_catalogue_arrays(ds))
    manifest = {
        "trained_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "data_fingerprint": fingerprint(ds),
        "layout": "dense" if dense else "sparse",
        "latent_blend": blend,
        "pooled": bool(hp.pooled),
        "reveal": int(hp.reveal),
        "hyperparameters": {**{k: v for k, v in asdict(hp).items() if k != "chosen"}, "chosen": chosen},
        "metrics": metrics,
        "n_users": int(ds.n_users), "n_items": int(ds.n_items), "n_interactions": int(len(ds.inter_user)),
        "encoders": [e.to_json() for e in encoders],
        "crosses": [[c.first, c.second, c.offset, c.size] for c in crosses],
    }
    return Model(arrays, manifest)


def _fit_dense(a, meta, meta_index, n_meta, n_base, crosses, hp, tick, sizes):
    tuner = Tuner(a, meta_index, n_meta, n_base, crosses, hp, tick)
    blend, latent = {}, {}
    if tuner.enough:
        chosen, metrics = tuner.run()
        if hp.latent_classes:
            z, alpha, selection, ndcg, split_fit = choose_blend(tuner, sizes, hp.latent_classes, hp.latent_alphas,
                                                                hp.latent_iters, hp.seed, hp.latent_max_users)
            if any(v > 0 for v in alpha.values()):
                blend = {"classes": int(z), "alpha": {m: float(v) for m, v in alpha.items()},
                         "selection": {m: bool(v) for m, v in selection.items()}}
                metrics.update({f"validation_ndcg@10_{m}_blended": v for m, v in ndcg.items()})
                rows = _subsample(a.shape[0], hp.latent_max_users, hp.seed)
                latent = em(a[rows], meta_index[rows, :len(sizes)], sizes, z, iters=hp.latent_refit_iters,
                            init=split_fit)
    else:
        mid = {"power": 0.0, "lam": hp.items_lambdas[len(hp.items_lambdas) // 2]}
        chosen = {"items": mid, "meta": {"power": 0.0, "lam": hp.meta_lambdas[0]},
                  "both": dict(mid, lam_meta=hp.both_meta_lambdas[0])}
        metrics = {"note": "too few users with enough items to tune; defaults used"}
    grams = {}

    def gram(params):
        key = (params["power"], params.get("min_items", 1), params.get("reveal", hp.reveal))
        if key not in grams:
            grams[key] = gram_stats(a, meta, key[2], key[0], min_items=key[1], small_share=hp.small_reveal_share,
                                    pooled=hp.pooled)
        return grams[key]

    c = chosen
    g = gram(c["items"])
    sx = float(np.mean(np.diag(g.xx))) or 1.0
    w_items, b_items = linear.solve_items(g, c["items"]["lam"] * sx)
    arrays = {"w_items": w_items, "bias_items": b_items, "bias_none": linear.solve_none(gram({"power": 0.0}))}
    if n_meta and "meta" in c:
        g = gram(c["meta"])
        g = g if c["meta"].get("crosses") else linear.restrict_meta(g, n_base)
        w, arrays["bias_meta"] = linear.solve_meta(g, c["meta"]["lam"], c["meta"].get("dropout", hp.field_dropout))
        arrays["w_meta"] = linear.pad_rows(w, n_meta)
        g = gram(c["both"])
        sx = float(np.mean(np.diag(g.xx))) or 1.0
        g = g if c["both"].get("crosses") else linear.restrict_meta(g, n_base)
        wx, wm, b = linear.solve_both(g, c["both"]["lam"] * sx, c["both"]["lam_meta"], hp.field_dropout)
        arrays.update(w_both_items=wx, w_both_meta=linear.pad_rows(wm, n_meta), bias_both=b)
    else:
        n = a.shape[1]
        arrays.update(w_meta=np.zeros((0, n)), bias_meta=arrays["bias_none"], w_both_items=w_items,
                      w_both_meta=np.zeros((0, n)), bias_both=b_items)
    arrays.update(latent)
    return {k: v.astype(np.float32) for k, v in arrays.items()}, chosen, metrics, blend


def _subsample(n: int, at_most: int, seed: int) -> np.ndarray:
    """Sorted row indices: all ``n`` rows, or ``at_most`` of them drawn at random."""
    if n <= at_most:
        return np.arange(n)
    return np.sort(np.random.default_rng(seed).choice(n, size=at_most, replace=False))


def _catalogue_arrays(ds: Dataset) -> dict[str, np.ndarray]:
    names, cats, descs, tags = item_texts(ds)
    tag_names = sorted({t for ts in tags for t in ts})
    tag_pos = {t: i for i, t in enumerate(tag_names)}
    out = {}
    for key, values in (("item_ids", [str(i) for i in ds.item_ids]), ("item_names", names),
                        ("item_categories", cats), ("item_descriptions", descs), ("tag_names", tag_names)):
        out[f"{key}_blob"], out[f"{key}_off"] = pack_strings(values)
    out["tag_indptr"] = np.concatenate([[0], np.cumsum([len(t) for t in tags])]).astype(np.int64)
    out["tag_indices"] = np.array([tag_pos[t] for ts in tags for t in ts], dtype=np.int32)
    return out


class _NoBar:
    def update(self, n=1):
        pass

    def close(self):
        pass


def _progress(total: int, show: bool):
    if not show:
        return _NoBar()
    from tqdm.auto import tqdm

    return tqdm(total=total, desc="training", unit="step")
