"""Helpers shared by the local cloud tests: the session's emulator handle, zips, free ports."""
from __future__ import annotations

import io
import socket
import zipfile
from dataclasses import dataclass
from pathlib import Path

import localcloud

WORKER_CAP = 2


@dataclass
class Cloud:
    endpoint: str
    port: int
    state_dir: Path

    def client(self, service: str):
        """A boto3 client for the emulator (host prefixes off, as the Lambda workers have them)."""
        return localcloud.client(service, self.endpoint, retries={"total_max_attempts": 1}, read_timeout=120)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def make_zip(files: dict[str, str]) -> bytes:
    """A deployment package holding ``files`` (name → source)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return buffer.getvalue()
