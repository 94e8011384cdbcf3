"""Training: fit the model from a Dataset and write the serving artifact."""
from recommender.training.fit import Hyperparameters, train

__all__ = ["Hyperparameters", "train"]
