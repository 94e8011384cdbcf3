"""The served model: numpy and the standard library only (the Lambda zip carries this subpackage)."""
from recommender.serving.artifact import ArtifactError
from recommender.serving.model import Model, load_model

__all__ = ["ArtifactError", "Model", "load_model"]
