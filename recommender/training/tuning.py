"""Grid search of the dense layout's hyperparameters on validation users, from the statistics alone.

Validation users are the statistics' sample's eligible users (at least reveal + 1 items), in rank
order. Their moments are subtracted from the totals, so every grid point is fitted on the others
and scored by NDCG@10 on them under the site's protocol. With few users (the sample holds at most
``cv_max_users`` eligible ones) every one of them validates, in ``cv_folds`` folds (cross-validation:
a fold is fitted on everyone else); otherwise one fold of ``validation_fraction`` of the eligible
users, at most ``max_validation_users``. More validation users make the choices less noisy.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, replace

import numpy as np
import scipy.sparse as sp

from recommender.data.matrices import meta_scores, pool
from recommender.evaluation import metrics as ev
from recommender.training import linear
from recommender.training.gram import from_moments
from recommender.training.space import FeatureSpace, drop_fields
from recommender.training.statistics import Statistics, moments

THREADS = min(len(os.sched_getaffinity(0)), 4) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


@dataclass
class Fold:
    """One validation fold: its users' protocols, their rows (whose moments are subtracted), and its
    training sample for EM."""

    a_val: sp.csr_matrix
    m_val: sp.csr_matrix
    n_train_users: int
    train_feature_users: np.ndarray
    protocols: dict
    a_em: sp.csr_matrix
    meta_em: np.ndarray


def validation_folds(stats: Statistics, hp) -> list[np.ndarray]:
    """Sample rows of each validation fold (empty list: too few users to tune)."""
    eligible = np.flatnonzero(np.diff(stats.sample.items.indptr) >= hp.reveal + 1)
    if len(eligible) <= hp.cv_max_users and stats.n_eligible == len(eligible) and hp.cv_folds > 1:
        folds = [eligible[k::hp.cv_folds] for k in range(hp.cv_folds)]
    else:
        n_val = min(int(stats.n_eligible * hp.validation_fraction), hp.max_validation_users, len(eligible))
        folds = [eligible[:n_val]]
    return [f for f in folds if len(f)] if sum(len(f) for f in folds) >= 20 else []


class Tuner:
    """Fits every grid point on each fold's training users and scores it on the fold's users.

    The metadata mode is scored on validation users giving all their fields and again with about
    half of them left out, as site visitors may. Per weighting (power, reveal): the items-mode
    ridge strengths; the metadata-mode strengths and field-dropout rates with and without crossed
    fields, then the ranks (reduced-rank regression, ``linear.reduce_rank``) with every strength,
    with and without crosses, at each one's best full-rank dropout; the items+metadata strengths for the two best item strengths, with crosses as the
    metadata mode of that weighting preferred.
    """

    def __init__(self, stats: Statistics, space: FeatureSpace, hp, tick):
        self.stats, self.space, self.hp, self.tick = stats, space, hp, tick
        self.n_meta, self.n_base, self.groups = space.n_features, space.n_base, space.groups()
        sample = stats.sample
        rows = validation_folds(stats, hp)
        self.enough = bool(rows)
        em_pool = np.arange(min(len(sample.ranks), stats.spec.sample_users))
        self.folds = [self._fold(sample, val, em_pool) for val in rows]
        self.best_fn = {}  # mode -> per-fold validation score functions of the best linear fit

    def _fold(self, sample, val, em_pool) -> Fold:
        hp, space = self.hp, self.space
        a_val, m_val = sample.items[val], sample.features[val]
        draws = {"items": hp.validation_draws, "meta": 1, "both": hp.validation_draws}
        protocols = {m: [ev.make_protocol(a_val, m_val, m, hp.reveal, seed=hp.seed + d) for d in range(n)]
                     for m, n in draws.items()}
        partial = ev.make_protocol(a_val, m_val, "meta", hp.reveal, seed=hp.seed)
        partial.meta = drop_fields(partial.meta, space.parents(), space.n_fields, np.random.default_rng(hp.seed))
        protocols["meta"].append(partial)
        em_rows = np.setdiff1d(em_pool, val)
        return Fold(a_val, m_val, self.stats.n_users - len(val),
                    self.stats.feature_users - np.asarray(m_val.sum(axis=0)).ravel(), protocols,
                    sample.items[em_rows], space.latent_index(sample.features[em_rows]))

    def gram(self, weighting, fold: Fold):
        """A fold's training users' statistics for one weighting (its validation users' moments, computed
        here for this weighting only, subtracted)."""
        minus = moments(fold.a_val, fold.m_val, replace(self.stats.spec, weightings=(weighting,)), group_max=0)
        return from_moments(self.stats.moments, weighting, fold.n_train_users, fold.train_feature_users,
                            self.groups, minus=minus)

    def scale(self, x):
        """Revealed rows as the weights expect them (see Model.item_scale)."""
        return pool(x) * self.hp.reveal

    def per_user(self, mode, fns) -> np.ndarray:
        """Validation NDCG@10 of every validation user (folds in order), averaged over reveal draws."""
        parts = []
        for fold, fn in zip(self.folds, fns):
            parts.append(np.mean([ev.evaluate(fn, p, fresh=True, threads=THREADS).per_user["ndcg"] for p in fold.protocols[mode]], axis=0))
        return np.concatenate(parts)

    def ndcg(self, mode, fns) -> float:
        return float(np.mean(self.per_user(mode, fns)))

    def run(self) -> tuple[dict, dict]:
        hp, best = self.hp, {}
        cross_options = (False, True) if self.n_meta > self.n_base else (False,)
        for weighting in self.stats.spec.weightings:
            grams = [self.gram(weighting, f) for f in self.folds]
            scales = [float(np.mean(np.diag(g.xx))) or 1.0 for g in grams]
            params = dict(power=weighting.power, reveal=weighting.reveal)
            items_ndcg, solvers, item_lam_f = {}, {}, {}
            features = self.space.item_features
            lam_fs = hp.item_feature_lambdas if features is not None and features.shape[1] else (None,)
            for lam in hp.items_lambdas:
                solvers[lam] = [linear.ItemSolver(g, lam * s, features, np.float32) for g, s in zip(grams, scales)]
                for lam_f in lam_fs:
                    fns = [self._items_fn(solver.items_fit(lam_f)) for solver in solvers[lam]]
                    ndcg = self.ndcg("items", fns)
                    if ndcg > items_ndcg.get(lam, -1.0):
                        items_ndcg[lam], item_lam_f[lam] = ndcg, lam_f
                    self._keep(best, "items", ndcg, fns, **params, lam=lam, lam_f=lam_f)
                for worse in sorted(solvers, key=items_ndcg.get)[:-2]:     # keep the two best factorisations
                    del solvers[worse]
            if not self.n_meta:
                continue
            meta_ndcg, gms_of = {}, {}
            for crosses in cross_options:
                gms = gms_of[crosses] = [g if crosses else linear.restrict_meta(g, self.n_base) for g in grams]
                for dropout in hp.meta_dropouts:
                    for lam in hp.meta_lambdas:
                        fns = [self._meta_fn(*linear.solve_meta(gm, lam, dropout)) for gm in gms]
                        ndcg = self.ndcg("meta", fns)
                        meta_ndcg[(crosses, dropout, lam)] = ndcg
                        self._keep(best, "meta", ndcg, fns, **params, crosses=crosses, lam=lam, dropout=dropout, rank=0)
            ranks = [r for r in hp.meta_ranks if r > 0]
            for crosses_r in cross_options if ranks else ():
                # reduced rank, with every strength, for each crosses option's best full-rank dropout
                dropout = max((k for k in meta_ndcg if k[0] == crosses_r), key=meta_ndcg.get)[1]
                gms = gms_of[crosses_r]
                roots = [linear.feature_root(gm) for gm in gms]
                for lam in hp.meta_lambdas:
                    fits = [linear.reduce_rank(gm, *linear.solve_meta(gm, lam, dropout), ranks, root)
                            for gm, root in zip(gms, roots)]
                    for r, rank in enumerate(ranks):
                        fns = [self._meta_fn(*fit[r]) for fit in fits]
                        self._keep(best, "meta", self.ndcg("meta", fns), fns, **params, crosses=crosses_r, lam=lam,
                                   dropout=dropout, rank=rank)
            crosses = max(meta_ndcg, key=meta_ndcg.get)[0]
            for lam in sorted(items_ndcg, key=items_ndcg.get)[-2:]:
                for lam_m in hp.both_meta_lambdas:
                    fns = [self._both_fn(solver.both_fit(lam_m, hp.field_dropout, None if crosses else self.n_base,
                                                         item_lam_f[lam])) for solver in solvers[lam]]
                    ndcg = self.ndcg("both", fns)
                    self._keep(best, "both", ndcg, fns, **params, crosses=crosses, lam=lam, lam_meta=lam_m,
                               lam_f=item_lam_f[lam])
            del solvers
        metrics = {f"validation_ndcg@10_{m}": v.pop("ndcg") for m, v in best.items()}
        metrics["validation_users"] = int(sum(len(f.protocols["items"][0].users) for f in self.folds))
        metrics["validation_folds"] = len(self.folds)
        return best, metrics

    def _items_fn(self, fit):
        return lambda x, m: fit.item_scores(self.scale(x)) + fit.bias

    def _meta_fn(self, w, b):
        return lambda x, m: meta_scores(w, m) + b

    def _both_fn(self, fit):
        return lambda x, m: fit.item_scores(self.scale(x)) + meta_scores(fit.meta, m) + fit.bias

    def _keep(self, best, mode, ndcg, fns, **params):
        self.tick()
        if mode not in best or ndcg > best[mode]["ndcg"]:
            best[mode] = dict(params, ndcg=float(ndcg))
            self.best_fn[mode] = fns
