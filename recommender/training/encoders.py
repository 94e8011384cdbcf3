"""Fitting the metadata encoders (serving.features) from training users."""
from __future__ import annotations

import math

import numpy as np

from recommender.serving.features import Cross, FieldEncoder


def build_encoders(user_fields: dict, user_schema: dict, n_buckets: int = 8) -> list[FieldEncoder]:
    """Fit one encoder per user field: categorical values from the schema, numeric quantile buckets.

    Parameters
    ----------
    user_fields : dict[str, ndarray]
        Training users' metadata columns.
    user_schema : dict[str, FieldSpec]
    n_buckets : int
        Number of quantile buckets per numeric field (fewer when values repeat).
    """
    encoders, offset = [], 0
    for name, spec in user_schema.items():
        column = user_fields[name]
        if spec.kind == "categorical":
            values = tuple(spec.values) if spec.values else tuple(sorted({v for v in column if isinstance(v, str)}))
            enc = FieldEncoder(name, "categorical", offset, values=values, description=spec.description)
        else:
            x = np.asarray(column, dtype=float)
            x = x[np.isfinite(x)]
            qs = np.quantile(x, np.linspace(0, 1, n_buckets + 1)[1:-1]) if len(x) else np.array([])
            if spec.integer:
                qs = np.ceil(qs)
            lo = spec.minimum if spec.minimum is not None else (float(x.min()) if len(x) else None)
            hi = spec.maximum if spec.maximum is not None else (float(x.max()) if len(x) else None)
            edges = sorted({float(_nice(q)) for q in qs if (lo is None or q > lo) and (hi is None or q <= hi)})
            enc = FieldEncoder(name, "numeric", offset, edges=tuple(edges), minimum=lo, maximum=hi,
                               integer=bool(spec.integer), description=spec.description)
        encoders.append(enc)
        offset += enc.size
    return encoders


def _nice(q: float) -> float:
    """Round a bucket edge to two significant figures so labels read well (34.7 -> 35, 41873 -> 42000)."""
    if q == 0:
        return 0.0
    digits = 1 - int(math.floor(math.log10(abs(q))))
    return float(round(q, digits))


def build_crosses(encoders: list[FieldEncoder], offset: int) -> list[Cross]:
    """Every pair of fields, numbered after the single-field features starting at ``offset``."""
    crosses = []
    for i in range(len(encoders)):
        for j in range(i + 1, len(encoders)):
            size = encoders[i].size * encoders[j].size
            crosses.append(Cross(i, j, offset, size))
            offset += size
    return crosses
