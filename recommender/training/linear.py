"""Closed-form ridge solves of the expected "reveal k, predict the rest" loss, one per mode.

All four modes come from the same Gram statistics (recommender.training.gram): the
feature set differs (items only; metadata only; items + metadata; nothing), so
each mode gets the least-squares weights that are best *for the inputs it will
see*. Metadata fields are dropped at random in the objective (each field
missing with probability q, in expectation, as dropout): a request may leave
fields out, and a field then simply adds nothing, while the fields it does
give are weighted to carry the signal of the correlated ones it left out.
"""
from __future__ import annotations

import hashlib
import threading
from dataclasses import replace

import numpy as np
import scipy.sparse as sp

from recommender.training.gram import GramStats


class NumericalError(ArithmeticError):
    """A closed-form solve failed (singular or non-finite system)."""


def _solve(lhs: np.ndarray, rhs: np.ndarray) -> np.ndarray:
    """Solve a ridge system (symmetric positive definite: Cholesky; LU if rounding made it not so)."""
    from scipy.linalg import LinAlgError, solve

    try:
        out = solve(lhs, rhs, assume_a="pos", check_finite=False)
    except LinAlgError:
        try:
            out = np.linalg.solve(lhs, rhs)
        except np.linalg.LinAlgError as exc:
            raise NumericalError(f"ridge system could not be solved ({exc}); increase the regularisation") from exc
    if not np.all(np.isfinite(out)):
        raise NumericalError("ridge solution is not finite; increase the regularisation")
    return out


def _ridge(g: GramStats, blocks: list[str], lams: dict[str, float], target: str) -> dict[str, np.ndarray]:
    """Solve (G_FF + Lambda) W = G_Fy for the feature blocks named in ``blocks`` plus an intercept."""
    all_target = target == "all"
    xx = (g.xx if isinstance(g.xx, np.ndarray) else g.xx.toarray()) if "x" in blocks else None
    rows = {"x": (xx, g.mx.T, g.x1), "m": (g.mx, g.mm, g.m1)}
    rhs_of = {"x": (g.xy if isinstance(g.xy, np.ndarray) else g.xy.toarray()) if "x" in blocks else None,
              "m": g.my_all if all_target else g.my}
    sizes = {"x": g.x1.shape[0], "m": g.mm.shape[0]}
    parts_l, parts_r = [], []
    for b in blocks:
        xrow, mrow, one_col = rows[b]
        cols = [xrow if c == "x" else mrow for c in blocks]
        parts_l.append(np.hstack(cols + [one_col[:, None]]))
        parts_r.append(rhs_of[b])
    last = [g.x1 if c == "x" else g.m1 for c in blocks]
    parts_l.append(np.concatenate(last + [np.array([g.one])])[None, :])
    parts_r.append((g.y1_all if all_target else g.y1)[None, :])
    lhs = np.vstack(parts_l)
    rhs = np.vstack(parts_r)
    penalty = np.concatenate([np.broadcast_to(lams[b], (sizes[b],)) for b in blocks]
                             + [np.array([1e-6 * max(g.one, 1.0)])])
    lhs[np.diag_indices_from(lhs)] += penalty
    sol = _solve(lhs, rhs)
    out, start = {}, 0
    for b in blocks:
        out[b] = sol[start:start + sizes[b]]
        start += sizes[b]
    out["bias"] = sol[start]
    return out


def with_field_dropout(g: GramStats, q: float) -> GramStats:
    """Expected statistics when each metadata field (group) is missing (all-zero) with probability q.

    Two features of different groups survive together with probability (1-q)^2, of the same group
    (e.g. two genres of a multi-valued field, or a feature with itself) with probability 1-q:
    E[m_a m_b] = (1-q)^2 m_a m_b + (1-q) q m_a m_b [same group]. For one-hot fields only the diagonal
    is shared within a group.
    """
    keep = 1.0 - q
    mm = keep * keep * g.mm
    groups = g.groups if g.groups is not None else np.arange(g.mm.shape[0])
    same = groups[:, None] == groups[None, :]
    mm += keep * q * np.where(same, g.mm, 0.0)
    return replace(g, mm=mm, mx=keep * g.mx, my=keep * g.my, m1=keep * g.m1, my_all=keep * g.my_all)


def restrict_meta(g: GramStats, n_keep: int) -> GramStats:
    """The statistics with only the first ``n_keep`` metadata features (single fields, no crosses)."""
    return replace(g, mm=g.mm[:n_keep, :n_keep], mx=g.mx[:n_keep], my=g.my[:n_keep], m1=g.m1[:n_keep],
                   my_all=g.my_all[:n_keep], meta_freq=g.meta_freq[:n_keep],
                   groups=g.groups[:n_keep] if g.groups is not None else None)


def pad_rows(w: np.ndarray, rows: int) -> np.ndarray:
    """Zero rows appended so ``w`` has ``rows`` rows (features a restricted solve left out)."""
    return np.vstack([w, np.zeros((rows - w.shape[0], w.shape[1]), dtype=w.dtype)]) if rows > w.shape[0] else w


def meta_penalty(g: GramStats, lam: float) -> np.ndarray:
    """Ridge penalty on metadata features: lam * sqrt(weight of the feature * mean weight).

    Between a uniform penalty (which shrinks a field of many small buckets much harder than a
    field of two common values) and one proportional to the weight (which leaves rare features,
    such as crosses seen a few times, barely shrunk)."""
    d = np.diag(g.mm)
    return lam * np.sqrt(np.maximum(d, 0.0) * (d.mean() if len(d) else 1.0)) + 1e-9


def solve_none(g: GramStats) -> np.ndarray:
    """Popularity: the weighted share of users holding each item."""
    return g.y1_all / max(g.one, 1e-12)


class ItemSolver:
    """The items and items+metadata modes for one item ridge strength, sharing the costly part.

    Both systems have the block form [[A, C], [C^T, D]] with A = G_xx + lam I over the n items and a
    small block (item-metadata features, user-metadata features, the intercept). Factoring A once and
    applying it to the targets and to C (P = A^-1 G_xy, Q = A^-1 C) leaves, per metadata strength or
    dropout, only the small Schur complement S = D - C^T Q: W_small = S^-1 (B_small - C^T P),
    W_items = P - Q W_small.

    Item metadata (``item_features`` F, items x f, e.g. genres): the revealed items' features z = F^T x
    are inputs too, with weights V (f x n) under their own ridge strength. z is a function of x, so this
    is a prior that lets items sharing a genre share strength; the served item weights are W + F V.
    """

    def __init__(self, g: GramStats, lam_items: float, item_features=None, dtype=np.float64):
        """``dtype``: precision of the n x n factorisation and of P (float32 halves the time and memory
        of the validation grid; the served weights are solved in float64)."""
        from scipy.linalg import cho_factor, cho_solve

        self.g = g
        a = np.array(g.xx if isinstance(g.xx, np.ndarray) else g.xx.toarray(), dtype=dtype)
        self.f = None
        if item_features is not None and item_features.shape[1]:
            f = np.asarray(item_features.toarray() if hasattr(item_features, "toarray") else item_features,
                           dtype=np.float64)
            self.f = f
            self.c_z = np.asarray(a @ f.astype(dtype), dtype=np.float64)   # E[x z^T], before the ridge
        a[np.diag_indices_from(a)] += lam_items
        try:
            factor = cho_factor(a, lower=False, overwrite_a=True, check_finite=True)
        except np.linalg.LinAlgError as exc:
            if dtype != np.float64:                     # too ill-conditioned for single precision
                self.__init__(g, lam_items, item_features)
                return
            raise NumericalError(f"item system could not be factored ({exc}); increase the regularisation") from exc

        def solve(b):
            return cho_solve(factor, np.asarray(b, dtype=dtype), check_finite=False)

        xy = g.xy if isinstance(g.xy, np.ndarray) else g.xy.toarray()
        self.p = np.ascontiguousarray(solve(xy))                 # row-major: sparse rows @ P reads it as is
        self.row_products = {}                                   # revealed rows -> rows @ P (see Factored)
        self.q_one = solve(g.x1)
        self.q_meta = solve(g.mx.T) if g.mx.shape[0] else np.zeros((len(g.x1), 0))
        self.intercept = 1e-6 * max(g.one, 1.0)
        if self.f is not None:
            f = self.f
            self.q_z = solve(self.c_z)
            self.d_zz = f.T @ self.c_z                          # E[z z^T]
            self.z_scale = float(np.mean(np.diag(self.d_zz))) or 1.0
            self.b_z = f.T @ xy                                 # E[z y^T]
            self.z1 = f.T @ g.x1
            self.zm = f.T @ g.mx.T                              # E[z m^T] (before field dropout)

    def items(self, lam_f: float | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Items-only mode: (W (n, n), bias (n,)); ``lam_f`` adds the item-metadata block."""
        fit = self.items_fit(lam_f)
        return fit.item_weights(), fit.bias

    def both(self, lam_meta: float, dropout: float, n_meta: int | None = None, lam_f: float | None = None):
        """Items + metadata mode: (W_items (n, n), W_meta (m, n), bias (n,)); ``n_meta`` keeps only the
        first metadata features (the single fields, without crosses)."""
        fit = self.both_fit(lam_meta, dropout, n_meta, lam_f)
        return fit.item_weights(), fit.meta, fit.bias

    def items_fit(self, lam_f: float | None = None) -> "Factored":
        """The items-only solution in factored form (scoring validation users needs no n x n product)."""
        return self._solve(lam_f, None, 0.0, 0)

    def both_fit(self, lam_meta: float, dropout: float, n_meta: int | None = None,
                 lam_f: float | None = None) -> "Factored":
        g = self.g if n_meta is None else restrict_meta(self.g, n_meta)
        return self._solve(lam_f, g, lam_meta, dropout)

    def _solve(self, lam_f, g_meta, lam_meta, dropout) -> "Factored":
        g = self.g
        use_z = lam_f is not None and self.f is not None
        fz = self.f.shape[1] if use_z else 0
        m = g_meta.mm.shape[0] if g_meta is not None else 0
        keep = 1.0 - dropout
        gd = with_field_dropout(g_meta, dropout) if m else None
        size = fz + m + 1
        c = np.empty((len(g.x1), size))
        q = np.empty_like(c)
        d = np.zeros((size, size))
        b = np.empty((size, g.y1.shape[0]))
        if use_z:
            c[:, :fz], q[:, :fz] = self.c_z, self.q_z
            d[:fz, :fz] = self.d_zz
            d[:fz, :fz][np.diag_indices(fz)] += lam_f * self.z_scale
            b[:fz] = self.b_z
            d[:fz, -1] = d[-1, :fz] = self.z1
        if m:
            sl = slice(fz, fz + m)
            c[:, sl], q[:, sl] = gd.mx.T, keep * self.q_meta[:, :m]
            d[sl, sl] = gd.mm
            d[sl, sl][np.diag_indices(m)] += meta_penalty(g_meta, lam_meta)
            d[sl, -1] = d[-1, sl] = gd.m1
            b[sl] = gd.my
            if use_z:
                d[:fz, sl] = keep * self.zm[:, :m]
                d[sl, :fz] = d[:fz, sl].T
        c[:, -1], q[:, -1] = g.x1, self.q_one
        d[-1, -1] = g.one + self.intercept
        b[-1] = g.y1
        w_small = _solve(d - c.T @ q, b - self._ct_p(c, fz, m, keep))
        return Factored(self, q, w_small, self.f if use_z else None, fz, m)

    def _ct_p(self, c: np.ndarray, fz: int, m: int, keep: float) -> np.ndarray:
        """C^T P, from products with P computed once per solver (C's metadata block is keep * G_mx^T)."""
        if not hasattr(self, "_mx_p"):
            self._mx_p = self.g.mx @ self.p if self.g.mx.shape[0] else np.zeros((0, self.p.shape[1]))
            self._one_p = self.g.x1 @ self.p
            self._z_p = self.c_z.T @ self.p if self.f is not None else None
        parts = [self._z_p] if fz else []
        if m:
            parts.append(keep * self._mx_p[:m])
        parts.append(self._one_p[None, :])
        return np.vstack(parts)


class Factored:
    """One solve of an :class:`ItemSolver`: W_items = P - Q W_small (+ F W_small[:fz] with item
    metadata), W_meta = W_small[fz:fz+m], bias = W_small[-1]. Scores of revealed rows x come as
    x P - (x Q) W_small without forming W_items; x P is computed once per solver and set of rows
    (the validation grid scores the same rows under every metadata strength)."""

    def __init__(self, solver: ItemSolver, q, w_small, f, fz: int, m: int):
        self.p, self.cache, self.q, self.w_small, self.f, self.fz = solver.p, solver.row_products, q, w_small, f, fz
        self.meta, self.bias = w_small[fz:fz + m], w_small[-1]
        self._weights, self._lock = None, threading.Lock()

    def item_weights(self) -> np.ndarray:
        w = self.p - self.q @ self.w_small
        if self.f is not None:
            w += self.f @ self.w_small[:self.fz]                 # served as one item-item matrix
        return w

    def item_scores(self, x) -> np.ndarray:
        """x @ item_weights() for revealed rows x (sparse or dense). Few rows (fewer than half the
        items): x P - (x Q) W_small at the cost of x's rows; many: W_items formed once and kept."""
        if x.shape[0] >= self.p.shape[0] // 2:
            with self._lock:                                      # row blocks may be scored in threads
                if self._weights is None:
                    self._weights = self.item_weights()
            return np.asarray(x @ self._weights)
        out = self._rows_p(x) - np.asarray(x @ self.q) @ self.w_small
        if self.f is not None:
            out += np.asarray(x @ self.f) @ self.w_small[:self.fz]
        return out

    def _rows_p(self, x) -> np.ndarray:
        if not sp.issparse(x):
            return np.asarray(x @ self.p)
        x = x.tocsr()
        key = hashlib.blake2b(b"".join(np.ascontiguousarray(a).tobytes() for a in (x.indptr, x.indices, x.data))
                              + repr(x.shape).encode(), digest_size=16).digest()
        cache = self.cache
        if key not in cache:
            cache[key] = np.asarray(x.astype(self.p.dtype) @ self.p)
        return cache[key]                                  # callers subtract into a new array


def solve_meta(g: GramStats, lam_meta: float, dropout: float) -> tuple[np.ndarray, np.ndarray]:
    """Metadata-only mode (nothing revealed, every item a target): (W (m, n), bias (n,))."""
    sol = _ridge(with_field_dropout(g, dropout), ["m"], {"m": meta_penalty(g, lam_meta)}, target="all")
    return sol["m"], sol["bias"]


def solve_meta_held(g: GramStats, lam_meta: float, dropout: float) -> tuple[np.ndarray, np.ndarray]:
    """Metadata weights for the held items of a revealing user (large-catalogue both mode)."""
    sol = _ridge(with_field_dropout(g, dropout), ["m"], {"m": meta_penalty(g, lam_meta)}, target="held")
    return sol["m"], sol["bias"]


def feature_root(g: GramStats) -> tuple[np.ndarray, np.ndarray]:
    """(mean, R) of the metadata features over the weighted users, with R R^T their covariance."""
    one = g.one or 1.0
    mean = g.m1 / one
    cov = g.mm / one - np.outer(mean, mean)
    vals, vecs = np.linalg.eigh((cov + cov.T) / 2)
    return mean, vecs * np.sqrt(np.maximum(vals, 0.0))


def reduce_rank(g: GramStats, w: np.ndarray, bias: np.ndarray, ranks, root=None) -> list[tuple[np.ndarray, np.ndarray]]:
    """Metadata-only weights whose predictions vary across users in at most ``rank`` item directions,
    for each rank in ``ranks`` (0: ``w`` and ``bias`` unchanged). ``root``: ``feature_root(g)``, when
    several solves share the statistics.

    Reduced-rank ridge regression: the fitted scores' spread over the training users, from the
    statistics (covariance ``W^T C W``, C the metadata features' weighted covariance), has top
    directions V (rank x n items); ``W V^T V`` keeps the prediction's component along them and the
    rest of it becomes the users' mean, so the weights keep their shape (served unchanged). A few
    hundred users cannot pin down a separate demographic effect for every item: tastes that move
    together (older users' classics) are estimated together.
    """
    mean, r = root if root is not None else feature_root(g)
    z = r.T @ w                                               # z^T z = W^T C W
    top = min(max(ranks, default=0), min(w.shape) - 1)
    v_all = _top_right_vectors(z, top) if top > 0 else np.zeros((0, w.shape[1]))
    mu = mean @ w + bias                                      # the mean prediction
    out = []
    for rank in ranks:
        v = v_all[:rank]
        if rank <= 0 or rank >= min(w.shape) or len(v) < rank:
            out.append((w, bias))
            continue
        out.append(((w @ v.T) @ v, mu - ((mu - bias) @ v.T) @ v))
    return out


def _top_right_vectors(z: np.ndarray, k: int) -> np.ndarray:
    """The top ``k`` right singular vectors of z (k x columns) with a nonzero singular value. Exact
    for a small z; for a large one (thousands of features) a seeded randomised range finder with
    power iterations (Halko et al. 2011), deterministic for the same z."""
    rows, cols = z.shape
    if min(rows, cols) <= 8 * k + 64:
        small = z @ z.T if rows <= cols else z.T @ z
        vals, vecs = np.linalg.eigh(small)
        order = np.argsort(vals)[::-1][:k]
        vals, vecs = vals[order], vecs[:, order]
        vecs = vecs[:, vals > vals[0] * 1e-12] if len(vals) and vals[0] > 0 else vecs[:, :0]
        if rows > cols:
            return vecs.T
        v = vecs.T @ z
        return v / np.linalg.norm(v, axis=1, keepdims=True)
    omega = np.random.default_rng(0).standard_normal((cols, k + 16))
    q = np.linalg.qr(z @ omega)[0]
    for _ in range(3):
        q = np.linalg.qr(z @ np.linalg.qr(z.T @ q)[0])[0]
    _, s, vt = np.linalg.svd(q.T @ z, full_matrices=False)
    return vt[:k][s[:k] > s[0] * 1e-6] if len(s) and s[0] > 0 else vt[:0]
