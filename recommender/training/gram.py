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
Users are weighted by s ** -power (tuned). The number of revealed items can be
a mixture (mostly ``reveal``, some fewer) so a request with 2 chosen items is
not scored as if 5 were chosen.
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


def gram_stats(a: sp.csr_matrix, meta: sp.csr_matrix, reveal: int, power: float, dense: bool = True,
               min_items: int = 1, small_share: float = 0.0, pooled: bool = True) -> GramStats:
    """Expected Gram matrices for users ``a`` (users x n) with metadata ``meta`` (users x m).

    Parameters
    ----------
    reveal : int
        Items revealed per user in the objective (the site sends 5).
    power : float
        Users weigh s ** -power (0: every held item counts the same).
    small_share : float
        Share of reveals drawn with fewer items (1 .. reveal - 1, equally likely), so requests
        with fewer chosen items are scored on the right scale too.
    pooled : bool
        Inputs are the mean of the revealed items' indicators (x / k), so a request's item
        contributions are averaged, not summed, and keep their scale whatever k is.
    min_items : int
        Users holding fewer items get no weight (the items blocks then describe only users like
        the ones who reveal ``reveal`` items and hold more).
    dense : bool
        Return the item-item blocks as dense arrays (False keeps them sparse for large catalogues).
    """
    s = np.asarray(a.sum(axis=1)).ravel()
    w = np.where((s > 0) & (s >= min_items), np.maximum(s, 1.0) ** -power, 0.0)
    counts = {reveal: 1.0 - small_share} if reveal > 1 and small_share > 0 else {reveal: 1.0}
    if reveal > 1 and small_share > 0:
        counts.update({c: small_share / (reveal - 1) for c in range(1, reveal)})
    # per-user coefficients of E[x], E[x_i^2], E[x_i x_j], E[x_i y_j], E[y] for pooled inputs x / k
    c_x, c_sq, c_pair, c_xy, c_y = (np.zeros_like(s) for _ in range(5))
    with np.errstate(divide="ignore", invalid="ignore"):
        for count, share in counts.items():
            k = np.minimum(count, np.maximum(s - 1, 0))
            f = 1.0 / np.maximum(k, 1) if pooled else np.ones_like(s)
            c_x += share * f * np.where(s > 0, k / s, 0.0)
            c_sq += share * f * f * np.where(s > 0, k / s, 0.0)
            c_pair += share * f * f * np.where(s > 1, k * (k - 1) / (s * (s - 1)), 0.0)
            c_xy += share * f * np.where(s > 1, k * (s - k) / (s * (s - 1)), 0.0)
            c_y += share * np.where(s > 0, (s - k) / s, 0.0)
    at = a.T.tocsr()
    xx = at @ sp.diags(w * c_pair) @ a
    xy = at @ sp.diags(w * c_xy) @ a
    diag_xx = at @ (w * (c_sq - c_pair))
    diag_xy = at @ (w * c_xy)
    if dense:
        xx = xx.toarray()
        xy = xy.toarray()
        xx[np.diag_indices_from(xx)] += diag_xx
        xy[np.diag_indices_from(xy)] -= diag_xy
    else:
        xx = (xx + sp.diags(diag_xx)).tocsr()
        xy = (xy - sp.diags(diag_xy)).tocsr()
        xy.eliminate_zeros()
    mt = meta.T.tocsr()
    n_users = max(a.shape[0], 1)
    return GramStats(
        xx=xx, xy=xy, x1=at @ (w * c_x), y1=at @ (w * c_y),
        mm=(mt @ sp.diags(w) @ meta).toarray(), mx=(mt @ sp.diags(w * c_x) @ a).toarray(),
        my=(mt @ sp.diags(w * c_y) @ a).toarray(), m1=mt @ w, one=float(w.sum()),
        my_all=(mt @ sp.diags(w) @ a).toarray(), y1_all=at @ w,
        meta_freq=np.asarray(meta.sum(axis=0)).ravel() / n_users,
    )
