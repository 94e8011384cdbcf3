"""Run the emulator: moto's server app wrapped in our middleware, one port, threaded."""
from __future__ import annotations

import io
import os
import signal
import socket
import sys
import threading
import time
import traceback
import uuid

from werkzeug.serving import WSGIRequestHandler, make_server

from localcloud import settings
from localcloud.collector import IdleCollector
from localcloud.http11 import FastRequestHead


class _Body(io.RawIOBase):
    """A request body read by Content-Length, so what the app left unread can be skipped exactly."""

    def __init__(self, stream: io.BufferedIOBase, length: int):
        super().__init__()
        self._stream, self.remaining = stream, max(length, 0)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[no-untyped-def]
        size = min(len(buffer), self.remaining)
        if not size:
            return 0
        data = self._stream.read(size)
        buffer[:len(data)] = data
        self.remaining = self.remaining - len(data) if data else 0  # no data: the client went away
        return len(data)


class _Handler(FastRequestHead, WSGIRequestHandler):
    """A keep-alive WSGI handler: headers and body leave in one write, with Nagle off.

    werkzeug's own handler closes every connection, because http.server cannot tell where an
    unread body ends; every request then paid a TCP connect and a new thread (a third of the
    emulator's CPU per API call, which makes three HTTP calls). Here the body is read through
    ``_Body`` (by Content-Length), what the app left unread is skipped exactly, and the
    connection stays open unless the client asked to close it, the body is chunked or too large
    to skip, or the app failed.
    """

    wbufsize = 1 << 16
    timeout = 300  # an idle kept-alive connection gives its thread back after five minutes
    SKIP_LIMIT = 1 << 20  # unread body bytes worth reading past to keep the connection

    def run_wsgi(self) -> None:
        environ = self.environ = self.make_environ()
        body = None
        if not environ.get("wsgi.input_terminated"):
            try:
                length = int(environ.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
            body = environ["wsgi.input"] = _Body(self.rfile, length)
        keep = (self.request_version == "HTTP/1.1" and body is not None
                and "close" not in self.headers.get("Connection", "").lower())
        state: dict = {"status": None, "headers": None, "sent": False}

        def start_response(status, headers, exc_info=None):  # type: ignore[no-untyped-def]
            if exc_info and state["sent"]:
                raise exc_info[1].with_traceback(exc_info[2])
            state["status"], state["headers"] = status, headers
            return write

        def write(data: bytes) -> None:
            nonlocal keep
            if not state["sent"]:
                state["sent"] = True
                code, _, reason = state["status"].partition(" ")
                self.send_response(int(code), reason)
                names = set()
                for key, value in state["headers"]:
                    self.send_header(key, value)
                    names.add(key.lower())
                if "content-length" not in names and environ["REQUEST_METHOD"] != "HEAD" \
                        and not (100 <= int(code) < 200 or int(code) in (204, 304)):
                    keep = False  # the end of the answer is the end of the connection
                if body is not None and body.remaining > self.SKIP_LIMIT:
                    keep = False
                if not keep:
                    self.send_header("Connection", "close")
                self.end_headers()
            if data:
                self.wfile.write(data)
            self.wfile.flush()

        try:
            answer = self.server.app(environ, start_response)
            try:
                for chunk in answer:
                    write(chunk)
                if not state["sent"]:
                    write(b"")
            finally:
                if hasattr(answer, "close"):
                    answer.close()
            if keep and body is not None and body.remaining:
                while body.remaining and body.read(1 << 16):
                    pass
        except (ConnectionError, TimeoutError):
            keep = False
        except Exception as exc:  # noqa: BLE001 — the middleware answers errors itself; this is a last resort
            keep = False
            if not state["sent"]:
                state["status"], state["headers"] = "500 Internal Server Error", [
                    ("Content-Type", "application/json"), ("Content-Length", "0")]
                try:
                    write(b"")
                except OSError:
                    pass
            print(f"localcloud: error on {environ.get('REQUEST_METHOD')} {environ.get('PATH_INFO')}: {exc!r}",
                  file=sys.stderr)
            traceback.print_exc(file=sys.stderr)
        if not keep:
            self.close_connection = True

    def setup(self) -> None:
        super().setup()
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_error(self, format: str, *args: object) -> None:  # noqa: A002 — http.server's signature
        if not format.startswith("Request timed out"):  # an idle kept-alive connection let go: not an error
            super().log_error(format, *args)

    def handle_expect_100(self) -> bool:
        """Answer ``Expect: 100-continue`` at once (boto3 sends it on every upload).

        The buffered ``wfile`` would hold the interim answer until the final one, so the
        client waits its 1 s timeout before sending the body; we flush it now, and drop the
        header so werkzeug does not send a second one.
        """
        self.wfile.write(b"HTTP/1.1 100 Continue\r\n\r\n")
        self.wfile.flush()
        del self.headers["Expect"]
        return True

    def log_request(self, code: object = "-", size: object = "-") -> None:
        if os.environ.get("LOCALCLOUD_ACCESS_LOG"):
            super().log_request(code, size)


def configure_moto(port: int) -> None:
    """Settings moto reads: run state machines, keep Lambda out of Docker, talk to this port."""
    os.environ["MOTO_PORT"] = str(port)
    os.environ.setdefault("MOTO_ALLOW_NONEXISTENT_REGION", "false")
    from moto.core.config import default_user_config

    default_user_config["lambda"]["use_docker"] = False
    default_user_config["batch"]["use_docker"] = False
    default_user_config["stepfunctions"]["execute_state_machine"] = True


def build_app(port: int, boot_id: str):
    """The WSGI application: our middleware in front of moto's dispatcher."""
    configure_moto(port)
    from localcloud.middleware import LocalCloud

    return LocalCloud(port=port, boot_id=boot_id)


def serve(port: int | None = None, ready: threading.Event | None = None) -> None:
    """Serve until SIGTERM/SIGINT; the caller's process is the emulator."""
    port = port or settings.port()
    with socket.socket() as probe:  # fail fast, before the slow moto imports
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        probe.bind((settings.HOST, port))
    boot_id = uuid.uuid4().hex
    app = build_app(port, boot_id)
    collector = IdleCollector()
    server = make_server(settings.HOST, port, collector.wrap(app), threaded=True, request_handler=_Handler)
    server.daemon_threads = True
    stopping = threading.Event()
    threading.Thread(target=collector.run, args=(stopping,), daemon=True, name="idle-collector").start()

    def _stop(signum: int, _frame: object) -> None:
        stopping.set()
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    print(f"localcloud: serving http://{settings.HOST}:{port} (boot {boot_id}, pid {os.getpid()})", flush=True)
    if ready is not None:
        ready.set()
    try:
        server.serve_forever(poll_interval=0.2)
    finally:
        stopping.set()
        app.close()
        server.server_close()
        print(f"localcloud: stopped at {time.strftime('%H:%M:%S')}", flush=True)
        sys.stdout.flush()
