"""Product recommender engine, by role.

- ``recommender.data``: Personalize datasets (reading, writing, validation), MovieLens-100K.
- ``recommender.synthetic``: the default dataset's generator and its exact-posterior oracle.
- ``recommender.training``: statistics then solve; writes the model artifact.
- ``recommender.serving``: the numpy-only model the Lambda loads (the only part in its zip).
- ``recommender.evaluation``: protocols, metrics, batch scoring, the deployed API's client.

Imports run one way: training and evaluation use data and serving; serving uses nothing of
theirs. The names below load lazily, so importing this package pulls in nothing else.
"""
from __future__ import annotations

__all__ = ["Dataset", "DatasetError", "FieldSpec", "load_dataset", "write_dataset", "load_model"]

_LAZY = {"Dataset": "recommender.data.dataset", "DatasetError": "recommender.data.dataset",
         "FieldSpec": "recommender.data.dataset", "load_dataset": "recommender.data.dataset",
         "write_dataset": "recommender.data.dataset", "load_model": "recommender.serving.model"}


def __getattr__(name: str):
    if name not in _LAZY:
        raise AttributeError(f"module 'recommender' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(_LAZY[name]), name)
