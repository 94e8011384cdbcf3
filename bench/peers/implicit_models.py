"""implicit's factor models: ALS (Hu, Koren & Volinsky 2008) and BPR (Rendle et al. 2009).

A held-out user is unseen in training, so each model folds the user in with its item factors fixed,
the way its authors provide or would: ALS solves the user's weighted least squares exactly
(implicit's ``recalculate_user``, with the model's regularisation and confidence alpha); BPR runs
its own SGD over the revealed items (bench/peers/foldin.py) from the mean training-user vector,
regularised toward it, negatives drawn uniformly as in Rendle's LearnBPR (implicit draws them in
proportion to popularity in training; for the fold-in, uniform negatives won on validation users by
about 0.015 NDCG@10 on MovieLens).
"""
from __future__ import annotations

import numpy as np

from bench.peers.base import Peer
from bench.peers.foldin import fold_in


class ALS(Peer):
    """Weighted matrix factorisation, confidence 1 + alpha on held items, regularisation lambda."""

    name = "ALS"
    uses = frozenset({"items"})

    def __init__(self, factors: int = 64, regularization: float = 0.05, alpha: float = 2.0, iterations: int = 15):
        self.params = dict(factors=factors, regularization=regularization, alpha=alpha, iterations=iterations)

    def fit(self, a, meta, n_meta):
        from implicit.cpu.als import AlternatingLeastSquares

        self.model_ = AlternatingLeastSquares(**self.params, random_state=0)
        self.model_.fit(a.astype(np.float32), show_progress=False)
        self.pop_ = np.asarray(a.sum(axis=0)).ravel() / max(a.shape[0], 1)
        return self

    def score(self, revealed, meta_rows):
        if revealed.nnz == 0:
            return np.tile(self.pop_, (revealed.shape[0], 1))
        users = self.model_.recalculate_user(np.arange(revealed.shape[0]), revealed.astype(np.float32).tocsr())
        return np.asarray(users, dtype=np.float64) @ np.asarray(self.model_.item_factors, dtype=np.float64).T


class BPR(Peer):
    """x_ui = u . v_i + b_i learnt by SGD on -log sigmoid(x_ui - x_uj) + regularisation (implicit's BPR).

    Fold-in hyperparameters (scoring time): ``fold_epochs`` passes over the revealed items at rate
    ``fold_lr``, pulled toward the mean training-user vector with strength ``fold_reg``.
    """

    name = "BPR"
    uses = frozenset({"items"})
    scoring_params = ("fold_epochs", "fold_lr", "fold_reg")

    def __init__(self, factors: int = 64, learning_rate: float = 0.01, regularization: float = 0.01,
                 iterations: int = 100, fold_epochs: int = 100, fold_lr: float = 0.02, fold_reg: float = 0.03):
        self.params = dict(factors=factors, learning_rate=learning_rate, regularization=regularization,
                           iterations=iterations)
        self.fold_epochs, self.fold_lr, self.fold_reg = fold_epochs, fold_lr, fold_reg

    def fit(self, a, meta, n_meta):
        from implicit.cpu.bpr import BayesianPersonalizedRanking

        model = BayesianPersonalizedRanking(**self.params, random_state=0)
        model.fit(a.astype(np.float32), show_progress=False)
        self.v_ = np.asarray(model.item_factors, dtype=np.float64)      # last column: item bias
        self.mean_user_ = np.asarray(model.user_factors, dtype=np.float64).mean(axis=0)   # last coordinate 1
        return self

    def score(self, revealed, meta_rows):
        u = fold_in(self.v_, np.zeros(len(self.v_)), revealed, self.mean_user_, self.fold_epochs, self.fold_lr,
                    self.fold_reg, loss="bpr", frozen=self.v_.shape[1] - 1)
        return u @ self.v_.T
