"""What every handler shares: the container's settings, clients and model."""
from __future__ import annotations

import logging
from typing import Any

from lambdas import config, logs
from lambdas.dal import aws, model_store
from lambdas.errors import ModelUnavailable


def model() -> Any:
    """The container's model (downloaded from the models bucket on first use).

    Raises
    ------
    ModelUnavailable
        Whatever stops the artifact from loading (missing, unreadable, corrupt); the
        details go to the log.
    """
    settings = config.settings()
    if settings.recommender_backend != "builtin":
        raise ModelUnavailable("recommender_backend = personalize: this build serves the builtin engine only; "
                               "deploy with recommender_backend = builtin")
    try:
        return model_store.get(aws.client("s3"), settings.models_bucket, settings.model_prefix, settings.model_dir)
    except ModelUnavailable as error:
        logs.log(logging.ERROR, "model unavailable", reason=error.message)
        raise
    except Exception as error:  # noqa: BLE001 - a corrupt artifact can fail in any library below
        logs.log(logging.ERROR, "model unavailable", exc_info=True)
        raise ModelUnavailable(f"the model artifact cannot be loaded: {type(error).__name__}: {error}") from None
