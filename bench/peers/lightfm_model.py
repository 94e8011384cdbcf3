"""LightFM (Kula 2015) with the WARP loss, on items alone or with user features.

LightFM represents a user as the sum of the embeddings of the user's features. Without user
features each training user is one identity feature. With them (``features=True``) a user row holds
the user's metadata one-hots, plus the identity feature when ``identity=True`` (LightFM's default
layout, identity + features), normalised to sum to one as ``lightfm.data.Dataset`` does.

A held-out user has no identity feature. Its prior vector is the mean training-user vector, with
the metadata part replaced by the user's own features when they are revealed; when items are
revealed, the vector is refined by WARP SGD from that prior and regularised toward it
(bench/peers/foldin.py).
"""
from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from bench.peers.base import Peer, meta_one_hot
from bench.peers.foldin import fold_in


def _rows_sum_to_one(x: sp.csr_matrix) -> sp.csr_matrix:
    sums = np.asarray(x.sum(axis=1)).ravel()
    return sp.diags(1.0 / np.maximum(sums, 1e-12)) @ x


class LightFMWarp(Peer):
    """x_ui = (sum of the user's feature embeddings) . v_i + b_i, learnt with WARP (LightFM's adagrad)."""

    uses = frozenset({"items"})
    scoring_params = ("fold_epochs", "fold_lr", "fold_reg")

    def __init__(self, features: bool = False, identity: bool = True, components: int = 64, epochs: int = 30,
                 learning_rate: float = 0.05, alpha: float = 1e-3, fold_epochs: int = 60, fold_lr: float = 0.002,
                 fold_reg: float = 0.3):
        self.features, self.identity = features, identity or not features
        self.params = dict(no_components=components, learning_rate=learning_rate, item_alpha=alpha,
                           user_alpha=alpha, loss="warp", random_state=0)
        self.epochs = epochs
        self.fold_epochs, self.fold_lr, self.fold_reg = fold_epochs, fold_lr, fold_reg
        self.name = "LightFM+feat" if features else "LightFM"
        if features:
            self.uses = frozenset({"items", "meta"})

    def _user_rows(self, meta, n_users: int) -> sp.csr_matrix:
        parts = [sp.identity(n_users, format="csr")] if self.identity else []
        if self.features:
            parts.append(meta_one_hot(meta, self.n_meta))
        return _rows_sum_to_one(sp.hstack(parts, format="csr"))

    def fit(self, a, meta, n_meta):
        from lightfm import LightFM

        self.n_meta = n_meta
        self.model_ = LightFM(**self.params)
        uf = self._user_rows(meta, a.shape[0]) if self.features else None
        self.model_.fit(a.tocoo(), user_features=uf, epochs=self.epochs, num_threads=2)
        self.v_ = np.asarray(self.model_.item_embeddings, dtype=np.float64)
        self.bias_ = np.asarray(self.model_.item_biases, dtype=np.float64)
        emb = np.asarray(self.model_.user_embeddings, dtype=np.float64)
        users = (uf if uf is not None else sp.identity(a.shape[0], format="csr")) @ emb
        self.mean_user_ = users.mean(axis=0)
        if self.features:
            n = a.shape[0] if self.identity else 0
            self.meta_emb_ = emb[n:]
            self.identity_share_ = (uf[:, :n] @ emb[:n]).mean(axis=0) if n else np.zeros(emb.shape[1])
        return self

    def _prior(self, n_users: int, meta_rows) -> np.ndarray:
        if not self.features or meta_rows is None:
            return np.tile(self.mean_user_, (n_users, 1))
        x = meta_one_hot(meta_rows, self.n_meta)
        counts = np.asarray(x.sum(axis=1)).ravel() + (1.0 if self.identity else 0.0)
        own = np.asarray((sp.diags(1.0 / np.maximum(counts, 1.0)) @ x) @ self.meta_emb_)
        return own + self.identity_share_

    def score(self, revealed, meta_rows):
        u = self._prior(revealed.shape[0], meta_rows)
        if revealed.nnz:
            u = fold_in(self.v_, self.bias_, revealed, u, self.fold_epochs, self.fold_lr, self.fold_reg, loss="warp")
        return u @ self.v_.T + self.bias_
