"""The peer contract, how a peer reads user metadata, and one catalogue entry (a peer with its grids)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import numpy as np
import scipy.sparse as sp


class Peer:
    """A recommender compared against ours.

    ``uses`` names the inputs it can read: "items" (revealed items), "meta" (user metadata).
    ``fit(a, meta, n_meta)`` takes a users x items csr matrix and the users' metadata (read it only
    through `meta_one_hot`); ``score(revealed, meta_rows)`` returns (users, items) scores.
    Hyperparameters named in ``scoring_params`` act only when scoring (a fold-in's epochs and rate):
    the tuner tries them on one fit through `set_scoring` instead of refitting.
    """

    name = "peer"
    uses: frozenset = frozenset()
    scoring_params: tuple = ()

    def fit(self, a: sp.csr_matrix, meta, n_meta: int) -> "Peer":
        raise NotImplementedError

    def score(self, revealed: sp.csr_matrix, meta_rows) -> np.ndarray:
        raise NotImplementedError

    def set_scoring(self, **params) -> "Peer":
        unknown = set(params) - set(self.scoring_params)
        if unknown:
            raise ValueError(f"{self.name}: {sorted(unknown)} are not scoring-time hyperparameters "
                             f"(those are {list(self.scoring_params)})")
        for key, value in params.items():
            setattr(self, key, value)
        return self


def meta_one_hot(meta, n_meta: int) -> sp.csr_matrix:
    """Users x features csr matrix of the users' metadata features: the one way peers read metadata.

    ``meta`` is the harness's users x features indicator matrix (`recommender.evaluation.scoring.
    user_matrix`). Columns from ``n_meta`` on are our engine's crosses of two fields (numbered after
    every field's features): peers see the fields themselves, as a user table has them, and form
    their own combinations.
    """
    meta = sp.csr_matrix(meta)
    if meta.shape[1] < n_meta:
        meta = sp.hstack([meta, sp.csr_matrix((meta.shape[0], n_meta - meta.shape[1]))], format="csr")
    return sp.csr_matrix(meta[:, :n_meta], dtype=np.float64)


@dataclass(frozen=True)
class FieldSlice:
    """The features of one user field: columns ``start:stop`` of `meta_one_hot`."""

    name: str
    start: int
    stop: int

    def __repr__(self) -> str:           # tuned parameters print as field names
        return self.name


@dataclass(frozen=True)
class Entry:
    """One peer in the catalogue.

    ``grid`` holds fit-time hyperparameters (one fit each on the tuning users); ``scoring_grid``
    holds scoring-time ones tried on every fit (a factor model's fold-in).
    """

    name: str
    factory: Callable[..., Peer]
    grid: list = field(default_factory=lambda: [{}])
    scoring_grid: list = field(default_factory=lambda: [{}])

    def make(self, params: dict) -> Peer:
        peer = self.factory(**params)
        peer.name = self.name
        return peer


def grid(**axes) -> list[dict]:
    """Every combination of the given values: grid(a=(1, 2), b=(3,)) -> [{a: 1, b: 3}, {a: 2, b: 3}]."""
    out = [{}]
    for key, values in axes.items():
        out = [{**params, key: value} for params in out for value in values]
    return out
