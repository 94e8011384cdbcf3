"""Start, stop and find the emulator process (state and log under the state folder)."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from localcloud import settings

START_TIMEOUT_S = 60.0


class LocalCloudError(RuntimeError):
    """The emulator could not be started or reached; the message says what to do."""


def _folder(state_dir: Path | None) -> Path:
    return Path(state_dir) if state_dir is not None else settings.state_dir()


def _state_file(state_dir: Path | None = None) -> Path:
    return _folder(state_dir) / "server.json"


def log_file(state_dir: Path | None = None) -> Path:
    """The emulator's log (stdout and stderr of the server process)."""
    return _folder(state_dir) / "server.log"


def _read_state(state_dir: Path | None = None) -> dict | None:
    try:
        return json.loads(_state_file(state_dir).read_text())
    except (OSError, ValueError):
        return None


def health(port: int, timeout: float = 1.0) -> dict | None:
    """The health document of a local cloud on ``port``, or None if nothing answers."""
    try:
        with urllib.request.urlopen(f"http://{settings.HOST}:{port}/_localcloud/health", timeout=timeout) as resp:
            doc = json.loads(resp.read())
            return doc if doc.get("status") == "ok" else None
    except (OSError, ValueError, urllib.error.URLError):
        return None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:  # a pid reused by another program is not ours
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
        return b"localcloud" in cmdline
    except OSError:
        return True


def status(state_dir: Path | None = None) -> dict:
    """``{"running", "pid", "port", "endpoint", "boot_id", "log"}`` of the emulator this folder started."""
    state = _read_state(state_dir)
    if state and _alive(state["pid"]):
        doc = health(state["port"], timeout=3.0)
        return {"running": doc is not None, "pid": state["pid"], "port": state["port"],
                "endpoint": f"http://{settings.HOST}:{state['port']}", "boot_id": (doc or {}).get("boot_id"),
                "log": str(log_file(state_dir))}
    port = settings.port()
    return {"running": False, "pid": None, "port": port, "endpoint": f"http://{settings.HOST}:{port}",
            "boot_id": None, "log": str(log_file(state_dir))}


def is_running(state_dir: Path | None = None) -> bool:
    """True when the emulator started from this state folder answers."""
    return bool(status(state_dir)["running"])


def endpoint(state_dir: Path | None = None) -> str:
    """``http://127.0.0.1:<port>`` of the running emulator (or of the configured port)."""
    return str(status(state_dir)["endpoint"])


def website_url(bucket: str, state_dir: Path | None = None) -> str:
    """Where the S3 website of ``bucket`` is served, on the same origin as the API."""
    return f"{endpoint(state_dir)}/_website/{bucket}/"


def start(port: int | None = None, timeout: float = START_TIMEOUT_S, state_dir: Path | None = None,
          env: dict[str, str] | None = None) -> str:
    """Start the emulator in the background (idempotent) and wait until it answers.

    Parameters
    ----------
    port : int, optional
        Port on 127.0.0.1; default ``LOCALCLOUD_PORT`` or 4566.
    timeout : float
        Seconds to wait for the first health answer.
    state_dir : Path, optional
        Folder for pid/state, log and Lambda code (default ``build/localcloud``).
    env : dict, optional
        Extra environment for the server process (e.g. ``LOCALCLOUD_LAMBDA_WORKERS``).

    Returns
    -------
    str
        The endpoint, e.g. ``http://127.0.0.1:4566``.
    """
    current = status(state_dir)
    if current["pid"] and (port is None or port == current["port"]):
        if current["running"] or _wait_healthy(current["port"], min(timeout, 15.0)):
            return str(current["endpoint"])  # ours and alive (perhaps still starting, or busy)
    if current["pid"]:
        stop(state_dir=state_dir)
    port = port or settings.port()
    if health(port):
        raise LocalCloudError(f"another local cloud already answers on port {port} (started from another folder); "
                              f"stop it there or choose another port with LOCALCLOUD_PORT")
    folder = _folder(state_dir)
    folder.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, **(env or {}), LOCALCLOUD_STATE_DIR=str(folder), PYTHONUNBUFFERED="1")
    with open(log_file(state_dir), "ab") as log:
        process = subprocess.Popen([sys.executable, "-m", "localcloud", "--port", str(port)],
                                   cwd=str(settings.PROJECT_ROOT), env=env, stdin=subprocess.DEVNULL,
                                   stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    _state_file(state_dir).write_text(json.dumps({"pid": process.pid, "port": port, "started": time.time()}))
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            _state_file(state_dir).unlink(missing_ok=True)
            raise LocalCloudError(f"the local cloud exited during start (code {process.returncode}); "
                                  f"last lines of {log_file(state_dir)}:\n{_tail(log_file(state_dir))}")
        if health(port, timeout=0.5):
            return f"http://{settings.HOST}:{port}"
        time.sleep(0.1)
    stop(state_dir=state_dir)
    raise LocalCloudError(f"the local cloud did not answer on port {port} within {timeout:.0f} s; "
                          f"see {log_file(state_dir)}")


def stop(timeout: float = 10.0, state_dir: Path | None = None) -> bool:
    """Stop the emulator this folder started (only that process). True if one was stopped."""
    state = _read_state(state_dir)
    if not state:
        return False
    pid = int(state["pid"])
    stopped = False
    if _alive(pid):
        os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and _alive(pid):
            _reap(pid)
            time.sleep(0.05)
        if _alive(pid):
            os.kill(pid, signal.SIGKILL)
            _reap(pid)
        stopped = True
    _state_file(state_dir).unlink(missing_ok=True)
    return stopped


def _wait_healthy(port: int, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if health(port, timeout=2.0):
            return True
        time.sleep(0.2)
    return False


def _reap(pid: int) -> None:
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        pass


def _tail(path: Path, lines: int = 20) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"
