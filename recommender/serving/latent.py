"""Latent-class scorer (serving side, numpy only): a mixture of Bernoullis over items and fields.

Users belong to one of Z hidden classes; given the class, each item is held
independently with probability ``theta[z, j]`` and each metadata field takes a
value with probability ``phi[z, feature]``. A request's chosen items and given
fields update the class posterior, and every item scores

    P(j | observed) = sum_z P(z | observed) theta[z, j].

That is the form of the bank data's generator (a finite persona mixture), and
MovieLens taste is clustered too; the linear scorer cannot express it (a
product of item likelihoods), so each mode blends the two,
``(1 - alpha) * linear + alpha * latent``, with alpha chosen on validation
users (recommender.training.latent_fit).
"""
from __future__ import annotations

import numpy as np

ARRAYS = ("lc_log_prior", "lc_log_item", "lc_item", "lc_log_meta")
SELECTION_MAX_ITEMS = 200   # larger catalogues use the plug-in approximation in selected_scores


def posterior_scores(arrays: dict, item_idx, meta_feats) -> np.ndarray:
    """P(item | chosen items, given fields) for one request, shape (n,).

    Parameters
    ----------
    arrays : dict
        The model arrays holding ``lc_log_prior`` (Z,), ``lc_log_item`` (Z, n), ``lc_item`` (Z, n)
        and ``lc_log_meta`` (Z, m_base).
    item_idx : list of int
        Chosen items.
    meta_feats : list of int
        Single-field metadata features (indices below m_base; crosses are ignored).
    """
    log_post = _request_log_evidence(arrays, item_idx, meta_feats)
    post = np.exp(log_post - log_post.max())
    post /= post.sum()
    return (post.astype(np.float32) @ arrays["lc_item"]).astype(np.float32)


def _count_weights(chosen: np.ndarray, size: int, offset: int) -> np.ndarray:
    """w[u, m] = 1 / C(c_u + offset + m, c_u): the chance that a user holding c_u + offset + m items
    revealed one given set of c_u of them. (users, size)."""
    m = np.arange(size, dtype=np.float64)[None, :] + offset
    out = np.ones((len(chosen), size))
    for t in range(1, int(chosen.max(initial=0)) + 1):       # C(c + m, c) = prod_{t <= c} (m + t) / t
        out *= np.where(chosen[:, None] >= t, t / (m + t), 1.0)
    return out


def selected_scores(arrays: dict, item_idx, meta_feats, max_count: int = 16) -> np.ndarray:
    """P(item held | the chosen items are a uniformly random subset of a user holding more), (n,).

    When a visitor picks c of the items they hold, a class whose users hold many items makes any one
    c-subset less likely to be the one picked: the evidence is prod_i theta[z, i] * E_z[1 / C(c + M, c)]
    with M >= 1 the number of other items held (a Poisson-binomial count, computed exactly by dynamic
    programming, truncated at ``max_count``). Each other item j scores
    sum_z P(z | ...) theta[z, j] E_z[1 / C(c + 1 + M_-j, c)] / E_z[1 / C(c + M, c)].
    That costs O(n * Z * max_count^2); catalogues above SELECTION_MAX_ITEMS use the plug-in
    E_z[1 / C(c + M, c)] ~ 1 / C(c + E_z[M], c), where the item factor is ~1 (see :func:`_plug_in_rows`).
    """
    n = arrays["lc_item"].shape[1]
    if not len(item_idx):
        return posterior_scores(arrays, item_idx, meta_feats)
    revealed = np.zeros((1, n))
    revealed[0, list(item_idx)] = 1.0
    n_base = arrays["lc_log_meta"].shape[1]
    meta = np.array([[f for f in meta_feats if 0 <= f < n_base] or [-1]])
    if n > SELECTION_MAX_ITEMS:                     # plug-in, without dense conversions (serving path)
        theta = arrays["lc_item"]
        log_post = _request_log_evidence(arrays, item_idx, meta_feats)
        others = theta.sum(axis=1, dtype=np.float64) - theta[:, item_idx].sum(axis=1, dtype=np.float64)
        for t in range(1, len(item_idx) + 1):
            log_post -= np.log((others + t) / t)
        post = np.exp(log_post - log_post.max())
        out = (post / post.sum()).astype(np.float32) @ theta
        out[list(item_idx)] = 0.0
        return out.astype(np.float32)
    others = np.flatnonzero(revealed[0] == 0)        # the dynamic programme runs over the others only
    rows = _selected_rows(arrays["lc_item"][:, others].astype(np.float64), np.zeros((1, len(others))),
                          _request_log_evidence(arrays, item_idx, meta_feats)[None, :],
                          np.array([len(item_idx)]), max_count)
    out = np.zeros(n, dtype=np.float32)
    out[others] = rows[0]
    return out


def _request_log_evidence(arrays: dict, item_idx, meta_feats) -> np.ndarray:
    """log P(z) + the chosen items' and given single-field features' log-likelihoods, (Z,)."""
    log_post = arrays["lc_log_prior"].astype(np.float64)
    if len(item_idx):
        log_post = log_post + arrays["lc_log_item"][:, list(item_idx)].sum(axis=1, dtype=np.float64)
    n_base = arrays["lc_log_meta"].shape[1]
    feats = [f for f in meta_feats if 0 <= f < n_base]
    if feats:
        log_post = log_post + arrays["lc_log_meta"][:, feats].sum(axis=1, dtype=np.float64)
    return log_post


def contributions(arrays: dict, item_idx, meta_feats, targets) -> tuple[np.ndarray, np.ndarray]:
    """What each chosen item and each given feature adds to the plain posterior score of the
    ``targets`` items: P(j | all inputs) - P(j | all but that one). Returns ((c, t), (f, t));
    features the latent part does not use (crosses) add 0."""
    theta = arrays["lc_item"][:, list(targets)].astype(np.float64)        # (Z, t)
    full = _request_log_evidence(arrays, item_idx, meta_feats)
    n_base = arrays["lc_log_meta"].shape[1]

    def score(log_post):
        post = np.exp(log_post - log_post.max())
        return (post / post.sum()) @ theta

    base = score(full)
    items = [base - score(full - arrays["lc_log_item"][:, i]) for i in item_idx]
    feats = [base - score(full - arrays["lc_log_meta"][:, f]) if 0 <= f < n_base else np.zeros(len(targets))
             for f in meta_feats]
    t = len(targets)
    return np.array(items).reshape(len(item_idx), t), np.array(feats).reshape(len(meta_feats), t)


def _plug_in_rows(arrays: dict, revealed: np.ndarray, meta_rows, max_count: int = 0) -> np.ndarray:
    """Large-catalogue :func:`selected_scores`: each class's evidence divided by C(c + m_z, c), m_z the
    expected number of other items its users hold; items score sum_z P(z | ...) theta[z, j]."""
    theta = arrays["lc_item"].astype(np.float64)
    chosen = np.asarray(revealed.sum(axis=1)).ravel()
    others = theta.sum(axis=1)[None, :] - np.asarray(revealed @ theta.T)      # (U, Z)
    log_post = _log_evidence(arrays, revealed, meta_rows)
    for t in range(1, int(chosen.max(initial=0)) + 1):                        # log C(c + m, c)
        log_post -= np.where(chosen[:, None] >= t, np.log((others + t) / t), 0.0)
    post = np.exp(log_post - log_post.max(axis=1, keepdims=True))
    post /= post.sum(axis=1, keepdims=True)
    return (post @ theta) * (np.asarray(revealed) == 0)


def _selected_rows(theta: np.ndarray, revealed: np.ndarray, log_post: np.ndarray, chosen: np.ndarray,
                   max_count: int) -> np.ndarray:
    """:func:`selected_scores` for the rows of a dense users x items indicator matrix: ``theta`` (Z, n),
    ``log_post`` (U, Z) the class evidence of each row's inputs, ``chosen`` (U,) how many items each
    row chose (at least one; ``revealed`` may leave them out of its columns)."""
    n_classes, n = theta.shape
    t = theta[None, :, :] * (revealed[:, None, :] == 0)                        # others only, (U, Z, n)
    size = min(n, max_count) + 1
    prefix = np.zeros((n + 1, len(chosen), n_classes, size))                  # count among items < j
    suffix = np.zeros((n + 1, len(chosen), n_classes, size))                  # count among items >= j
    prefix[0, ..., 0] = suffix[n, ..., 0] = 1.0
    for j in range(n):
        p = t[:, :, j, None]
        prefix[j + 1] = prefix[j] * (1 - p)
        prefix[j + 1, ..., 1:] += prefix[j, ..., :-1] * p
        q = t[:, :, n - 1 - j, None]
        suffix[n - 1 - j] = suffix[n - j] * (1 - q)
        suffix[n - 1 - j, ..., 1:] += suffix[n - j, ..., :-1] * q
    w_all = _count_weights(chosen, size, 0)
    w_all[:, 0] = 0.0                                                          # holds at least one more
    evidence = np.maximum((suffix[0] * w_all[:, None, :]).sum(axis=2), 1e-300)
    w_one = _count_weights(chosen, 2 * size - 1, 1)
    hankel = w_one[:, np.arange(size)[:, None] + np.arange(size)[None, :]]    # (U, size, size)
    leave_out = ((prefix[:-1] @ hankel[None]) * suffix[1:]).sum(axis=3)         # (n, U, Z)
    log_post = log_post + np.log(evidence)
    post = np.exp(log_post - log_post.max(axis=1, keepdims=True))
    post /= post.sum(axis=1, keepdims=True)
    weighted = leave_out.transpose(1, 2, 0) * theta[None, :, :]              # (U, Z, n)
    return np.matmul((post / evidence)[:, None, :], weighted)[:, 0, :] * (revealed == 0)


def _log_evidence(arrays: dict, revealed: np.ndarray, meta_rows) -> np.ndarray:
    """log P(z) + sum of the chosen items' and given fields' log-likelihoods, (users, Z).

    ``meta_rows`` is a users x features indicator matrix (sparse or dense) or None; features beyond
    the latent part's (crosses) add nothing."""
    log_post = np.asarray(revealed @ arrays["lc_log_item"].astype(np.float64).T)
    log_post = log_post + arrays["lc_log_prior"].astype(np.float64)[None, :]
    log_meta = arrays["lc_log_meta"].astype(np.float64)
    if meta_rows is not None and log_meta.shape[1]:
        log_post = log_post + np.asarray(meta_rows[:, :log_meta.shape[1]] @ log_meta.T)
    return log_post


def batch_selected_scores(arrays: dict, revealed, meta_rows, max_count: int = 16, chunk: int = 256) -> np.ndarray:
    """:func:`selected_scores` for each row of a users x items indicator matrix, (users, n); rows
    without chosen items get the plain posterior."""
    dense = revealed.toarray() if hasattr(revealed, "toarray") else np.asarray(revealed)
    out = batch_posterior_scores(arrays, revealed, meta_rows)
    rows = np.flatnonzero(dense.sum(axis=1) > 0)
    fn = _plug_in_rows if dense.shape[1] > SELECTION_MAX_ITEMS else _selected_rows
    for start in range(0, len(rows), chunk):
        r = rows[start:start + chunk]
        meta = meta_rows[r] if meta_rows is not None else None
        if fn is _plug_in_rows:
            out[r] = fn(arrays, dense[r], meta)
        else:
            out[r] = fn(arrays["lc_item"].astype(np.float64), dense[r], _log_evidence(arrays, dense[r], meta),
                        dense[r].sum(axis=1).astype(np.int64), max_count)
    return out


def batch_posterior_scores(arrays: dict, revealed, meta_rows) -> np.ndarray:
    """P(item | observed) for many users, shape (users, n).

    ``revealed`` is a users x items indicator matrix (dense or scipy sparse); ``meta_rows`` a users x
    features indicator matrix (crosses beyond m_base ignored) or None.
    """
    log_post = _log_evidence(arrays, revealed, meta_rows)
    log_post -= log_post.max(axis=1, keepdims=True)
    post = np.exp(log_post)
    post /= post.sum(axis=1, keepdims=True)
    return post @ arrays["lc_item"].astype(np.float64)
