"""One warm Lambda sandbox: a worker process plus the Runtime API endpoint it polls."""
from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from queue import Empty, Queue
from typing import Callable

from localcloud.http11 import FastRequestHead

BOOTSTRAP = Path(__file__).with_name("bootstrap.py")
INIT_ALLOWANCE_S = 10.0
DRAINED = "\x1flocalcloud-drained "  # written by the bootstrap after an invocation's last line
_PREFIX = "/2018-06-01/runtime"


@dataclass
class Invocation:
    """One event on its way through a worker, and what came back."""

    request_id: str
    payload: bytes
    function_arn: str
    timeout_s: float
    client_context: str | None = None
    deadline_ms: int = 0
    picked: bool = False
    done: bool = False
    outcome: str = ""  # "ok" | "error" | "init_error" | "timeout" | "exit"
    body: bytes = b""
    error_type: str = ""
    started: float = field(default_factory=time.monotonic)
    cond: threading.Condition = field(default_factory=threading.Condition)

    def finish(self, outcome: str, body: bytes, error_type: str = "") -> None:
        with self.cond:
            if self.done:
                return
            self.outcome, self.body, self.error_type, self.done = outcome, body, error_type, True
            self.cond.notify_all()

    def mark_picked(self) -> None:
        with self.cond:
            self.picked = True
            self.started = time.monotonic()
            self.cond.notify_all()


class Worker:
    """A worker process running ``bootstrap.py`` for one code version.

    Parameters
    ----------
    code_dir : Path
        The extracted deployment package (first on the worker's ``sys.path``).
    env : dict
        Environment of the worker process (function env and the Lambda variables).
    fingerprint : str
        Identity of the code and configuration; a change retires the worker.
    log : callable
        ``log(stream_name, line)`` receives every line the worker prints.
    log_stream : str
        The CloudWatch Logs stream of this sandbox.
    scratch : Path, optional
        The sandbox's own temporary folder (its ``TMPDIR``), removed with the worker.
    """

    def __init__(self, code_dir: Path, env: dict[str, str], fingerprint: str,
                 log: Callable[[str, str], None], log_stream: str, scratch: Path | None = None):
        self.fingerprint = fingerprint
        self.scratch = scratch
        self._rss = (-1.0, 0)  # (when, bytes): the REPORT line's memory figure
        self.log_stream = log_stream
        self.busy = False
        self.dead = False
        self.ready = False  # the process has asked for its first event (its init is done)
        self.on_ready: Callable[[], None] = lambda: None
        self.last_used = time.monotonic()
        self.captured: list[str] | None = None  # lines printed during the current invocation
        self._drained = threading.Event()
        self._log = log
        self._queue: Queue[Invocation | None] = Queue()
        self._waiting: Invocation | None = None
        # An init that fails, or a process that exits, before its first call is handed over is kept
        # here for that call; the lock orders the handover against both.
        self._handoff = threading.Lock()
        self._init_error: tuple[bytes, str] | None = None
        self._exit_code: int | None = None
        self._server = _RuntimeApiServer(self)
        threading.Thread(target=self._server.serve_forever, daemon=True, name="lambda-runtime-api").start()
        env = dict(env, AWS_LAMBDA_RUNTIME_API=f"127.0.0.1:{self._server.server_address[1]}",
                   AWS_LAMBDA_LOG_STREAM_NAME=log_stream)
        self.process = subprocess.Popen(
            [sys.executable, "-u", str(BOOTSTRAP)], cwd=str(code_dir), env=env,
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        threading.Thread(target=self._pump_output, daemon=True, name="lambda-log").start()

    @property
    def pid(self) -> int:
        return self.process.pid

    def invoke(self, inv: Invocation) -> Invocation:
        """Hand ``inv`` to the worker and wait for its outcome (or the timeout)."""
        self._drained.clear()
        with self._handoff:
            self._waiting = inv
            init_error, exit_code = self._init_error, self._exit_code
        if init_error is not None:
            inv.finish("init_error", *init_error)
        elif exit_code is not None:
            inv.finish("exit", _exit_doc(inv.request_id, exit_code), "Runtime.ExitError")
        else:
            self._queue.put(inv)
        with inv.cond:
            inv.cond.wait_for(lambda: inv.picked or inv.done, INIT_ALLOWANCE_S)
            if not inv.done and not inv.picked:
                inv.finish("init_error", _doc("Runtime.InitTimeout", "the function did not initialise within "
                                              f"{INIT_ALLOWANCE_S:.0f} s"), "Runtime.InitTimeout")
                self.kill()
            remaining = lambda: inv.timeout_s - (time.monotonic() - inv.started)  # noqa: E731
            while not inv.done and remaining() > 0:
                inv.cond.wait(remaining())
        if not inv.done:
            message = f"RequestId: {inv.request_id} Error: Task timed out after {inv.timeout_s:.2f} seconds"
            inv.finish("timeout", _doc("Sandbox.Timedout", message), "Sandbox.Timedout")
            self._log(self.log_stream, f"{_now_iso()} {inv.request_id} Task timed out after {inv.timeout_s:.2f} seconds")
            self.kill()
        if inv.outcome in ("ok", "error"):
            self._drained.wait(0.5)  # the invocation's output is in the pipe: let the reader catch up
        self._waiting = None
        self.last_used = time.monotonic()
        return inv

    def kill(self) -> None:
        """End the worker process and its Runtime API endpoint."""
        self.dead = True
        self._queue.put(None)
        if self.process.poll() is None:
            try:
                os.killpg(self.process.pid, 9)
            except (ProcessLookupError, PermissionError):
                self.process.kill()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            pass
        self._server.shutdown_quietly()
        if self.scratch is not None:
            shutil.rmtree(self.scratch, ignore_errors=True)

    def rss_bytes(self) -> int:
        """Resident memory of the worker process (0 when unknown), read at most once a second."""
        now = time.monotonic()
        if now - self._rss[0] >= 1.0:
            try:
                with open(f"/proc/{self.pid}/statm") as statm:
                    self._rss = (now, int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE"))
            except (OSError, ValueError, IndexError):
                self._rss = (now, 0)
        return self._rss[1]

    # -- runtime API callbacks --------------------------------------------------------
    def next_invocation(self) -> Invocation | None:
        if not self.ready:
            self.ready = True
            self.on_ready()
        while not self.dead:
            try:
                inv = self._queue.get(timeout=1.0)
            except Empty:
                continue
            if inv is None:
                return None
            inv.deadline_ms = int((time.time() + inv.timeout_s) * 1000)
            inv.mark_picked()
            return inv
        return None

    def complete(self, request_id: str, outcome: str, body: bytes, error_type: str = "") -> bool:
        inv = self._waiting
        if inv is None or inv.request_id != request_id:
            return False
        inv.finish(outcome, body, error_type)
        return True

    def init_failed(self, body: bytes, error_type: str) -> None:
        error_type = error_type or _type_of(body)
        with self._handoff:
            inv = self._waiting
            if inv is None:  # the call this worker was started for is not handed over yet
                self._init_error = (body, error_type)
        if inv is not None:
            inv.finish("init_error", body, error_type)
        else:  # that call sees the error; a worker started ahead of demand is dropped by the pool
            self.dead = True
            self.on_ready()

    def _pump_output(self) -> None:
        assert self.process.stdout is not None
        for raw in self.process.stdout:
            line = raw.decode("utf-8", "replace").rstrip("\n")
            marker = DRAINED in line  # a handler's unterminated last line may precede the marker
            if marker:
                line = line[:line.index(DRAINED)]
            if line or not marker:
                captured = self.captured
                if captured is not None:
                    captured.append(line)
                self._log(self.log_stream, line)
            if marker:
                self._drained.set()
        code = self.process.wait()
        with self._handoff:
            self.dead = True
            self._exit_code = code
            inv = self._waiting
        if inv is not None and not inv.done:
            inv.finish("exit", _exit_doc(inv.request_id, code), "Runtime.ExitError")
        self._server.shutdown_quietly()


class _RuntimeApiServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, worker: Worker):
        self.worker = worker
        self._closed = False
        super().__init__(("127.0.0.1", 0), _RuntimeApiHandler)

    def handle_error(self, request: object, client_address: object) -> None:
        """A worker killed mid-request (timeout, retirement) resets its connection: not worth a traceback."""
        if not isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            super().handle_error(request, client_address)

    def shutdown_quietly(self) -> None:
        if not self._closed:
            self._closed = True
            threading.Thread(target=self._close, daemon=True).start()

    def _close(self) -> None:
        self.shutdown()
        self.server_close()


class _RuntimeApiHandler(FastRequestHead, BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _RuntimeApiServer

    def setup(self) -> None:
        super().setup()
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, *args: object) -> None:  # quiet: the worker's own output is the log
        pass

    def do_GET(self) -> None:  # noqa: N802
        if self.path != f"{_PREFIX}/invocation/next":
            return self._send(404, b'{"errorMessage":"unknown runtime API path"}')
        inv = self.server.worker.next_invocation()
        if inv is None:
            return self._send(410, b'{"errorMessage":"sandbox retired"}')
        headers = {
            "Lambda-Runtime-Aws-Request-Id": inv.request_id,
            "Lambda-Runtime-Deadline-Ms": str(inv.deadline_ms),
            "Lambda-Runtime-Invoked-Function-Arn": inv.function_arn,
            "Lambda-Runtime-Trace-Id": f"Root=1-{int(time.time()):08x}-{inv.request_id.replace('-', '')[:24]}",
        }
        if inv.client_context:
            headers["Lambda-Runtime-Client-Context"] = inv.client_context
        self._send(200, inv.payload, headers)

    def do_POST(self) -> None:  # noqa: N802
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length > 0 else b""
        path = self.path[len(_PREFIX):] if self.path.startswith(_PREFIX) else ""
        worker = self.server.worker
        error_type = self.headers.get("Lambda-Runtime-Function-Error-Type", "")
        if path == "/init/error":
            worker.init_failed(body, error_type)
            return self._send(202, b'{"status":"OK"}')
        parts = path.strip("/").split("/")
        if len(parts) == 3 and parts[0] == "invocation" and parts[2] in ("response", "error"):
            outcome = "ok" if parts[2] == "response" else "error"
            if worker.complete(parts[1], outcome, body, error_type):
                return self._send(202, b'{"status":"OK"}')
            return self._send(400, b'{"errorMessage":"unknown or finished request id"}')
        self._send(404, b'{"errorMessage":"unknown runtime API path"}')

    def _send(self, status: int, body: bytes, headers: dict[str, str] | None = None) -> None:
        lines = [f"HTTP/1.1 {status} {'OK' if status < 300 else 'Error'}", "Content-Type: application/json",
                 f"Content-Length: {len(body)}"]
        lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
        self.wfile.write(("\r\n".join(lines) + "\r\n\r\n").encode() + body)


def _doc(error_type: str, message: str) -> bytes:
    return json.dumps({"errorMessage": message, "errorType": error_type}).encode()


def _exit_doc(request_id: str, code: int) -> bytes:
    return _doc("Runtime.ExitError", f"RequestId: {request_id} Error: Runtime exited with error: exit status {code}")


def _type_of(body: bytes) -> str:
    try:
        return str(json.loads(body).get("errorType", "Runtime.Unknown"))
    except (ValueError, AttributeError):
        return "Runtime.Unknown"


def _now_iso() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime()) + "Z"
