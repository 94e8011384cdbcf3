"""What every handler shares: the container's settings, clients and model, and the backend switch.

The one place that knows ``RECOMMENDER_BACKEND``: ``builtin`` answers with the engine,
``personalize`` with the Amazon Personalize campaign, ``both`` with the engine's list and
Personalize's beside it (``compare``) for the same input. The engine's artifact is loaded
whatever the backend: it knows the catalogue and the metadata fields the API validates against.
"""
from __future__ import annotations

import functools
import json
import logging
import uuid
from typing import Any

from lambdas import config, logs
from lambdas.dal import aws, model_store
from lambdas.dal.personalize import PersonalizeRanker
from lambdas.errors import ApiError, ModelUnavailable


def model() -> Any:
    """The container's model (downloaded from the models bucket on first use).

    Raises
    ------
    ModelUnavailable
        Whatever stops the artifact from loading (missing, unreadable, corrupt); the
        details go to the log.
    """
    settings = config.settings()
    try:
        return model_store.get(aws.client("s3"), settings.models_bucket, settings.model_prefix, settings.model_dir)
    except ModelUnavailable as error:
        logs.log(logging.ERROR, "model unavailable", reason=error.message)
        raise
    except Exception as error:  # noqa: BLE001 - a corrupt artifact can fail in any library below
        logs.log(logging.ERROR, "model unavailable", exc_info=True)
        raise ModelUnavailable(f"the model artifact cannot be loaded: {type(error).__name__}: {error}") from None


@functools.lru_cache(maxsize=1)
def _personalize() -> PersonalizeRanker:
    return PersonalizeRanker(aws.client("personalize-runtime"), aws.client("personalize-events"), config.settings(),
                             model(), lambda: uuid.uuid4().hex)


def rankers() -> list[tuple[str, Any]]:
    """``(backend name, ranker)`` pairs this deployment answers with, the primary first."""
    backend = config.settings().recommender_backend
    found = []
    if backend in ("builtin", "both"):
        found.append(("builtin", model()))
    if backend in ("personalize", "both"):
        found.append(("personalize", _personalize()))
    return found


def combine(answers: list[tuple[str, dict | ApiError]]) -> dict:
    """One Recommend answer from each backend's: the primary's document, naming its backend, with
    the second's list (or why it failed) under ``compare``. A failed primary raises its error."""
    (name, first), rest = answers[0], answers[1:]
    if isinstance(first, Exception):
        raise first
    document = dict(first["document"], backend=name)
    for other, answer in rest:
        if isinstance(answer, Exception):
            document["compare"] = {"backend": other, "recommendations": [], "error": str(answer)}
        else:
            document["compare"] = {"backend": other, "recommendations": answer["document"]["recommendations"]}
    return {"document": document, "document_json": json.dumps(document, sort_keys=True)}
