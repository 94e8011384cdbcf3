"""Drawing who holds what: independent Bernoulli draws given each user's hidden state.

Two exact samplers of the same distribution: a dense one (a uniform number per
user and product; small catalogues) and a sparse one for large catalogues
(per state row and item, the number of holders is Binomial(n_row, p), and the
holders are a uniformly random subset of the row's users).
"""
from __future__ import annotations

import numpy as np

DENSE_MAX_ITEMS = 256
CHUNK = 200_000


def sample_holdings(rng: np.random.Generator, hold: np.ndarray, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Draw every user's products.

    Parameters
    ----------
    rng : numpy Generator
    hold : ndarray, shape (R, J)
        P(item held | row).
    rows : ndarray of int, shape (n_users,)
        Each user's row of ``hold``.

    Returns
    -------
    users, items : ndarray of int64, shape (n_pairs,)
        One pair per holding, sorted by user then item.
    """
    if hold.shape[1] <= DENSE_MAX_ITEMS:
        return _dense(rng, hold, rows)
    return _sparse(rng, hold, rows)


def _dense(rng, hold, rows):
    users, items = [], []
    for start in range(0, len(rows), CHUNK):
        block = rows[start:start + CHUNK]
        held = rng.random((len(block), hold.shape[1])) < hold[block]
        u, j = np.nonzero(held)
        users.append(u + start)
        items.append(j)
    return np.concatenate(users).astype(np.int64), np.concatenate(items).astype(np.int64)


def _sparse(rng, hold, rows):
    n_rows, n_items = hold.shape
    order = np.argsort(rows, kind="stable")
    size = np.bincount(rows, minlength=n_rows)
    start = np.concatenate([[0], np.cumsum(size)[:-1]])
    counts = rng.binomial(size[:, None], hold)
    r, j = np.nonzero(counts)
    c = counts[r, j]
    heavy = c * 20 > size[r]
    users, items = [], []
    for rr, jj, cc in zip(r[heavy], j[heavy], c[heavy]):  # few popular (row, item) pairs: exact subset
        users.append(order[start[rr] + rng.choice(size[rr], cc, replace=False)])
        items.append(np.full(cc, jj))
    r, j, c = r[~heavy], j[~heavy], c[~heavy]
    pair = np.repeat(np.arange(len(r)), c)
    row_of, item_of = r[pair], j[pair]
    slot = rng.integers(0, size[row_of])
    active = np.arange(len(slot))
    while active.size:  # redraw repeated holders; symmetric in users, so each subset is uniform
        key = order[start[row_of[active]] + slot[active]] * n_items + item_of[active]
        sort = np.argsort(key, kind="stable")
        repeated = np.zeros(len(key), dtype=bool)
        repeated[sort[1:]] = key[sort[1:]] == key[sort[:-1]]
        redraw = active[repeated]
        slot[redraw] = rng.integers(0, size[row_of[redraw]])
        active = np.flatnonzero(np.isin(pair, np.unique(pair[redraw])))
    users.append(order[start[row_of] + slot])
    items.append(item_of)
    users, items = np.concatenate(users), np.concatenate(items)
    sort = np.lexsort((items, users))
    return users[sort].astype(np.int64), items[sort].astype(np.int64)
