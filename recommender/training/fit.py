"""Train the model: statistics (one pass over the data), then solve (tuning on validation users, refit).

    train(dataset)            an in-memory Dataset
    train_folder(path)        a Personalize folder (local or s3://), interactions streamed

Both run :func:`statistics` then :func:`solve`; a distributed engine plugs in between by producing
the same :class:`~recommender.training.statistics.Statistics` (see that module for the contract).
The objective (recommender.training.gram) is the expected squared error of predicting a user's held
items from 5 revealed items and/or their metadata, solved in closed form per mode
(recommender.training.linear). Catalogues larger than ``dense_max_items`` keep the item-item part as
top-``neighbours`` sparse rows.
"""
from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone

import numpy as np

from recommender.data.dataset import Dataset, EventFilter
from recommender.serving.model import Model
from recommender.training.catalogue import catalogue_arrays
from recommender.data.matrices import indicators
from recommender.serving.features import encode_requests
from recommender.training.encoders import Budget, build_crosses, build_encoders, build_item_encoders
from recommender.training.inputs import TrainingData
from recommender.training.solve import solve_dense
from recommender.training.space import FeatureSpace
from recommender.training.sparse_items import fit_sparse_layout
from recommender.training.statistics import Statistics, StatsSpec, Weighting, compute, user_ranks


@dataclass
class Hyperparameters:
    """Training settings; the grids are searched on validation users, the rest are fixed."""

    reveal: int = 5
    field_dropout: float = 0.25      # fields left out in the objective (items+metadata mode, large catalogues)
    meta_dropouts: tuple = (0.1, 0.25)  # the metadata mode's rate is chosen on validation among these
    crosses: bool = True            # try pairs of fields too (kept only if validation prefers them)
    n_buckets: int = 8
    max_features: int = 512         # single-field features in all (dense layout); rare values pooled beyond
    sparse_max_features: int = 96   # the same for catalogues above dense_max_items (weights are m x n)
    min_count: int = 10             # users a categorical value (or code prefix) needs to get a feature
    cross_size: int = 256           # features one cross may have
    cross_budget: int = 1024        # features all crosses together may have
    item_feature_lambdas: tuple = (None, 0.1, 1.0)   # item metadata in the item model (None: without); validated
    powers: tuple = (-1.0, -0.5, 0.0)
    items_lambdas: tuple = (0.03, 0.1, 0.3, 1.0)
    meta_lambdas: tuple = (0.01, 0.03, 0.1, 0.3, 1.0)
    meta_ranks: tuple = (0, 3, 6, 12)   # the metadata mode's reduced rank (0: full), chosen on validation
    both_meta_lambdas: tuple = (0.01, 0.1, 1.0, 10.0)
    knn_scales: tuple = (0.3, 1.0, 3.0)
    neighbours: int = 50
    dense_max_items: int = 4000
    validation_fraction: float = 0.2
    validation_draws: int = 3
    max_validation_users: int = 3000
    cv_folds: int = 5               # small data: every eligible user validates, in this many folds
    cv_max_users: int = 1500        # ... when at most this many users can validate
    latent_classes: tuple = (32,)      # latent-class scorer sizes tried (recommender.serving.latent); () = off
    latent_alphas: tuple = (0.0, 0.1, 0.25, 0.5, 0.75, 1.0)
    latent_iters: int = 80
    latent_refit_iters: int = 20
    latent_max_users: int = 60_000   # EM sees at most this many users (the statistics' sample)
    partition_users: int = 250_000   # users per statistics partition on one machine
    seed: int = 0
    chosen: dict = field(default_factory=dict)

    def budget(self, n_items: int) -> Budget:
        dense = n_items <= self.dense_max_items
        return Budget(features=self.max_features if dense else self.sparse_max_features, min_count=self.min_count,
                      cross_size=self.cross_size, cross_budget=self.cross_budget)


def train(ds: Dataset, hp: Hyperparameters | None = None, progress: bool = False,
          events: EventFilter | None = None) -> Model:
    """Fit a Model on an in-memory Dataset (see :func:`train_data`)."""
    return train_data(TrainingData.from_dataset(ds, events), hp, progress)


def train_folder(path, hp: Hyperparameters | None = None, progress: bool = False,
                 events: EventFilter | None = None) -> Model:
    """Fit a Model on a Personalize folder (local path or ``s3://``), streaming the interactions."""
    return train_data(TrainingData.from_folder(path, events), hp, progress)


def train_data(data: TrainingData, hp: Hyperparameters | None = None, progress: bool = False) -> Model:
    """Statistics, then solve.

    Raises
    ------
    ValueError
        No items or no interactions left to learn from.
    """
    hp = hp or Hyperparameters()
    if data.n_items == 0 or data.a.nnz == 0:
        kept = " after the event filter" if data.events != EventFilter() else ""
        raise ValueError(f"the dataset has no items or no interactions{kept}: nothing to train on")
    bar = _progress(_steps(data, hp), progress)
    space, encoder_report = feature_space(data, hp)
    stats = statistics(data, space, hp, bar.update)
    model = solve(stats, space, data, hp, bar.update)
    model.manifest["fields"] = encoder_report
    bar.close()
    return model


def feature_space(data: TrainingData, hp: Hyperparameters) -> tuple[FeatureSpace, dict]:
    """Encoders (with pooling and caps chosen from the data) and the candidate crosses."""
    budget = hp.budget(data.n_items)
    encoders, report = build_encoders(data.user_fields, data.user_schema, hp.n_buckets, budget)
    dense = data.n_items <= hp.dense_max_items
    n_base = sum(e.size for e in encoders)
    crosses = build_crosses(encoders, n_base, budget) if hp.crosses and dense else []
    item_encoders, item_features = [], None
    if dense and hp.item_feature_lambdas:
        item_encoders = build_item_encoders(data.item_fields, data.item_schema, hp.n_buckets)
        columns = {e.name: _item_column(data, e) for e in item_encoders}
        rows, feats = encode_requests(item_encoders, [], columns, data.n_items)
        item_features = indicators(rows, feats, (data.n_items, sum(e.size for e in item_encoders)))
    return FeatureSpace(encoders, crosses, item_encoders, item_features), report


def _item_column(data: TrainingData, enc) -> np.ndarray:
    column = data.item_fields[enc.name]
    if enc.kind != "numeric":
        return column
    text = np.asarray(column, dtype=object).astype(str)
    return np.array([float(v) if v.strip() not in ("", "nan") else np.nan for v in text.tolist()])


def spec_for(n_items: int, n_features: int, hp: Hyperparameters) -> StatsSpec:
    """What the solve needs: one weighting per user-weight power (only power 0 for large catalogues)."""
    dense = n_items <= hp.dense_max_items
    powers = hp.powers if dense else (0.0,)
    return StatsSpec(n_items=n_items, n_features=n_features, weightings=tuple(Weighting(p, hp.reveal) for p in powers),
                     dense=dense, reveal=hp.reveal, sample_users=hp.latent_max_users,
                     validation_users=hp.max_validation_users)


def statistics(data: TrainingData, space: FeatureSpace, hp: Hyperparameters, tick=None) -> Statistics:
    """The statistics of every user, computed partition by partition (features encoded per partition,
    so memory holds one partition's) and merged."""
    spec = spec_for(data.n_items, space.n_features, hp)
    ranks = user_ranks(data.user_ids)
    total = None
    for start in range(0, max(data.n_users, 1), hp.partition_users):
        rows = slice(start, min(start + hp.partition_users, data.n_users))
        columns = {name: column[rows] for name, column in data.user_fields.items()}
        features = space.encode(columns, rows.stop - rows.start)
        part = compute(data.a[rows], features, ranks[rows], spec)
        total = part if total is None else total.merge(part)
        if tick:
            tick()
    return total


def solve(stats: Statistics, space: FeatureSpace, data: TrainingData, hp: Hyperparameters, tick=None) -> Model:
    """Fit every mode from the statistics; ``data`` supplies only the catalogue (ids, names, tags)."""
    tick = tick or (lambda n=1: None)
    if stats.spec.dense:
        arrays, chosen, metrics, blend = solve_dense(stats, space, hp, tick)
        if not any(c.get("crosses") for c in chosen.values()):
            space = space.without_crosses()
            arrays["w_meta"] = arrays["w_meta"][:space.n_base]
            arrays["w_both_meta"] = arrays["w_both_meta"][:space.n_base]
    else:
        arrays, chosen, metrics = fit_sparse_layout(stats, space, hp, tick)
        blend = {}
    tick()
    arrays.update(catalogue_arrays(data.item_ids, data.item_fields, data.item_schema))
    manifest = {
        "trained_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "data_fingerprint": fingerprint(data.item_ids, stats),
        "layout": "dense" if stats.spec.dense else "sparse",
        "latent_blend": blend,
        "pooled": False,
        "reveal": int(hp.reveal),
        "hyperparameters": {**{k: v for k, v in asdict(hp).items() if k != "chosen"}, "chosen": chosen},
        "events": data.events.to_json(),
        "metrics": metrics,
        "n_users": int(stats.n_users), "n_items": int(stats.spec.n_items), "n_interactions": int(data.n_events),
        "encoders": [e.to_json() for e in space.encoders],
        "crosses": [[c.first, c.second, c.offset, c.size] for c in space.crosses],
        "item_features": [e.name for e in space.item_encoders]
        if any(c.get("lam_f") is not None for c in chosen.values() if isinstance(c, dict)) else [],
    }
    return Model(arrays, manifest)


def fingerprint(item_ids, stats: Statistics) -> str:
    """SHA-256 of what the model learnt from: item ids, user count, per-item and per-feature user counts
    (integers, so every statistics engine gives the same fingerprint for the same data)."""
    h = hashlib.sha256("\x1f".join(str(i) for i in item_ids).encode())
    h.update(np.int64(stats.n_users).tobytes())
    for counts in (stats.item_users, stats.feature_users):
        h.update(np.rint(np.asarray(counts, dtype=np.float64)).astype(np.int64).tobytes())
    return h.hexdigest()


def _steps(data: TrainingData, hp: Hyperparameters) -> int:
    partitions = -(-data.n_users // hp.partition_users)
    if data.n_items > hp.dense_max_items:
        return partitions + len(hp.knn_scales) + 1
    per_power = (len(hp.items_lambdas) + 2 * len(hp.both_meta_lambdas)
                 + 2 * len(hp.meta_lambdas) * len(hp.meta_dropouts)
                 + 2 * len(hp.meta_lambdas) * len([r for r in hp.meta_ranks if r > 0]))
    return partitions + len(hp.powers) * per_power + len(hp.latent_classes) + 1


def _progress(total: int, show: bool):
    from tqdm.auto import tqdm

    return tqdm(total=total, desc="training", unit="step", disable=not show)
