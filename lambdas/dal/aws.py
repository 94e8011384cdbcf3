"""boto3 clients, created once per container (AWS_ENDPOINT_URL is honoured by boto3)."""
from __future__ import annotations

import functools

import boto3
from botocore.config import Config

_CONFIG = Config(retries={"max_attempts": 3, "mode": "standard"}, connect_timeout=5, read_timeout=30)


@functools.lru_cache(maxsize=None)
def client(service: str):
    """A shared boto3 client for ``service``."""
    return boto3.client(service, config=_CONFIG)
