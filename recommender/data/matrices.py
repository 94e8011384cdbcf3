"""Sparse matrices built from a dataset's index arrays, shared by training and evaluation."""
from __future__ import annotations

import numpy as np
import scipy.sparse as sp


def user_item_matrix(inter_user: np.ndarray, inter_item: np.ndarray, n_users: int, n_items: int) -> sp.csr_matrix:
    """Binary users x items matrix (duplicates collapse to 1)."""
    data = np.ones(len(inter_user), dtype=np.float64)
    a = sp.csr_matrix((data, (inter_user, inter_item)), shape=(n_users, n_items))
    a.sum_duplicates()
    a.data[:] = 1.0
    return a


def one_hot(meta_index: np.ndarray, n_features: int) -> sp.csr_matrix:
    """Sparse users x features one-hot matrix from an (n_users, n_fields) index array (-1 = missing)."""
    rows, cols = np.nonzero(meta_index >= 0)
    feats = meta_index[rows, cols]
    return sp.csr_matrix((np.ones(len(rows)), (rows, feats)), shape=(meta_index.shape[0], n_features))


def pool(revealed: sp.csr_matrix) -> sp.csr_matrix:
    """Revealed-item rows scaled to sum to one (the pooled input the weights were fitted for)."""
    counts = np.asarray(revealed.sum(axis=1)).ravel()
    return sp.diags(1.0 / np.maximum(counts, 1.0)) @ revealed


def indicators(rows: np.ndarray, cols: np.ndarray, shape: tuple[int, int]) -> sp.csr_matrix:
    """A binary csr matrix with ones at (rows, cols) (duplicates count once)."""
    m = sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=shape)
    m.sum_duplicates()
    m.data[:] = 1.0
    return m


def meta_scores(w_meta: np.ndarray, meta: sp.csr_matrix) -> np.ndarray:
    """Sum of the active metadata features' weight rows per user (float64), (users, n)."""
    return np.asarray(meta[:, :w_meta.shape[0]] @ np.asarray(w_meta, dtype=np.float64))
