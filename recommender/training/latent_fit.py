"""Fitting the latent-class scorer (recommender.serving.latent) by EM, and choosing its blend per mode.

EM for a mixture of Bernoullis over the users x items matrix jointly with one
categorical distribution per metadata field (numeric fields use the encoders'
buckets; missing values are simply unobserved). Initialisation is a seeded
random split of the users, so training is deterministic. The number of classes
and each mode's blend weight are chosen by NDCG@10 on the validation users.
"""
from __future__ import annotations

import numpy as np
import scipy.sparse as sp

EPS = 1e-6


def em(a: sp.csr_matrix, meta_index: np.ndarray, sizes: list[int], n_classes: int, iters: int = 40,
       seed: int = 0, smoothing: float = 0.5, init=None, place: np.ndarray | None = None,
       n_base: int | None = None) -> dict[str, np.ndarray]:
    """Fit the mixture; returns the ``lc_*`` arrays recommender.serving.latent reads (float32).

    Parameters
    ----------
    a : csr_matrix (users, n)
        Held-item indicators.
    meta_index : ndarray (users, F)
        Per modelled field, the index of the user's feature among the modelled features (-1 missing).
    sizes : list of int
        Features per field (F entries; the offsets are their running sums).
    init : dict, optional
        Arrays from an earlier fit to start from (e.g. the validation split's) instead of a random split.
    place, n_base : ndarray, int, optional
        Where each modelled feature sits among the model's ``n_base`` single-field features: the
        returned ``lc_log_meta`` is (Z, n_base) with zeros for features the mixture does not model
        (multi-valued fields). Default: the modelled features are all of them, in order.
    """
    users = a.shape[0]
    offsets = np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64)
    n_feats = int(offsets[-1])
    place = np.arange(n_feats) if place is None else np.asarray(place)
    n_base = n_feats if n_base is None else n_base
    if init is not None:
        resp = _responsibilities(a, _one_hot(meta_index, n_feats), init["lc_log_prior"], init["lc_item"],
                                 init["lc_log_meta"][:, place])
    else:
        resp = np.random.default_rng(seed).dirichlet(np.ones(n_classes), users)
    at = a.T.tocsr()
    onehot = _one_hot(meta_index, n_feats)
    onehot_t = onehot.T.tocsr()
    for _ in range(iters):
        weight = resp.sum(axis=0) + 1e-9
        prior = weight / weight.sum()
        theta = np.clip((np.asarray(at @ resp).T + smoothing) / (weight[:, None] + 2 * smoothing), EPS, 1 - EPS)
        counts = np.asarray(onehot_t @ resp).T + smoothing          # (Z, n_feats)
        phi = np.empty_like(counts)
        for f in range(len(sizes)):
            block = counts[:, offsets[f]:offsets[f + 1]]
            phi[:, offsets[f]:offsets[f + 1]] = block / block.sum(axis=1, keepdims=True)
        log_phi = np.log(np.maximum(phi, EPS))
        resp = _responsibilities(a, onehot, np.log(prior), theta, log_phi)
    log_meta = np.zeros((n_classes, n_base))
    log_meta[:, place] = log_phi
    return {"lc_log_prior": np.log(prior).astype(np.float32), "lc_log_item": np.log(theta).astype(np.float32),
            "lc_item": theta.astype(np.float32), "lc_log_meta": log_meta.astype(np.float32)}


def _one_hot(meta_index: np.ndarray, n_feats: int) -> sp.csr_matrix:
    rows, cols = np.nonzero(meta_index >= 0)
    return sp.csr_matrix((np.ones(len(rows)), (rows, meta_index[rows, cols])), shape=(meta_index.shape[0], n_feats))


def _responsibilities(a, onehot, log_prior, theta, log_phi):
    theta = np.asarray(theta, dtype=np.float64)
    log_t, log_1m = np.log(theta), np.log1p(-theta)
    log_r = np.asarray(a @ (log_t - log_1m).T) + (log_1m.sum(axis=1) + np.asarray(log_prior, dtype=np.float64))
    log_r += np.asarray(onehot @ np.asarray(log_phi, dtype=np.float64).T)
    log_r -= log_r.max(axis=1, keepdims=True)
    resp = np.exp(log_r)
    return resp / resp.sum(axis=1, keepdims=True)


def choose_blend(tuner, class_grid, alphas, iters: int, seed: int = 0):
    """Fit the mixture on each validation fold's training sample for each class count and pick, per
    mode, the blend ``(1 - alpha) * linear + alpha * latent`` with the best validation NDCG@10; the
    items and both modes also try the chosen-subset posterior
    (recommender.serving.latent.selected_scores) for the best class count.

    Returns (n_classes, {mode: alpha}, {mode: use selected_scores}, {mode: validation NDCG@10},
    the first fold's fit, to start the final fit from).
    """
    from recommender.serving.latent import batch_posterior_scores, batch_selected_scores

    sizes, place = tuner.space.latent_layout()
    linear = {mode: [[fn(p.revealed, p.meta) for p in fold.protocols[mode]]
                     for fold, fn in zip(tuner.folds, fns)] for mode, fns in tuner.best_fn.items()}
    best = None
    for z in class_grid:
        fits = [em(f.a_em, f.meta_em, sizes, z, iters=iters, seed=seed, place=place, n_base=tuner.n_base)
                for f in tuner.folds]
        picks = {mode: _best_alpha(tuner, mode, parts, alphas, fits, batch_posterior_scores)
                 for mode, parts in linear.items()}
        total = sum(v[1] for v in picks.values())
        if best is None or total > best[0] + 1e-9:
            best = (total, z, picks, fits)
        tuner.tick()
    _, z, picks, fits = best
    selection = {}
    for mode in ("items", "both"):
        if mode in linear:
            alpha, ndcg = _best_alpha(tuner, mode, linear[mode], alphas, fits, batch_selected_scores)
            if ndcg > picks[mode][1] + 1e-9:
                picks[mode], selection[mode] = (alpha, ndcg), True
    return (z, {m: v[0] for m, v in picks.items()}, selection, {m: v[1] for m, v in picks.items()}, fits[0])


def _best_alpha(tuner, mode, parts, alphas, fits, latent_fn) -> tuple[float, float]:
    """(alpha, mean validation NDCG@10 over every fold's users and draws) of the best blend."""
    from concurrent.futures import ThreadPoolExecutor

    from recommender.evaluation import metrics as ev
    from recommender.training.tuning import THREADS

    mixed = []
    for fold, fold_parts, fit in zip(tuner.folds, parts, fits):
        for p, lin in zip(fold.protocols[mode], fold_parts):
            mixed.append((fold, p, lin, latent_fn(fit, p.revealed, p.meta if p.mode != "items" else None)))

    def ndcg(job):
        al, (fold, p, lin, mix) = job
        top = ev.top_k((1 - al) * lin + al * mix, p.revealed, 10, copy=False)
        return al, id(fold), ev.ranking_metrics(top, p.relevant, 10)["ndcg"]

    with ThreadPoolExecutor(THREADS) as pool:      # numpy releases the GIL in the blend and the ranking
        results = list(pool.map(ndcg, [(al, item) for al in alphas for item in mixed]))
    scores = {}
    for al in alphas:
        per_fold = {}
        for a, fold, per_user in results:
            if a == al:
                per_fold.setdefault(fold, []).append(per_user)
        scores[al] = float(np.mean(np.concatenate([np.mean(v, axis=0) for v in per_fold.values()])))
    alpha = max(scores, key=lambda al: (scores[al], -al))
    return alpha, scores[alpha]
