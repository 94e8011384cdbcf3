"""Run the emulator: moto's server app wrapped in our middleware, one port, threaded."""
from __future__ import annotations

import os
import signal
import socket
import sys
import threading
import time
import uuid

from werkzeug.serving import WSGIRequestHandler, make_server

from localcloud import settings


class _Handler(WSGIRequestHandler):
    """Headers and body leave in one write, with Nagle off (no 40 ms delayed-ACK stalls)."""

    wbufsize = 1 << 16

    def setup(self) -> None:
        super().setup()
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

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
    server = make_server(settings.HOST, port, app, threaded=True, request_handler=_Handler)
    server.daemon_threads = True

    def _stop(signum: int, _frame: object) -> None:
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    print(f"localcloud: serving http://{settings.HOST}:{port} (boot {boot_id}, pid {os.getpid()})", flush=True)
    if ready is not None:
        ready.set()
    try:
        server.serve_forever(poll_interval=0.2)
    finally:
        app.close()
        server.server_close()
        print(f"localcloud: stopped at {time.strftime('%H:%M:%S')}", flush=True)
        sys.stdout.flush()
