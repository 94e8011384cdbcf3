"""The metadata feature space of one training run: encoders, candidate crosses and who owns what.

Features are numbered as the model serves them: every field's features (recommender.serving.features),
then each cross's. Each feature belongs to a dropout group (its field, or its cross) and depends on
one or two fields (a cross on both), which the objective's field dropout and the validation's
partial forms need; the latent classes read the single-valued fields only.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp

from recommender.data.matrices import indicators
from recommender.serving.features import Cross, FieldEncoder, encode_requests


@dataclass
class FeatureSpace:
    """Encoders and crosses, with the bookkeeping the solve needs."""

    encoders: list[FieldEncoder]
    crosses: list[Cross]
    item_encoders: list[FieldEncoder] = field(default_factory=list)
    item_features: sp.csr_matrix | None = None      # items x item-metadata features (genres, year...)

    @property
    def n_base(self) -> int:
        return sum(e.size for e in self.encoders)

    @property
    def n_features(self) -> int:
        return self.n_base + sum(c.size for c in self.crosses)

    @property
    def n_fields(self) -> int:
        return len(self.encoders)

    def groups(self) -> np.ndarray:
        """Dropout group of each feature: its field's index, or n_fields + the cross's index, (m,)."""
        out = [np.full(e.size, j) for j, e in enumerate(self.encoders)]
        out += [np.full(c.size, self.n_fields + k) for k, c in enumerate(self.crosses)]
        return np.concatenate(out).astype(np.int64) if out else np.zeros(0, dtype=np.int64)

    def parents(self) -> np.ndarray:
        """The one or two fields each feature depends on, (m, 2), -1 for none."""
        rows = [np.tile([j, -1], (e.size, 1)) for j, e in enumerate(self.encoders)]
        rows += [np.tile([c.first, c.second], (c.size, 1)) for c in self.crosses]
        return np.vstack(rows).astype(np.int64) if rows else np.zeros((0, 2), dtype=np.int64)

    def latent_fields(self) -> list[int]:
        """Fields the latent classes model: those with at most one feature per user."""
        return [j for j, e in enumerate(self.encoders) if e.single]

    def latent_layout(self) -> tuple[list[int], np.ndarray]:
        """(features per latent field, the base-feature index of each latent feature in order)."""
        fields = self.latent_fields()
        sizes = [self.encoders[j].size for j in fields]
        place = np.concatenate([self.encoders[j].offset + np.arange(self.encoders[j].size) for j in fields]
                               ) if fields else np.zeros(0, dtype=np.int64)
        return sizes, place.astype(np.int64)

    def latent_index(self, features: sp.csr_matrix) -> np.ndarray:
        """(users, latent fields) feature index within the latent layout's features, -1 missing."""
        sizes, _ = self.latent_layout()
        fields = self.latent_fields()
        out = np.full((features.shape[0], len(fields)), -1, dtype=np.int64)
        starts = np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64)
        coo = features[:, :self.n_base].tocoo()
        for k, j in enumerate(fields):
            enc = self.encoders[j]
            on = (coo.col >= enc.offset) & (coo.col < enc.offset + enc.size)
            out[coo.row[on], k] = starts[k] + coo.col[on] - enc.offset
        return out

    def encode(self, columns: dict, n: int) -> sp.csr_matrix:
        """The users x features indicator matrix of ``n`` users' metadata columns."""
        rows, feats = encode_requests(self.encoders, self.crosses, columns, n)
        return indicators(rows, feats, (n, self.n_features))

    def without_crosses(self) -> "FeatureSpace":
        return FeatureSpace(self.encoders, [], self.item_encoders, self.item_features)


def drop_fields(meta: sp.csr_matrix, parents: np.ndarray, n_fields: int, rng, share: float = 0.5) -> sp.csr_matrix:
    """Validation users who leave fields out: each field missing with probability ``share`` (at least
    one kept per user); a feature goes when a field it depends on does."""
    users = meta.shape[0]
    drop = rng.random((users, max(n_fields, 1))) < share
    drop[np.arange(users), rng.integers(0, max(n_fields, 1), users)] = False
    coo = meta.tocoo()
    first, second = parents[coo.col, 0], parents[coo.col, 1]
    gone = drop[coo.row, np.maximum(first, 0)] & (first >= 0)
    gone |= drop[coo.row, np.maximum(second, 0)] & (second >= 0)
    keep = ~gone
    return sp.csr_matrix((coo.data[keep], (coo.row[keep], coo.col[keep])), shape=meta.shape)
