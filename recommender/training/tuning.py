"""Grid search of the dense layout's hyperparameters on a validation split of the training users."""
from __future__ import annotations

import numpy as np

from recommender.evaluation import metrics as ev
from recommender.training import linear
from recommender.data.matrices import meta_scores, one_hot, pool
from recommender.training.gram import gram_stats


def drop_fields(meta_rows: np.ndarray, n_fields: int, crosses, rng, share: float = 0.5) -> np.ndarray:
    """Validation users who leave fields out: each field missing with probability ``share`` (at
    least one kept), crosses missing with either of their fields."""
    out = meta_rows.copy()
    drop = rng.random((len(out), n_fields)) < share
    drop[np.arange(len(out)), rng.integers(0, max(n_fields, 1), len(out))] = False
    out[:, :n_fields][drop] = -1
    for col, c in enumerate(crosses, start=n_fields):
        out[drop[:, c.first] | drop[:, c.second], col] = -1
    return out


class Tuner:
    """Fits every grid point on 80 % of the users and scores it by NDCG@10 on the other 20 %.

    The metadata mode is scored on validation users giving all their fields and again with about
    half of them left out, as site visitors may. Per weighting (power, reveal): the items-mode
    ridge strengths; the metadata-mode strengths and field-dropout rates with
    and without crossed fields; the items+metadata strengths for the two best item strengths, with
    crosses as the metadata mode of that weighting preferred.
    """

    def __init__(self, a, meta_index, n_meta: int, n_base: int, crosses, hp, tick):
        self.hp, self.tick, self.n_meta, self.n_base = hp, tick, n_meta, n_base
        rng = np.random.default_rng(hp.seed)
        eligible = np.flatnonzero(np.diff(a.indptr) >= hp.reveal + 1)
        n_val = min(int(len(eligible) * hp.validation_fraction), hp.max_validation_users)
        self.enough = n_val >= 20
        val = rng.choice(eligible, size=n_val, replace=False) if self.enough else np.zeros(0, dtype=int)
        train = np.setdiff1d(np.arange(a.shape[0]), val)
        self.a_train, self.meta_train = a[train], one_hot(meta_index[train], n_meta)
        self.meta_index_train = meta_index[train]
        self.best_fn = {}  # mode -> validation score function of the best linear fit
        draws = {"items": hp.validation_draws, "meta": 1, "both": hp.validation_draws}
        self.protocols = {m: [ev.make_protocol(a[val], meta_index[val], m, hp.reveal, seed=hp.seed + d)
                              for d in range(n)] for m, n in draws.items()}
        partial = ev.make_protocol(a[val], meta_index[val], "meta", hp.reveal, seed=hp.seed)
        partial.meta_index = drop_fields(partial.meta_index, len(meta_index[0]) - len(crosses), crosses, rng)
        self.protocols["meta"].append(partial)

    def pool(self, x):
        """Revealed rows as the weights expect them (see Model.item_scale)."""
        return pool(x) if self.hp.pooled else pool(x) * self.hp.reveal

    def configs(self) -> list[tuple[float, int, int]]:
        """(user weight power, minimum items per training user, items revealed) to try."""
        return [(p, self.hp.min_items, k) for k in self.hp.train_reveals for p in self.hp.powers]

    def ndcg(self, mode, fn) -> float:
        """Mean validation NDCG@10 over the protocol's reveal draws."""
        return float(np.mean([ev.evaluate(fn, p).mean("ndcg") for p in self.protocols[mode]]))

    def run(self) -> tuple[dict, dict]:
        hp, best = self.hp, {}
        cross_options = (False, True) if self.n_meta > self.n_base else (False,)
        for power, floor, k in self.configs():
            g = gram_stats(self.a_train, self.meta_train, k, power, min_items=floor,
                           small_share=hp.small_reveal_share, pooled=hp.pooled)
            params = dict(power=power, min_items=floor, reveal=k)
            scale_x = float(np.mean(np.diag(g.xx))) or 1.0
            items_ndcg = {}
            for lam in hp.items_lambdas:
                w, b = linear.solve_items(g, lam * scale_x)
                fn = lambda x, m, w=w, b=b: self.pool(x) @ w + b  # noqa: E731
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
                        w = linear.pad_rows(w, self.n_meta)
                        fn = lambda x, m, w=w, b=b: meta_scores(w, m) + b  # noqa: E731
                        ndcg = self.ndcg("meta", fn)
                        meta_ndcg[(crosses, dropout, lam)] = ndcg
                        self._keep(best, "meta", ndcg, fn, **params, crosses=crosses, lam=lam, dropout=dropout)
            crosses = max(meta_ndcg, key=meta_ndcg.get)[0]
            gb = g if crosses else linear.restrict_meta(g, self.n_base)
            for lam in sorted(items_ndcg, key=items_ndcg.get)[-2:]:
                for lam_m in hp.both_meta_lambdas:
                    wx, wm, b = linear.solve_both(gb, lam * scale_x, lam_m, hp.field_dropout)
                    wm = linear.pad_rows(wm, self.n_meta)
                    fn = lambda x, m, wx=wx, wm=wm, b=b: self.pool(x) @ wx + meta_scores(wm, m) + b  # noqa: E731
                    ndcg = self.ndcg("both", fn)
                    self._keep(best, "both", ndcg, fn, **params, crosses=crosses, lam=lam, lam_meta=lam_m)
        metrics = {f"validation_ndcg@10_{m}": v.pop("ndcg") for m, v in best.items()}
        return best, metrics

    def _keep(self, best, mode, ndcg, fn, **params):
        self.tick()
        if mode not in best or ndcg > best[mode]["ndcg"]:
            best[mode] = dict(params, ndcg=float(ndcg))
            self.best_fn[mode] = fn
