"""boto3 clients, created once per container (AWS_ENDPOINT_URL is honoured by boto3)."""
from __future__ import annotations

import functools

import boto3
from botocore.config import Config

# The api function waits for the synchronous workflow for at most CONNECT + READ seconds, less than
# its own 28 s timeout (terraform/main.tf: local.timeouts), and never sends StartSyncExecution twice:
# a retry would run the workflow again and record the request's selection event a second time.
WORKFLOW_CONNECT_TIMEOUT_S = 1
WORKFLOW_READ_TIMEOUT_S = 26
_CONFIG = {
    "stepfunctions": Config(retries={"total_max_attempts": 1}, connect_timeout=WORKFLOW_CONNECT_TIMEOUT_S,
                            read_timeout=WORKFLOW_READ_TIMEOUT_S),
}
_DEFAULT = Config(retries={"max_attempts": 3, "mode": "standard"}, connect_timeout=2, read_timeout=5)


@functools.lru_cache(maxsize=None)
def client(service: str):
    """A shared boto3 client for ``service``."""
    return boto3.client(service, config=_CONFIG.get(service, _DEFAULT))
