"""A worker whose init fails, or whose process exits, before its first call is handed over.

The pool starts a cold worker and then hands it the call that started it; a fast failure can land
in between. That call must get the failure at once, not wait out the init allowance (10 s) and
report a timeout.
"""
from __future__ import annotations

import os
import time

import pytest

from localcloud.functions.worker import INIT_ALLOWANCE_S, Invocation, Worker


def _worker(tmp_path, handler: str, files: dict[str, str]) -> Worker:
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    env = {"PATH": os.environ.get("PATH", ""), "LAMBDA_TASK_ROOT": str(tmp_path), "_HANDLER": handler}
    return Worker(tmp_path, env, "fingerprint", lambda stream, line: None, "stream")


def _finished_before_handover(worker: Worker) -> None:
    deadline = time.monotonic() + 30
    while not worker.dead:  # the process has failed, and exited, before anyone handed it a call
        assert time.monotonic() < deadline, "the worker process never ended"
        time.sleep(0.02)


@pytest.mark.parametrize("handler, files, outcome, error_type", [
    ("missing.handler", {}, "init_error", "Runtime.ImportModuleError"),
    ("app.handler", {"app.py": "import os\nos._exit(3)\n"}, "exit", "Runtime.ExitError"),
])
def test_a_failure_before_the_call_is_handed_over_is_that_calls_answer_at_once(
        tmp_path, handler, files, outcome, error_type):
    worker = _worker(tmp_path, handler, files)
    try:
        _finished_before_handover(worker)
        started = time.monotonic()
        inv = worker.invoke(Invocation("req-1", b"{}", "arn:aws:lambda:us-east-1:123456789012:function:f", 3.0))
        took = time.monotonic() - started
    finally:
        worker.kill()
    assert (inv.outcome, inv.error_type) == (outcome, error_type)
    assert took < INIT_ALLOWANCE_S / 4, f"the call waited {took:.1f} s for a worker that had already failed"
    if outcome == "exit":
        assert b"exit status 3" in inv.body and b"req-1" in inv.body
