"""The dense layout's solve: tuning on validation users, latent classes, the final closed forms."""
from __future__ import annotations

import numpy as np

from recommender.training import linear
from recommender.training.gram import from_moments
from recommender.training.latent_fit import choose_blend, em
from recommender.training.space import FeatureSpace
from recommender.training.statistics import Statistics
from recommender.training.tuning import Tuner


def solve_dense(stats: Statistics, space: FeatureSpace, hp, tick):
    """Returns (float32 arrays, chosen hyperparameters per mode, validation metrics, latent blend)."""
    tuner = Tuner(stats, space, hp, tick)
    blend, latent = {}, {}
    if tuner.enough:
        chosen, metrics = tuner.run()
        if hp.latent_classes:
            z, alpha, selection, ndcg, split_fit = choose_blend(tuner, hp.latent_classes, hp.latent_alphas,
                                                                hp.latent_iters, hp.seed)
            if any(v > 0 for v in alpha.values()):
                blend = {"classes": int(z), "alpha": {m: float(v) for m, v in alpha.items()},
                         "selection": {m: bool(v) for m, v in selection.items()}}
                metrics.update({f"validation_ndcg@10_{m}_blended": v for m, v in ndcg.items()})
                sizes, place = space.latent_layout()
                rows = slice(0, stats.spec.sample_users)
                latent = em(stats.sample.items[rows], space.latent_index(stats.sample.features[rows]), sizes, z,
                            iters=hp.latent_refit_iters, init=split_fit, place=place, n_base=space.n_base)
    else:
        mid = {"power": 0.0, "lam": hp.items_lambdas[len(hp.items_lambdas) // 2]}
        chosen = {"items": mid, "meta": {"power": 0.0, "lam": hp.meta_lambdas[0]},
                  "both": dict(mid, lam_meta=hp.both_meta_lambdas[0])}
        metrics = {"note": "too few users with enough items to tune; defaults used"}
    weightings = {w.power: w for w in stats.spec.weightings}
    groups = space.groups()
    grams = {}

    def gram(params):
        w = weightings[params["power"]]
        if w.power not in grams:
            grams[w.power] = from_moments(stats.moments, w, stats.n_users, stats.feature_users, groups)
        return grams[w.power]

    c = chosen
    g = gram(c["items"])
    sx = float(np.mean(np.diag(g.xx))) or 1.0
    features = space.item_features
    w_items, b_items = linear.ItemSolver(g, c["items"]["lam"] * sx, features).items(c["items"].get("lam_f"))
    popularity = np.asarray(stats.item_users, dtype=np.float64) / max(stats.n_users, 1)
    arrays = {"w_items": w_items, "bias_items": b_items, "bias_none": popularity}
    n_meta, n_base = space.n_features, space.n_base
    if n_meta and "meta" in c:
        g = gram(c["meta"])
        g = g if c["meta"].get("crosses") else linear.restrict_meta(g, n_base)
        w, b = linear.solve_meta(g, c["meta"]["lam"], c["meta"].get("dropout", hp.field_dropout))
        (w, arrays["bias_meta"]), = linear.reduce_rank(g, w, b, [c["meta"].get("rank", 0)])
        arrays["w_meta"] = linear.pad_rows(w, n_meta)
        g = gram(c["both"])
        sx = float(np.mean(np.diag(g.xx))) or 1.0
        solver = linear.ItemSolver(g, c["both"]["lam"] * sx, features)
        wx, wm, b = solver.both(c["both"]["lam_meta"], hp.field_dropout, None if c["both"].get("crosses") else n_base,
                                c["both"].get("lam_f"))
        arrays.update(w_both_items=wx, w_both_meta=linear.pad_rows(wm, n_meta), bias_both=b)
    else:
        n = stats.spec.n_items
        arrays.update(w_meta=np.zeros((0, n)), bias_meta=arrays["bias_none"], w_both_items=w_items,
                      w_both_meta=np.zeros((0, n)), bias_both=b_items)
    arrays.update(latent)
    return {k: v.astype(np.float32) for k, v in arrays.items()}, chosen, metrics, blend
