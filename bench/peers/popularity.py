"""MostPopular, and segment popularity (popularity among the training users who share the user's
value of one field, or of a pair of fields)."""
from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from bench.peers.base import FieldSlice, Peer, meta_one_hot


class MostPopular(Peer):
    """Items ranked by how many training users hold them."""

    name = "MostPop"
    uses = frozenset()

    def fit(self, a, meta, n_meta):
        self.pop_ = np.asarray(a.sum(axis=0)).ravel() / max(a.shape[0], 1)
        return self

    def score(self, revealed, meta_rows):
        return np.tile(self.pop_, (revealed.shape[0], 1))


def segments(x: sp.csr_matrix, fields: tuple[FieldSlice, ...]) -> sp.csr_matrix:
    """Users x segments indicators: one field's features, or every combination of two fields'
    features (the row-wise product; a user with several features on sits in several segments)."""
    first = x[:, fields[0].start:fields[0].stop].tocsr()
    if len(fields) == 1:
        return first
    second = x[:, fields[1].start:fields[1].stop].tocsr()
    n1, n2 = first.shape[1], second.shape[1]
    return first[:, np.repeat(np.arange(n1), n2)].multiply(second[:, np.tile(np.arange(n2), n1)]).tocsr()


class SegmentPopularity(Peer):
    """Popularity within the user's segment of ``fields`` (one field or a pair), shrunk toward overall
    popularity by ``shrink`` pseudo-users; a user in several segments gets their mean; a user in
    none (missing value) gets overall popularity."""

    name = "SegmentPop"
    uses = frozenset({"meta"})

    def __init__(self, fields: tuple[FieldSlice, ...] = (), shrink: float = 10.0):
        if not 1 <= len(fields) <= 2:
            raise ValueError(f"SegmentPopularity takes one field or a pair of fields; got {fields!r}")
        self.fields, self.shrink = tuple(fields), shrink

    def fit(self, a, meta, n_meta):
        self.n_meta = n_meta
        self.pop_ = np.asarray(a.sum(axis=0)).ravel() / max(a.shape[0], 1)
        s = segments(meta_one_hot(meta, n_meta), self.fields)
        self.occupied_ = np.flatnonzero(np.asarray(s.sum(axis=0)).ravel() > 0)   # a pair's segments are mostly empty
        s = s[:, self.occupied_]
        counts = np.asarray((s.T @ a).todense())
        users = np.asarray(s.sum(axis=0)).ravel()[:, None]
        self.seg_ = (counts + self.shrink * self.pop_) / (users + self.shrink)
        return self

    def score(self, revealed, meta_rows):
        if meta_rows is None:
            return np.tile(self.pop_, (revealed.shape[0], 1))
        s = segments(meta_one_hot(meta_rows, self.n_meta), self.fields)[:, self.occupied_]
        n = np.asarray(s.sum(axis=1)).ravel()
        out = np.asarray(s @ self.seg_) / np.maximum(n, 1.0)[:, None]
        out[n == 0] = self.pop_
        return out
