"""Expected Gram matrices of the "reveal k items, predict the rest" training objective.

For a user holding the item set S (size s) we reveal k = min(reveal, s - 1) items
chosen uniformly at random and ask the model to score the s - k others. The input
is x = [revealed item indicators, metadata one-hots, 1] and the target y the held
item indicators. The expected squared loss over all reveals,
``E || y - x W ||^2``, depends on the data only through E[x x^T] and E[x y^T],
which have closed forms (i != j both in S):

    E[x_i x_j] = k(k-1) / (s(s-1)),   E[x_i^2] = k / s,
    E[x_i y_j] = k(s-k) / (s(s-1)),   E[x_i y_i] = 0,   E[y_j] = (s-k) / s.

So the model never learns to predict an item from itself: the same effect as the
zero-diagonal constraint of EASE (Steck 2019) and the emphasized dropout of
EDLAE (Steck 2020, "Autoencoders that don't overfit towards the Identity"),
with the dropout rate matched exactly to the serving protocol for each user.
Users are weighted by s ** -power (tuned). The statistics step
(recommender.training.statistics) sums these terms over users once per weighting;
:func:`from_moments` assembles them.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp


@dataclass
class GramStats:
    """Sufficient statistics of the expected loss. n items, m metadata features.

    Attributes
    ----------
    xx : ndarray or csr_matrix, (n, n)    E[x_items x_items^T]
    xy : ndarray or csr_matrix, (n, n)    E[x_items y^T]
    x1 : ndarray (n,)                      E[x_items]
    y1 : ndarray (n,)                      E[y] (held items)
    mm : ndarray (m, m)                    metadata Gram
    mx : ndarray (m, n)                    E[meta x_items^T]
    my : ndarray (m, n)                    E[meta y^T]
    m1 : ndarray (m,)
    one : float                            total user weight
    my_all, y1_all : ndarray              targets when nothing is revealed (metadata-only mode)
    meta_freq : ndarray (m,)              unweighted share of users with each feature
    groups : ndarray (m,) or None         dropout group of each feature (its field or cross)
    """

    xx: object
    xy: object
    x1: np.ndarray
    y1: np.ndarray
    mm: np.ndarray
    mx: np.ndarray
    my: np.ndarray
    m1: np.ndarray
    one: float
    my_all: np.ndarray
    y1_all: np.ndarray
    meta_freq: np.ndarray
    groups: np.ndarray | None = None


def from_moments(moments: dict, weighting, n_users: int, feature_users: np.ndarray, groups: np.ndarray,
                 minus: dict | None = None) -> GramStats:
    """The expected Gram matrices of one weighting from the statistics' moments
    (recommender.training.statistics), optionally minus another set of users' moments
    (the validation users, to fit on the others)."""
    key = weighting.key

    def get(block: str, kind: str):
        value = moments[f"{block}/{key}/{kind}"]
        return value - minus[f"{block}/{key}/{kind}"] if minus is not None else value

    xx, xy = get("aa", "pair"), get("aa", "xy")
    diag_xx = get("a", "sq") - get("a", "pair")
    diag_xy = get("a", "xy")
    if sp.issparse(xx):
        xx = (xx + sp.diags(diag_xx)).tocsr()
        xy = (xy - sp.diags(diag_xy)).tocsr()
        xy.eliminate_zeros()
    else:
        xx = np.array(xx, dtype=np.float64)
        xy = np.array(xy, dtype=np.float64)
        xx[np.diag_indices_from(xx)] += diag_xx
        xy[np.diag_indices_from(xy)] -= diag_xy
    return GramStats(xx=xx, xy=xy, x1=get("a", "x"), y1=get("a", "y"), mm=get("mm", "one"), mx=get("ma", "x"),
                     my=get("ma", "y"), m1=get("m", "one"), one=float(get("t", "one")), my_all=get("ma", "one"),
                     y1_all=get("a", "one"), meta_freq=np.asarray(feature_users, dtype=np.float64) / max(n_users, 1),
                     groups=groups)
