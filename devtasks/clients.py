"""boto3 clients for a deployed stack: one region for every client, the local cloud's endpoint when local."""
from __future__ import annotations

LOCAL_CREDENTIALS = {"aws_access_key_id": "test", "aws_secret_access_key": "test"}


def client(service: str, region: str, endpoint: str | None = None):
    """A client for ``service`` in ``region``: the local cloud at ``endpoint`` (dummy keys, path-style S3),
    or AWS through the default credentials chain when ``endpoint`` is None."""
    import boto3
    from botocore.config import Config

    if not region:
        raise ValueError("no AWS region: pass --region (or deploy first: the stack's state records its region)")
    if endpoint is None:
        return boto3.client(service, region_name=region)
    return boto3.client(service, region_name=region, endpoint_url=endpoint, **LOCAL_CREDENTIALS,
                        config=Config(s3={"addressing_style": "path"}))
