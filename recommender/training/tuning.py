"""Grid search of the dense layout's hyperparameters on validation users, from the statistics alone.

The validation users are the statistics' sample's first eligible users (by rank); their moments are
subtracted from the totals, so every grid point is fitted on the other users and scored by
NDCG@10 on them under the site's protocol.
"""
from __future__ import annotations

import numpy as np

from recommender.data.matrices import meta_scores, pool
from recommender.evaluation import metrics as ev
from recommender.training import linear
from recommender.training.gram import from_moments
from recommender.training.space import FeatureSpace, drop_fields
from recommender.training.statistics import Statistics, moments


class Tuner:
    """Fits every grid point on the training users and scores it on the validation users.

    The metadata mode is scored on validation users giving all their fields and again with about
    half of them left out, as site visitors may. Per weighting (power, reveal): the items-mode
    ridge strengths; the metadata-mode strengths and field-dropout rates with and without crossed
    fields; the items+metadata strengths for the two best item strengths, with crosses as the
    metadata mode of that weighting preferred.
    """

    def __init__(self, stats: Statistics, space: FeatureSpace, hp, tick):
        self.stats, self.space, self.hp, self.tick = stats, space, hp, tick
        self.n_meta, self.n_base, self.groups = space.n_features, space.n_base, space.groups()
        sample = stats.sample
        sizes = np.diff(sample.items.indptr)
        eligible = np.flatnonzero(sizes >= hp.reveal + 1)
        n_val = min(int(stats.n_eligible * hp.validation_fraction), hp.max_validation_users, len(eligible))
        self.enough = n_val >= 20
        val = eligible[:n_val] if self.enough else np.zeros(0, dtype=np.int64)
        a_val, m_val = sample.items[val], sample.features[val]
        self.minus = moments(a_val, m_val, stats.spec) if self.enough else None
        self.n_train_users = stats.n_users - len(val)
        self.train_feature_users = stats.feature_users - np.asarray(m_val.sum(axis=0)).ravel()
        em_rows = np.setdiff1d(np.arange(min(len(sample.ranks), stats.spec.sample_users)), val)
        self.a_em, self.meta_em = sample.items[em_rows], space.latent_index(sample.features[em_rows])
        self.best_fn = {}  # mode -> validation score function of the best linear fit
        draws = {"items": hp.validation_draws, "meta": 1, "both": hp.validation_draws}
        self.protocols = {m: [ev.make_protocol(a_val, m_val, m, hp.reveal, seed=hp.seed + d) for d in range(n)]
                          for m, n in draws.items()}
        partial = ev.make_protocol(a_val, m_val, "meta", hp.reveal, seed=hp.seed)
        partial.meta = drop_fields(partial.meta, space.parents(), space.n_fields, np.random.default_rng(hp.seed))
        self.protocols["meta"].append(partial)

    def gram(self, weighting):
        """The training users' statistics for one weighting (validation users subtracted)."""
        return from_moments(self.stats.moments, weighting, self.n_train_users, self.train_feature_users,
                            self.groups, minus=self.minus)

    def scale(self, x):
        """Revealed rows as the weights expect them (see Model.item_scale)."""
        return pool(x) * self.hp.reveal

    def ndcg(self, mode, fn) -> float:
        """Mean validation NDCG@10 over the protocol's reveal draws."""
        return float(np.mean([ev.evaluate(fn, p).mean("ndcg") for p in self.protocols[mode]]))

    def run(self) -> tuple[dict, dict]:
        hp, best = self.hp, {}
        cross_options = (False, True) if self.n_meta > self.n_base else (False,)
        for weighting in self.stats.spec.weightings:
            g = self.gram(weighting)
            params = dict(power=weighting.power, reveal=weighting.reveal)
            scale_x = float(np.mean(np.diag(g.xx))) or 1.0
            items_ndcg, solvers = {}, {}
            for lam in hp.items_lambdas:
                solvers[lam] = linear.ItemSolver(g, lam * scale_x)
                w, b = solvers[lam].items()
                fn = lambda x, m, w=w, b=b: self.scale(x) @ w + b  # noqa: E731
                items_ndcg[lam] = self.ndcg("items", fn)
                self._keep(best, "items", items_ndcg[lam], fn, **params, lam=lam)
            if not self.n_meta:
                continue
            meta_ndcg = {}
            for crosses in cross_options:
                gm = g if crosses else linear.restrict_meta(g, self.n_base)
                for dropout in hp.meta_dropouts:
                    for lam in hp.meta_lambdas:
                        w, b = linear.solve_meta(gm, lam, dropout)
                        fn = lambda x, m, w=w, b=b: meta_scores(w, m) + b  # noqa: E731
                        ndcg = self.ndcg("meta", fn)
                        meta_ndcg[(crosses, dropout, lam)] = ndcg
                        self._keep(best, "meta", ndcg, fn, **params, crosses=crosses, lam=lam, dropout=dropout)
            crosses = max(meta_ndcg, key=meta_ndcg.get)[0]
            for lam in sorted(items_ndcg, key=items_ndcg.get)[-2:]:
                for lam_m in hp.both_meta_lambdas:
                    wx, wm, b = solvers[lam].both(lam_m, hp.field_dropout, None if crosses else self.n_base)
                    fn = lambda x, m, wx=wx, wm=wm, b=b: self.scale(x) @ wx + meta_scores(wm, m) + b  # noqa: E731
                    ndcg = self.ndcg("both", fn)
                    self._keep(best, "both", ndcg, fn, **params, crosses=crosses, lam=lam, lam_meta=lam_m)
            del solvers
        metrics = {f"validation_ndcg@10_{m}": v.pop("ndcg") for m, v in best.items()}
        return best, metrics

    def _keep(self, best, mode, ndcg, fn, **params):
        self.tick()
        if mode not in best or ndcg > best[mode]["ndcg"]:
            best[mode] = dict(params, ndcg=float(ndcg))
            self.best_fn[mode] = fn
