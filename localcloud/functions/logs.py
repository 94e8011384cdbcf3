"""Write Lambda output into moto's CloudWatch Logs backend (/aws/lambda/<name>)."""
from __future__ import annotations

import threading
import time

_lock = threading.Lock()


def log_group_name(function_name: str) -> str:
    return f"/aws/lambda/{function_name}"


def new_stream_name(version: str, token: str) -> str:
    """A stream name shaped like AWS's: ``2026/11/26/[$LATEST]<hex>``."""
    return time.strftime("%Y/%m/%d/", time.gmtime()) + f"[{version}]{token}"


class LogWriter:
    """Appends lines to one log group, creating the group and streams on first use."""

    def __init__(self, account: str, region: str, group: str):
        self.account, self.region, self.group = account, region, group

    def __call__(self, stream: str, message: str) -> None:
        from moto.logs.models import logs_backends

        event = {"timestamp": int(time.time() * 1000), "message": message}
        with _lock:
            backend = logs_backends[self.account][self.region]
            if self.group not in backend.groups:
                backend.create_log_group(self.group, tags={})
            group = backend.groups[self.group]
            if stream not in group.streams:
                group.create_log_stream(stream)
            group.streams[stream].put_log_events([event])
