"""Where the local cloud keeps its state and which port it serves on."""
from __future__ import annotations

import os
from pathlib import Path

DEFAULT_PORT = 4566
HOST = "127.0.0.1"
DEFAULT_ACCOUNT = "123456789012"
DEFAULT_REGION = "us-east-1"
PROJECT_ROOT = Path(__file__).resolve().parent.parent


def port() -> int:
    """The port from ``LOCALCLOUD_PORT`` (default 4566), checked."""
    raw = os.environ.get("LOCALCLOUD_PORT", str(DEFAULT_PORT))
    try:
        value = int(raw)
    except ValueError:
        raise ValueError(f"LOCALCLOUD_PORT must be a port number, got {raw!r}") from None
    if not 0 < value < 65536:
        raise ValueError(f"LOCALCLOUD_PORT must be between 1 and 65535, got {value}")
    return value


def state_dir() -> Path:
    """Folder for the pid file, log and extracted Lambda code.

    ``LOCALCLOUD_STATE_DIR`` overrides the default ``build/localcloud``.
    """
    override = os.environ.get("LOCALCLOUD_STATE_DIR")
    return Path(override) if override else PROJECT_ROOT / "build" / "localcloud"


def lambda_workers_cap() -> int:
    """Warm workers allowed per function (``LOCALCLOUD_LAMBDA_WORKERS``, default 3)."""
    return max(1, int(os.environ.get("LOCALCLOUD_LAMBDA_WORKERS", "3")))


def website_headers_file() -> Path:
    """The site's security headers, shared with CloudFront's policy (``LOCALCLOUD_WEBSITE_HEADERS`` overrides)."""
    override = os.environ.get("LOCALCLOUD_WEBSITE_HEADERS")
    return Path(override) if override else PROJECT_ROOT / "terraform" / "modules" / "website" / "security_headers.json"
