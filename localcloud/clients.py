"""The one place that knows how a client talks to the local cloud.

Every client of the emulator — the deploy tasks, the tests, the benchmarks, the Lambda
workers' boto3, the Step Functions interpreter's Task calls — uses
the same endpoint for every service, one region, dummy credentials, path-style S3 and
no host prefixes (boto3 would send StartSyncExecution to a ``sync-`` host otherwise).
"""
from __future__ import annotations

from typing import Any

from localcloud.settings import DEFAULT_REGION

ACCESS_KEY = "test"
SECRET_KEY = "test"
SESSION_TOKEN = "test"


def config(**extra: Any):
    """botocore ``Config`` for the emulator: path-style S3, no host prefix, plus ``extra`` options."""
    from botocore.config import Config

    return Config(s3={"addressing_style": "path"}, inject_host_prefix=False, **extra)


def client(service: str, endpoint: str | None = None, region: str = DEFAULT_REGION, **extra: Any):
    """A boto3 client for ``service`` on the local cloud at ``endpoint`` (default: the running one).

    ``extra`` goes into the botocore ``Config`` (e.g. ``retries``, ``read_timeout``).
    """
    import boto3

    if endpoint is None:
        from localcloud.control import endpoint as current

        endpoint = current()
    return boto3.client(service, endpoint_url=endpoint, region_name=region, aws_access_key_id=ACCESS_KEY,
                        aws_secret_access_key=SECRET_KEY, config=config(**extra))


def environment(endpoint: str, region: str = DEFAULT_REGION) -> dict[str, str]:
    """Variables that make any AWS SDK in a child process (a Lambda worker) talk to the emulator."""
    return {
        "AWS_ENDPOINT_URL": endpoint,
        "AWS_DISABLE_HOST_PREFIX_INJECTION": "true",
        "AWS_ACCESS_KEY_ID": ACCESS_KEY, "AWS_SECRET_ACCESS_KEY": SECRET_KEY, "AWS_SESSION_TOKEN": SESSION_TOKEN,
        "AWS_REGION": region, "AWS_DEFAULT_REGION": region,
    }

