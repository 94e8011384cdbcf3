"""MostPopular and segment popularity (popularity within the users sharing one metadata value)."""
from __future__ import annotations

import numpy as np

from bench.peers.base import Peer, meta_one_hot


class MostPopular(Peer):
    """Items ranked by how many training users hold them."""

    name = "MostPop"
    uses = frozenset()

    def fit(self, a, meta, n_meta):
        self.pop_ = np.asarray(a.sum(axis=0)).ravel() / max(a.shape[0], 1)
        return self

    def score(self, revealed, meta_rows):
        return np.tile(self.pop_, (revealed.shape[0], 1))


class SegmentPopularity(Peer):
    """Popularity among training users with the same value of one field (the field is tuned).

    ``field`` is the column of the encoded metadata; missing values fall back to overall popularity.
    """

    name = "SegmentPop"
    uses = frozenset({"meta"})

    def __init__(self, field: int = 0, shrink: float = 10.0):
        self.field, self.shrink = field, shrink

    def fit(self, a, meta, n_meta):
        pop = np.asarray(a.sum(axis=0)).ravel()
        self.pop_ = pop / max(a.shape[0], 1)
        onehot = meta_one_hot(meta[:, [self.field]], n_meta)
        counts = np.asarray((onehot.T @ a).todense())
        users = np.asarray(onehot.sum(axis=0)).ravel()[:, None]
        self.seg_ = (counts + self.shrink * self.pop_) / (users + self.shrink)
        return self

    def score(self, revealed, meta_rows):
        if meta_rows is None:
            return np.tile(self.pop_, (revealed.shape[0], 1))
        f = meta_rows[:, self.field]
        out = self.seg_[np.where(f >= 0, f, 0)]
        out[f < 0] = self.pop_
        return out
