"""Product recommender engine: data (Personalize CSVs), generator, model, evaluation.

Serving code imports only numpy; training and evaluation may use scipy.
"""
from recommender.dataset import Dataset, DatasetError, FieldSpec, load_dataset, write_dataset

__all__ = ["Dataset", "DatasetError", "FieldSpec", "load_dataset", "write_dataset", "load_model"]


def load_model(model_dir):
    """Load a trained model artifact (see recommender/README.md for the contract)."""
    from recommender.model import load_model as _load

    return _load(model_dir)
