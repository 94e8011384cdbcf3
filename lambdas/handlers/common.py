"""What every handler shares: the container's settings, clients and model."""
from __future__ import annotations

from typing import Any

from lambdas import config
from lambdas.dal import aws, model_store
from lambdas.errors import ModelUnavailable


def model() -> Any:
    """The container's model (downloaded from the models bucket on first use)."""
    settings = config.settings()
    if settings.recommender_backend != "builtin":
        raise ModelUnavailable("recommender_backend = personalize: this build serves the builtin engine only; "
                               "deploy with recommender_backend = builtin")
    return model_store.get(aws.client("s3"), settings.models_bucket, settings.model_prefix, settings.model_dir)
