"""The statistics contract: sums over users that the solve needs, mergeable across partitions.

Training is two steps. **Statistics** read the data once and keep only sums over users (and a
small sample of users); **solve** (recommender.training.solve) fits everything from them. The
sums are additive, so statistics computed on any partition of the users (batches on one machine,
partitions of a Spark job) and merged with :meth:`Statistics.merge` equal those of the whole.

Inputs per user u: ``a_u`` the held-item indicators (n,), ``m_u`` the metadata indicators (m,:
single fields, then candidate crosses), ``s_u = sum(a_u)``. A :class:`Weighting` (power p, reveal k)
gives each user a weight ``w(s) = s^-p`` and the closed-form coefficients of the "reveal
k' = min(k, s-1) of s items" objective (recommender.training.gram)::

    x = k'/s   sq = k'/s   pair = k'(k'-1)/(s(s-1))   xy = k'(s-k')/(s(s-1))   y = (s-k')/s   one = 1

The moments, each a sum over users of ``w(s_u) * coefficient(s_u) *`` ...:

======================  ======  ===================  ===============================
key                     shape   per-user term        coefficients
======================  ======  ===================  ===============================
``aa/<w>/<c>``          (n, n)  a_u a_u^T            pair, xy  (sparse above ``dense_max_items``)
``a/<w>/<c>``           (n,)    a_u                  x, sq, pair, xy, y, one
``ma/<w>/<c>``          (m, n)  m_u a_u^T            x, y, one
``mm/<w>/one``          (m, m)  m_u m_u^T            one
``m/<w>/one``           (m,)    m_u                  one
``t/<w>/one``           ()      1                    one
======================  ======  ===================  ===============================

``<w>`` is :attr:`Weighting.key` (e.g. ``p0.5k5``). Also kept: ``n_users``, ``n_eligible`` (users with at
least ``reveal + 1`` items), ``item_users`` (n,) and ``feature_users`` (m,) unweighted counts, and the
**sample**: the rows (items, features) of the users with the smallest ranks — ``sample_users`` of
all users, plus the ``validation_users`` eligible ones — where a user's rank is the first 15 hex
digits of SHA-256(USER_ID) as an integer (Spark: ``conv(substr(sha2(USER_ID, 256), 1, 15), 16, 10)``),
so every engine picks the same users. The solve validates on those eligible users (their moments
are subtracted) and fits the latent classes on the sample.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
import scipy.sparse as sp

PAIR_KINDS = ("pair", "xy")
ITEM_KINDS = ("x", "sq", "pair", "xy", "y", "one")
META_ITEM_KINDS = ("x", "y", "one")
FORMAT = 1


@dataclass(frozen=True)
class Weighting:
    """Users weigh ``s ** -power``; coefficients of revealing ``reveal`` of their s items."""

    power: float
    reveal: int

    @property
    def key(self) -> str:
        return f"p{-self.power:g}k{self.reveal}".replace("-", "m")

    def coefficients(self, s: np.ndarray) -> dict[str, np.ndarray]:
        """Per-user weight times each coefficient, for item counts ``s`` (users with none weigh 0)."""
        s = np.asarray(s, dtype=np.float64)
        with np.errstate(divide="ignore", invalid="ignore"):
            w = np.where(s > 0, np.maximum(s, 1.0) ** -self.power, 0.0)
            k = np.minimum(self.reveal, np.maximum(s - 1, 0))
            out = {"x": np.where(s > 0, k / s, 0.0), "pair": np.where(s > 1, k * (k - 1) / (s * (s - 1)), 0.0),
                   "xy": np.where(s > 1, k * (s - k) / (s * (s - 1)), 0.0), "y": np.where(s > 0, (s - k) / s, 0.0),
                   "one": np.ones_like(s)}
        out["sq"] = out["x"]
        return {kind: w * c for kind, c in out.items()}


@dataclass(frozen=True)
class StatsSpec:
    """What to compute: sizes, weightings, layout and sample sizes (recorded with the statistics)."""

    n_items: int
    n_features: int
    weightings: tuple
    dense: bool = True
    reveal: int = 5
    sample_users: int = 60_000
    validation_users: int = 3_000

    def to_json(self) -> dict:
        out = asdict(self)
        out["weightings"] = [asdict(w) for w in self.weightings]
        return out

    @classmethod
    def from_json(cls, d: dict) -> "StatsSpec":
        return cls(**{**d, "weightings": tuple(Weighting(**w) for w in d["weightings"])})


def user_ranks(user_ids) -> np.ndarray:
    """Each user's rank: the first 15 hex digits of SHA-256 of the id, as int64 (same in Spark)."""
    return np.fromiter((int(hashlib.sha256(str(u).encode("utf-8")).hexdigest()[:15], 16) for u in user_ids),
                       dtype=np.int64, count=len(user_ids))


@dataclass
class Sample:
    """Rows of the sampled users, sorted by rank: items (u, n) and features (u, m) indicator matrices."""

    ranks: np.ndarray
    items: sp.csr_matrix
    features: sp.csr_matrix


@dataclass
class Statistics:
    """Moments over users plus the sample; see the module docstring for the contract."""

    spec: StatsSpec
    n_users: int = 0
    n_eligible: int = 0
    moments: dict = field(default_factory=dict)
    item_users: np.ndarray | None = None
    feature_users: np.ndarray | None = None
    sample: Sample | None = None

    def merge(self, other: "Statistics") -> "Statistics":
        """The statistics of both partitions' users together (the partitions must be disjoint)."""
        if self.spec != other.spec:
            raise ValueError("statistics computed with different specs cannot be merged")
        moments = {k: self.moments[k] + other.moments[k] for k in self.moments}
        ranks = np.concatenate([self.sample.ranks, other.sample.ranks])
        items = sp.vstack([self.sample.items, other.sample.items]).tocsr()
        feats = sp.vstack([self.sample.features, other.sample.features]).tocsr()
        return Statistics(self.spec, self.n_users + other.n_users, self.n_eligible + other.n_eligible, moments,
                          self.item_users + other.item_users, self.feature_users + other.feature_users,
                          _select(ranks, items, feats, self.spec))

    def save(self, folder) -> None:
        """Write ``statistics.npz`` + ``statistics.json`` (the format a Spark job also writes)."""
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        arrays = {"item_users": self.item_users, "feature_users": self.feature_users,
                  "sample_ranks": self.sample.ranks}
        for name, m in (("sample_items", self.sample.items), ("sample_features", self.sample.features)):
            arrays.update({f"{name}_indptr": m.indptr, f"{name}_indices": m.indices})
        for key, value in self.moments.items():
            if sp.issparse(value):
                value = value.tocsr()
                arrays.update({f"{key}|indptr": value.indptr, f"{key}|indices": value.indices,
                               f"{key}|data": value.data})
            else:
                arrays[key] = np.asarray(value)
        np.savez(folder / "statistics.npz", **arrays)
        meta = {"format": FORMAT, "spec": self.spec.to_json(), "n_users": self.n_users,
                "n_eligible": self.n_eligible, "moments": sorted(self.moments)}
        (folder / "statistics.json").write_text(json.dumps(meta, indent=1))

    @classmethod
    def load(cls, folder) -> "Statistics":
        folder = Path(folder)
        meta = json.loads((folder / "statistics.json").read_text())
        if meta.get("format") != FORMAT:
            raise ValueError(f"{folder}: statistics format {meta.get('format')} is not {FORMAT}; recompute them")
        spec = StatsSpec.from_json(meta["spec"])
        with np.load(folder / "statistics.npz", allow_pickle=False) as z:
            arrays = {k: z[k] for k in z.files}
        moments = {}
        for key in meta["moments"]:
            if key in arrays:
                moments[key] = arrays[key]
            else:
                shape = (spec.n_items, spec.n_items)
                moments[key] = sp.csr_matrix((arrays[f"{key}|data"], arrays[f"{key}|indices"],
                                              arrays[f"{key}|indptr"]), shape=shape)
        n = len(arrays["sample_ranks"])
        sample = Sample(arrays["sample_ranks"], _ones((n, spec.n_items), arrays, "sample_items"),
                        _ones((n, spec.n_features), arrays, "sample_features"))
        return cls(spec, int(meta["n_users"]), int(meta["n_eligible"]), moments, arrays["item_users"],
                   arrays["feature_users"], sample)


def _ones(shape, arrays, name) -> sp.csr_matrix:
    indices = arrays[f"{name}_indices"]
    return sp.csr_matrix((np.ones(len(indices)), indices, arrays[f"{name}_indptr"]), shape=shape)


GROUP_MAX = 32   # users holding fewer items are summed per item count, then weighted


def moments(a: sp.csr_matrix, features: sp.csr_matrix, spec: StatsSpec, group_max: int = GROUP_MAX) -> dict:
    """The moments of one partition's users (``a`` binary users x items, ``features`` users x m).

    Every weight is a function of a user's item count s alone, so users with s < ``group_max`` are
    summed once per count (unweighted products, each user in one group) and the groups weighted
    afterwards: one pass over the data serves every weighting and kind. Heavier users are weighted
    one by one in sparse products (``group_max=0``: everyone, cheaper for a few hundred users).
    """
    s = np.diff(a.indptr)
    out = {}
    for count in np.unique(s[(s > 0) & (s < group_max)]):
        rows = np.flatnonzero(s == count)
        group = _group_products(a[rows], features[rows], spec.dense)
        for wt in spec.weightings:
            c = {kind: float(v[0]) for kind, v in wt.coefficients(np.array([count])).items()}
            _add(out, wt, c, group)
    heavy = np.flatnonzero((s >= group_max) & (s > 0))
    if len(heavy):
        ah, fh = a[heavy], features[heavy]
        at, ft = ah.T.tocsr(), fh.T.tocsr()
        for wt in spec.weightings:
            c = wt.coefficients(s[heavy])
            part = {}
            for kind in PAIR_KINDS:
                prod = at @ sp.diags(c[kind]) @ ah
                part[f"aa/{kind}"] = prod.toarray() if spec.dense else prod.tocsr()
            for kind in ITEM_KINDS:
                part[f"a/{kind}"] = at @ c[kind]
            for kind in META_ITEM_KINDS:
                part[f"ma/{kind}"] = (ft @ sp.diags(c[kind]) @ ah).toarray()
            part["mm/one"] = (ft @ sp.diags(c["one"]) @ fh).toarray()
            part["m/one"] = ft @ c["one"]
            part["t/one"] = np.float64(c["one"].sum())
            for key, value in part.items():
                block, kind = key.split("/")
                _accumulate(out, f"{block}/{wt.key}/{kind}", value)
    _fill_empty(out, spec)
    return out


def _group_products(a: sp.csr_matrix, features: sp.csr_matrix, dense: bool) -> dict:
    """Unweighted sums over a group of users: aa^T, a, m a^T, m m^T, m, and the user count."""
    at, ft = a.T.tocsr(), features.T.tocsr()
    aa = at @ a
    return {"aa": aa.toarray() if dense else aa.tocsr(), "a": np.asarray(a.sum(axis=0)).ravel(),
            "ma": (ft @ a).toarray(), "mm": (ft @ features).toarray(),
            "m": np.asarray(features.sum(axis=0)).ravel(), "t": np.float64(a.shape[0])}


def _add(out: dict, wt: Weighting, c: dict, group: dict) -> None:
    for kind in PAIR_KINDS:
        _accumulate(out, f"aa/{wt.key}/{kind}", c[kind] * group["aa"])
    for kind in ITEM_KINDS:
        _accumulate(out, f"a/{wt.key}/{kind}", c[kind] * group["a"])
    for kind in META_ITEM_KINDS:
        _accumulate(out, f"ma/{wt.key}/{kind}", c[kind] * group["ma"])
    _accumulate(out, f"mm/{wt.key}/one", c["one"] * group["mm"])
    _accumulate(out, f"m/{wt.key}/one", c["one"] * group["m"])
    _accumulate(out, f"t/{wt.key}/one", np.float64(c["one"] * group["t"]))


def _accumulate(out: dict, key: str, value) -> None:
    out[key] = value if key not in out else out[key] + value


def _fill_empty(out: dict, spec: StatsSpec) -> None:
    """Zeros for moments no user contributed to (a partition of users without items)."""
    n, m = spec.n_items, spec.n_features
    shapes = {"aa": (n, n), "a": (n,), "ma": (m, n), "mm": (m, m), "m": (m,), "t": ()}
    for wt in spec.weightings:
        keys = ([f"aa/{wt.key}/{k}" for k in PAIR_KINDS] + [f"a/{wt.key}/{k}" for k in ITEM_KINDS]
                + [f"ma/{wt.key}/{k}" for k in META_ITEM_KINDS] + [f"{b}/{wt.key}/one" for b in ("mm", "m", "t")])
        for key in keys:
            if key not in out:
                block = key.split("/")[0]
                out[key] = (sp.csr_matrix(shapes[block]) if block == "aa" and not spec.dense
                            else np.zeros(shapes[block]))


def compute(a: sp.csr_matrix, features: sp.csr_matrix, ranks: np.ndarray, spec: StatsSpec) -> Statistics:
    """Statistics of one partition of users (rows of ``a`` and ``features``; ``ranks`` from :func:`user_ranks`)."""
    a = a.tocsr()
    features = features.tocsr()
    eligible = np.diff(a.indptr) >= spec.reveal + 1
    return Statistics(spec, int(a.shape[0]), int(eligible.sum()), moments(a, features, spec),
                      np.asarray(a.sum(axis=0)).ravel(), np.asarray(features.sum(axis=0)).ravel(),
                      _select(ranks, a, features, spec))


def _select(ranks: np.ndarray, items: sp.csr_matrix, features: sp.csr_matrix, spec: StatsSpec) -> Sample:
    """Keep the ``sample_users`` smallest ranks and the ``validation_users`` smallest eligible ones."""
    order = np.argsort(ranks, kind="stable")
    eligible = np.diff(items.indptr)[order] >= spec.reveal + 1
    keep = np.zeros(len(order), dtype=bool)
    keep[:spec.sample_users] = True
    keep[np.flatnonzero(eligible)[:spec.validation_users]] = True
    rows = order[keep]
    return Sample(ranks[rows], _binary(items[rows]), _binary(features[rows]))


def _binary(m: sp.csr_matrix) -> sp.csr_matrix:
    m = m.tocsr().copy()
    m.data = np.ones(len(m.data))
    return m
