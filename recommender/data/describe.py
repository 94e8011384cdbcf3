"""Descriptive statistics of a `Dataset` (what notebook 01 and `invoke data` show).

Pure numpy; each function returns plain arrays/lists ready to print or plot.
"""
from __future__ import annotations

import numpy as np

from recommender.data.dataset import Dataset


def products_per_user(dataset: Dataset) -> np.ndarray:
    """Number of distinct items each user has interacted with, shape (n_users,)."""
    pairs = np.unique(dataset.inter_user.astype(np.int64) * dataset.n_items + dataset.inter_item)
    return np.bincount(pairs // dataset.n_items, minlength=dataset.n_users)


def summary(dataset: Dataset) -> dict:
    """Users, items, interactions and the distribution of products per user (None for no users)."""
    per_user = products_per_user(dataset)
    empty = per_user.size == 0
    return {"users": dataset.n_users, "items": dataset.n_items, "interactions": len(dataset.inter_user),
            "mean_per_user": None if empty else float(per_user.mean()),
            "min_per_user": None if empty else int(per_user.min()),
            "max_per_user": None if empty else int(per_user.max()),
            "share_with_6_or_more": None if empty else float((per_user >= 6).mean())}


def popularity(dataset: Dataset) -> tuple[list[str], np.ndarray]:
    """Share of users holding each item, most popular first: (item_ids, shares)."""
    holders = holding_matrix(dataset).mean(axis=0)
    order = np.argsort(-holders, kind="stable")
    return [str(dataset.item_ids[j]) for j in order], holders[order]


def holding_matrix(dataset: Dataset) -> np.ndarray:
    """Boolean (n_users, n_items): does the user hold the item. Small catalogues only."""
    held = np.zeros((dataset.n_users, dataset.n_items), dtype=bool)
    held[dataset.inter_user, dataset.inter_item] = True
    return held


def holding_rates(dataset: Dataset, field: str, edges: list[float] | None = None,
                  items: list[str] | None = None) -> tuple[list[str], list[str], np.ndarray]:
    """Share of users holding each item within each group of a user field.

    Parameters
    ----------
    field : str
        A Users.csv column.
    edges : list of float, optional
        For a numeric field: group boundaries (``lo <= x < hi``); default quintiles.
    items : list of str, optional
        Items to report (default all).

    Returns
    -------
    groups : list of str, length G
    item_ids : list of str, length J'
    rates : ndarray, shape (G, J')
    """
    values = dataset.user_fields[field]
    spec = dataset.user_schema.get(field)
    if spec is not None and spec.kind == "numeric":
        if edges is None:
            edges = list(np.unique(np.quantile(values, [0, .2, .4, .6, .8]))) + [float(values.max()) + 1]
        group = np.digitize(values, edges[1:-1])
        last = 1 if spec.integer else 0  # whole numbers: show inclusive bounds (6-17, not 6-18)
        labels = [f"{lo:g}-{hi - last:g}" for lo, hi in zip(edges[:-1], edges[1:])]
    else:
        labels = sorted(set(values.tolist()))
        group = np.searchsorted(np.asarray(labels, dtype=object), values)
    item_ids = items or [str(i) for i in dataset.item_ids]
    columns = [int(np.flatnonzero(dataset.item_ids == i)[0]) for i in item_ids]
    held = holding_matrix(dataset)[:, columns]
    size = np.bincount(group, minlength=len(labels))
    rates = np.stack([held[group == g].sum(axis=0) for g in range(len(labels))]) / np.maximum(size, 1)[:, None]
    return labels, item_ids, rates


def count_histogram(dataset: Dataset) -> tuple[np.ndarray, np.ndarray]:
    """(number of products, share of users holding exactly that many)."""
    counts = np.bincount(products_per_user(dataset))
    return np.arange(len(counts)), counts / counts.sum()
