"""User metadata as indicator features: the encoder the model fits and serves with.

Categorical fields get one indicator per kept value; code-like fields (postal codes) also get one
per kept prefix, which every code starting with it turns on, so a rare or new code still says its
area; a value with nothing kept counts as missing, like one never seen in training. Multi-valued fields ("Action|Comedy", Personalize's convention) turn on
one indicator per value. Numeric fields are cut into buckets at quantiles of the training data;
a number beyond the training range falls in the edge bucket. Numpy only: the Lambda encodes
requests with this module.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

MULTI_SEPARATOR = "|"


@dataclass(frozen=True)
class FieldEncoder:
    """How one user field maps to indicator features.

    Attributes
    ----------
    name : str
        Users.csv column name.
    kind : {"numeric", "categorical"}
    offset : int
        Index of the field's first feature in the model's metadata block.
    values : tuple of str
        Categorical: the kept values, one feature each.
    prefixes : tuple of str
        Categorical, code-like fields: prefixes shared by enough users, one feature each (after the
        values'); a value also turns on every kept prefix of it ("55414" -> "5…", "55…", "554…").
    multi : bool
        Categorical: several values per user, joined by ``|`` (or a list in a request).
    edges : tuple of float
        Numeric: inner bucket edges (ascending); bucket b holds edges[b-1] <= x < edges[b].
    minimum, maximum : float or None
        Numeric: the range seen in training (shown to people; values outside still encode).
    integer : bool
        Numeric: whether training held whole numbers only (labels then read "25–34", "93,000–299,804").
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
    prefixes: tuple = ()
    multi: bool = False

    @property
    def size(self) -> int:
        return len(self.values) + len(self.prefixes) if self.kind == "categorical" else len(self.edges) + 1

    @property
    def label(self) -> str:
        return self.name.replace("_", " ").capitalize()

    @property
    def open(self) -> bool:
        """Whether values beyond ``values`` can still mean something (prefixes) or are simply ignored."""
        return self.kind == "categorical"

    def bucket_labels(self) -> list[str]:
        """Human-readable name of each feature of this field ("25–34", "F", "554…")."""
        if self.kind == "categorical":
            return [str(v) for v in self.values] + [f"{p}…" for p in self.prefixes]
        def fmt(x):
            return _show(x, self.integer)
        lo = [self.minimum] + list(self.edges)
        hi = list(self.edges) + [self.maximum]
        labels = []
        for i, (a, b) in enumerate(zip(lo, hi)):
            inner = i < len(hi) - 1                 # inner edges are exclusive, the maximum is not
            upper = (b - 1 if self.integer and inner else b) if b is not None else None
            if a is None and upper is None:
                labels.append("any")
            elif a is None:
                labels.append(f"up to {fmt(upper)}")
            elif upper is None:
                labels.append(f"{fmt(a)} or more")
            elif self.integer and upper <= a:
                labels.append(fmt(a))
            else:
                labels.append(f"{fmt(a)}–{fmt(upper)}")
        return labels

    def feature_phrases(self) -> list[str]:
        """Phrase per feature for reasons: "age is 25–34", "zip code starts with 554"."""
        label = self.label.lower()
        if self.kind == "categorical":
            return ([f"{label} is {v}" for v in self.values]
                    + [f"{label} starts with {p}" for p in self.prefixes])
        return [f"{label} is {b}" for b in self.bucket_labels()]

    # ------------------------------------------------------------------ requests
    def encode_value(self, value) -> list[int]:
        """Feature indices (whole metadata block numbering) of one request value; [] when it says nothing.

        Raises
        ------
        ValueError
            A numeric field given something that is not a finite number, or a categorical field given
            something that is not text.
        """
        if value is None:
            return []
        if self.kind == "categorical":
            return [self.offset + i for i in self._categorical(value)]
        x = self._number(value)
        return [self.offset + int(np.searchsorted(np.asarray(self.edges, dtype=float), x, side="right"))]

    def _categorical(self, value) -> list[int]:
        if isinstance(value, bool):
            atoms = ["true" if value else "false"]
        elif isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool):
            atoms = [_fmt_num(float(value))]
        elif isinstance(value, str):
            atoms = value.split(MULTI_SEPARATOR) if self.multi else [value]
        elif self.multi and isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value):
            atoms = list(value)
        else:
            kind = "text or a list of texts" if self.multi else "text"
            raise ValueError(f"metadata field {self.name!r} takes {kind}; got {value!r} ({type(value).__name__})")
        out = []
        for atom in atoms:
            out += [i for i in self.local_indices(atom.strip()) if i not in out]
        return out

    def local_indices(self, atom: str) -> list[int]:
        """The field's features for one value: itself if kept, and each kept prefix of it."""
        index = self._lookup()
        out = [index[atom]] if atom in index else []
        if self.prefixes:
            out += [index[(atom[:n], "prefix")] for n in range(1, len(atom)) if (atom[:n], "prefix") in index]
        return out

    @property
    def single(self) -> bool:
        """At most one feature per user (crosses and the latent classes use only such fields)."""
        return not self.multi and not self.prefixes

    def _lookup(self) -> dict:
        cached = self.__dict__.get("_index")
        if cached is None:
            cached = {v: i for i, v in enumerate(self.values)}
            cached.update({(p, "prefix"): len(self.values) + i for i, p in enumerate(self.prefixes)})
            object.__setattr__(self, "_index", cached)
        return cached

    def _number(self, value) -> float:
        given = value
        if isinstance(value, str):
            try:
                value = float(value.strip())
            except ValueError:
                value = None
        if value is None or isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
            raise ValueError(f"metadata field {self.name!r} must be a number{self._range_text()}; got {given!r} "
                             f"({type(given).__name__})")
        x = float(value)
        if not math.isfinite(x):
            raise ValueError(f"metadata field {self.name!r} must be a finite number{self._range_text()}; got {value!r}")
        return x

    def _range_text(self) -> str:
        if self.minimum is None or self.maximum is None:
            return ""
        return (f" (customers in training: {_show(self.minimum, self.integer)} to "
                f"{_show(self.maximum, self.integer)})")

    # ------------------------------------------------------------------ columns
    def encode_column(self, column: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(rows, features) pairs for a column of values (NaN / "" / None missing): whole-block indices."""
        if self.kind == "numeric":
            x = np.asarray(column, dtype=float)
            rows = np.flatnonzero(np.isfinite(x))
            feats = self.offset + np.searchsorted(np.asarray(self.edges, dtype=float), x[rows], side="right")
            return rows, feats.astype(np.int64)
        uniques, inverse = np.unique(np.asarray(column, dtype=object).astype(str), return_inverse=True)
        per_unique = [[] if u in ("", "nan", "None") else self._categorical(u) for u in uniques.tolist()]
        counts = np.array([len(p) for p in per_unique], dtype=np.int64)
        per_row = counts[inverse]
        rows = np.repeat(np.arange(len(column), dtype=np.int64), per_row)
        starts = np.concatenate([[0], np.cumsum(counts)])
        flat = np.array([f for p in per_unique for f in p], dtype=np.int64)
        within = np.arange(len(rows)) - np.repeat(np.cumsum(per_row) - per_row, per_row)
        return rows, self.offset + flat[starts[np.repeat(inverse, per_row)] + within]

    def to_json(self) -> dict:
        return {"name": self.name, "kind": self.kind, "offset": self.offset, "values": list(self.values),
                "prefixes": list(self.prefixes), "multi": self.multi, "edges": list(self.edges),
                "minimum": self.minimum, "maximum": self.maximum, "integer": self.integer,
                "description": self.description}

    @classmethod
    def from_json(cls, d: dict) -> "FieldEncoder":
        return cls(name=d["name"], kind=d["kind"], offset=int(d["offset"]), values=tuple(d["values"]),
                   edges=tuple(float(e) for e in d["edges"]), minimum=d["minimum"], maximum=d["maximum"],
                   integer=bool(d["integer"]), description=d.get("description", ""),
                   prefixes=tuple(d.get("prefixes", ())), multi=bool(d.get("multi", False)))


def _fmt_num(x) -> str:
    return f"{x:g}"


def _show(x, integer: bool) -> str:
    """A bound as people read it: 93,000 and 1,250,000 (not 93000, 1.25e+06); 1995 and 2.5 as they are."""
    x = int(round(x)) if integer else float(x)
    if abs(x) >= 10_000:
        return f"{x:,.0f}"
    return str(x) if integer else f"{x:g}"


@dataclass(frozen=True)
class Cross:
    """The pair of two single-valued fields' features as one extra field (e.g. age band x sex).

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


def feature_texts(encoders: list[FieldEncoder], crosses: list[Cross]) -> list[str]:
    """Phrase per metadata feature for reasons: "age is 25–34", "age is 25–34 and sex is F"."""
    per_field = [e.feature_phrases() for e in encoders]
    texts = [t for field in per_field for t in field]
    for c in crosses:
        texts += [f"{s} and {t}" for s in per_field[c.first] for t in per_field[c.second]]
    return texts


def encode_requests(encoders: list[FieldEncoder], crosses: list[Cross], columns: dict, n: int):
    """Indicator matrix parts for ``n`` users' metadata columns (missing fields allowed).

    Returns (rows, features) of every active feature, crosses included: the caller builds a sparse
    users x features matrix (scipy stays out of serving).
    """
    rows, feats = [], []
    single = {}
    for j, enc in enumerate(encoders):
        if enc.name not in columns:
            continue
        r, f = enc.encode_column(columns[enc.name])
        rows.append(r)
        feats.append(f)
        if enc.single:
            col = np.full(n, -1, dtype=np.int64)
            col[r] = f
            single[j] = col
    for c in crosses:
        if c.first in single and c.second in single:
            x, y = single[c.first], single[c.second]
            on = np.flatnonzero((x >= 0) & (y >= 0))
            rows.append(on)
            feats.append(c.offset + (x[on] - encoders[c.first].offset) * encoders[c.second].size
                         + (y[on] - encoders[c.second].offset))
    if not rows:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    return np.concatenate(rows), np.concatenate(feats)
