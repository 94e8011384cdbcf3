"""boto3 clients for a deployed stack: one region for every client, the local cloud's endpoint when local."""
from __future__ import annotations


def client(service: str, region: str, endpoint: str | None = None):
    """A client for ``service`` in ``region``: the local cloud at ``endpoint`` (its settings live in
    ``localcloud.client``), or AWS through the default credentials chain when ``endpoint`` is None."""
    import boto3

    if not region:
        raise ValueError("no AWS region: pass --region (or deploy first: the stack's state records its region)")
    if endpoint is None:
        return boto3.client(service, region_name=region)
    import localcloud

    return localcloud.client(service, endpoint, region=region)
