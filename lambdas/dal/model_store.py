"""The model artifact: downloaded from the models bucket into /tmp once per container."""
from __future__ import annotations

import threading
from pathlib import Path
from typing import Any, Callable

from botocore.exceptions import BotoCoreError, ClientError

from lambdas.errors import ModelUnavailable

_lock = threading.Lock()
_loaded: dict[str, Any] = {}


def download(s3, bucket: str, prefix: str, target: Path) -> list[str]:
    """Copy every object under ``prefix`` into ``target``; return the file names.

    Raises
    ------
    ModelUnavailable
        If the prefix holds no object or the bucket cannot be read.
    """
    try:
        pages = s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix)
        keys = [obj["Key"] for page in pages for obj in page.get("Contents", [])]
    except (ClientError, BotoCoreError) as error:
        raise ModelUnavailable(f"cannot list s3://{bucket}/{prefix}: {error}") from None
    names = [key[len(prefix):] for key in keys if key[len(prefix):] and "/" not in key[len(prefix):]]
    if not names:
        raise ModelUnavailable(f"no model under s3://{bucket}/{prefix}; run `invoke deploy` to upload one")
    target.mkdir(parents=True, exist_ok=True)
    for name in names:
        s3.download_file(bucket, prefix + name, str(target / name))
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
                raise ModelUnavailable(f"the model under s3://{bucket}/{prefix} cannot be loaded: {error}") from None
    return _loaded[key]


def forget() -> None:
    """Drop the cached model (tests)."""
    _loaded.clear()
