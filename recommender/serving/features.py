"""User metadata as one-hot features: the encoder the model fits and serves with.

Categorical fields get one indicator per allowed value; numeric fields are cut
into buckets at quantiles of the training data. An encoded user is one active
feature per observed field (or none for a field left out). Numpy only: the
Lambda encodes requests with this module.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class FieldEncoder:
    """How one user field maps to one-hot features.

    Attributes
    ----------
    name : str
        Users.csv column name.
    kind : {"numeric", "categorical"}
    offset : int
        Index of the field's first feature in the model's metadata block.
    values : tuple of str
        Categorical: the allowed values, one feature each.
    edges : tuple of float
        Numeric: inner bucket edges (ascending); bucket b holds edges[b-1] <= x < edges[b].
    minimum, maximum : float or None
        Numeric: the allowed range (inclusive).
    integer : bool
        Numeric: whether only whole numbers are allowed.
    description : str
    """

    name: str
    kind: str
    offset: int
    values: tuple = ()
    edges: tuple = ()
    minimum: float | None = None
    maximum: float | None = None
    integer: bool = False
    description: str = ""

    @property
    def size(self) -> int:
        return len(self.values) if self.kind == "categorical" else len(self.edges) + 1

    @property
    def label(self) -> str:
        return self.name.replace("_", " ").capitalize()

    def bucket_labels(self) -> list[str]:
        """Human-readable name of each feature of this field ("25-34", "F")."""
        if self.kind == "categorical":
            return [str(v) for v in self.values]
        fmt = _fmt_int if self.integer else _fmt_num
        lo = [self.minimum] + list(self.edges)
        hi = list(self.edges) + [self.maximum]
        labels = []
        for a, b in zip(lo, hi):
            upper = (b - 1 if self.integer else b) if b is not None else None
            if a is None and upper is None:
                labels.append("any")
            elif a is None:
                labels.append(f"up to {fmt(upper)}")
            elif upper is None:
                labels.append(f"{fmt(a)} or more")
            elif self.integer and upper <= a:
                labels.append(fmt(a))
            else:
                labels.append(f"{fmt(a)}-{fmt(upper)}")
        return labels

    def encode_value(self, value) -> int:
        """Feature index (within the whole metadata block) of one request value.

        Raises
        ------
        ValueError
            The value has the wrong type, is out of range or not allowed.
        """
        if self.kind == "categorical":
            if not isinstance(value, str) or value not in self.values:
                allowed = ", ".join(self.values)
                raise ValueError(f"metadata field {self.name!r}: {value!r} is not allowed; choose one of: {allowed}")
            return self.offset + self.values.index(value)
        if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
            raise ValueError(f"metadata field {self.name!r} must be a number{self._range_text()}; "
                             f"got {value!r} ({type(value).__name__})")
        x = float(value)
        if not math.isfinite(x):
            raise ValueError(f"metadata field {self.name!r} must be a finite number{self._range_text()}; got {value!r}")
        if self.integer and x != round(x):
            raise ValueError(f"metadata field {self.name!r} must be a whole number{self._range_text()}; got {value!r}")
        if (self.minimum is not None and x < self.minimum) or (self.maximum is not None and x > self.maximum):
            raise ValueError(f"metadata field {self.name!r} is out of range: {value!r}; allowed{self._range_text()}")
        return self.offset + int(np.searchsorted(np.asarray(self.edges, dtype=float), x, side="right"))

    def encode_column(self, column: np.ndarray) -> np.ndarray:
        """Feature indices for a column of training values; -1 where missing or unknown."""
        out = np.full(len(column), -1, dtype=np.int64)
        if self.kind == "categorical":
            lookup = {v: i for i, v in enumerate(self.values)}
            for r, v in enumerate(column):
                i = lookup.get(v if isinstance(v, str) else None)
                if i is not None:
                    out[r] = self.offset + i
            return out
        x = np.asarray(column, dtype=float)
        ok = np.isfinite(x)
        out[ok] = self.offset + np.searchsorted(np.asarray(self.edges, dtype=float), x[ok], side="right")
        return out

    def _range_text(self) -> str:
        if self.minimum is None and self.maximum is None:
            return ""
        fmt = _fmt_int if self.integer else _fmt_num
        return f" between {fmt(self.minimum)} and {fmt(self.maximum)}"

    def to_json(self) -> dict:
        return {"name": self.name, "kind": self.kind, "offset": self.offset, "values": list(self.values),
                "edges": list(self.edges), "minimum": self.minimum, "maximum": self.maximum,
                "integer": self.integer, "description": self.description}

    @classmethod
    def from_json(cls, d: dict) -> "FieldEncoder":
        return cls(name=d["name"], kind=d["kind"], offset=int(d["offset"]), values=tuple(d["values"]),
                   edges=tuple(float(e) for e in d["edges"]), minimum=d["minimum"], maximum=d["maximum"],
                   integer=bool(d["integer"]), description=d.get("description", ""))


def _fmt_int(x) -> str:
    return str(int(round(x)))


def _fmt_num(x) -> str:
    return f"{x:g}"


def encode_users(encoders: list[FieldEncoder], user_fields: dict, rows: np.ndarray | None = None) -> np.ndarray:
    """Active feature index per user and field, shape (n_users, n_fields); -1 where missing."""
    cols = []
    for enc in encoders:
        column = user_fields[enc.name]
        cols.append(enc.encode_column(column if rows is None else column[rows]))
    n = len(rows) if rows is not None else (len(next(iter(user_fields.values()))) if user_fields else 0)
    return np.stack(cols, axis=1) if cols else np.zeros((n, 0), dtype=np.int64)


@dataclass(frozen=True)
class Cross:
    """The pair of two fields' features as one extra one-hot field (e.g. age band x sex).

    ``first`` and ``second`` index the encoders; feature ``offset + i * size(second) + j`` is on
    when the first field has its i-th feature and the second its j-th.
    """

    first: int
    second: int
    offset: int
    size: int


def cross_feature(encoders: list[FieldEncoder], cross: Cross, first_feature: int, second_feature: int) -> int:
    """Cross feature index from the two fields' feature indices (whole metadata block numbering)."""
    a, b = encoders[cross.first], encoders[cross.second]
    return cross.offset + (first_feature - a.offset) * b.size + (second_feature - b.offset)


def add_crosses(meta_index: np.ndarray, encoders: list[FieldEncoder], crosses: list[Cross]) -> np.ndarray:
    """Append one column per cross to an (n, fields) index array; -1 where either field is missing."""
    cols = [meta_index]
    for c in crosses:
        x, y = meta_index[:, c.first], meta_index[:, c.second]
        a, b = encoders[c.first], encoders[c.second]
        col = np.where((x >= 0) & (y >= 0), c.offset + (x - a.offset) * b.size + (y - b.offset), -1)
        cols.append(col[:, None])
    return np.hstack(cols)


def feature_texts(encoders: list[FieldEncoder], crosses: list[Cross]) -> list[str]:
    """Phrase per metadata feature for reasons: "age is 25-34", "age is 25-34 and sex is F"."""
    per_field = [[f"{e.label.lower()} is {label}" for label in e.bucket_labels()] for e in encoders]
    texts = [t for field in per_field for t in field]
    for c in crosses:
        texts += [f"{s} and {t}" for s in per_field[c.first] for t in per_field[c.second]]
    return texts
