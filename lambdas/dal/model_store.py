"""The model artifact: downloaded from the models bucket into /tmp once per container."""
from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Any, Callable

from botocore.exceptions import BotoCoreError, ClientError

from lambdas import logs
from lambdas.errors import ModelUnavailable

_lock = threading.Lock()
_loaded: dict[str, Any] = {}


def unavailable(reason: str, **details: Any) -> ModelUnavailable:
    """Log what went wrong (bucket, prefix, the AWS error) and return the error the client sees:
    a message without internals, and the request id to find this log line by."""
    logs.log(logging.ERROR, "model unavailable", reason=reason, **details)
    return ModelUnavailable("the recommendation model is not available right now; try again in a minute "
                            f"(request id {logs.request_id()})")


def download(s3, bucket: str, prefix: str, target: Path) -> list[str]:
    """Copy every object under ``prefix`` into ``target``; return the file names.

    Raises
    ------
    ModelUnavailable
        If the prefix holds no object or the bucket cannot be read (details go to the log).
    """
    where = {"bucket": bucket, "prefix": prefix}
    try:
        pages = s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix)
        keys = [obj["Key"] for page in pages for obj in page.get("Contents", [])]
        names = [key[len(prefix):] for key in keys if key[len(prefix):] and "/" not in key[len(prefix):]]
        if not names:
            raise unavailable("no model under the prefix; `invoke deploy` (or terraform apply) uploads one", **where)
        target.mkdir(parents=True, exist_ok=True)
        for name in names:
            s3.download_file(bucket, prefix + name, str(target / name))
    except (ClientError, BotoCoreError) as error:
        raise unavailable("the models bucket cannot be read", error=str(error), **where) from None
    return sorted(names)


def get(s3, bucket: str, prefix: str, model_dir: str, loader: Callable[[Path], Any] | None = None) -> Any:
    """The container's model, loaded on first use and kept.

    Parameters
    ----------
    s3 : botocore client
        S3 client.
    bucket, prefix : str
        Where the artifact (model.npz + manifest.json) lives.
    model_dir : str
        Local folder to download into (under /tmp on Lambda).
    loader : callable, optional
        ``Path -> model``; defaults to ``recommender.serving.load_model``.
    """
    key = f"{bucket}/{prefix}"
    if key in _loaded:
        return _loaded[key]
    with _lock:
        if key not in _loaded:
            if loader is None:
                from recommender.serving import load_model as loader
            target = Path(model_dir)
            download(s3, bucket, prefix, target)
            try:
                _loaded[key] = loader(target)
            except (OSError, ValueError, KeyError) as error:
                raise unavailable("the model artifact cannot be loaded", error=str(error), bucket=bucket,
                                  prefix=prefix) from None
    return _loaded[key]


def forget() -> None:
    """Drop the cached model (tests)."""
    _loaded.clear()
