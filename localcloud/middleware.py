"""The WSGI middleware: our routes first, moto's server app for everything else."""
from __future__ import annotations

import json
import re
import sys
import threading
import time
import traceback

from localcloud import faults, settings
from localcloud.apigateway import control as apigateway_control
from localcloud.apigateway import store as apigateway_store
from localcloud.functions.invoke import FUNCTION_PATH, INVOKE_PATH, handle_delete, handle_invoke
from localcloud.functions.runtime import LambdaRuntime
from localcloud.wsgi import IN_PROCESS, Reply, aws_json_error, call_app, json_reply, read_body, service_of

HEALTH_PATH = "/_localcloud/health"
WEBSITE_PREFIX = "/_website/"
EXECUTE_API = re.compile(r"^/restapis/(?P<api>[^/]*)/(?P<stage>[^/]*)/_user_request_(?P<path>/.*)?$")


class LocalCloud:
    """Serve moto plus Lambda execution, API Gateway invocation, Step Functions fixes, Personalize, websites.

    Parameters
    ----------
    port : int
        The port this process serves on (the endpoint workers and the interpreter call back).
    boot_id : str
        Changes at every start, so deploy tooling can notice a restarted (empty) emulator.
    """

    def __init__(self, port: int, boot_id: str):
        from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app

        from localcloud.dynamodb import transactions as dynamodb_transactions
        from localcloud.stepfunctions import runtime as stepfunctions_runtime

        dynamodb_transactions.install()
        self.moto = DomainDispatcherApplication(create_backend_app)
        self.port, self.boot_id, self.started = port, boot_id, time.time()
        self.endpoint = f"http://{settings.HOST}:{port}"
        self.faults = faults.Faults()
        self.runtime = LambdaRuntime(self.endpoint, settings.state_dir() / "lambda", faults=self.faults)
        self.openapi = apigateway_store.OpenApiStore()
        stepfunctions_runtime.install(port, app=self)
        _cache_module_list()
        self.requests = {"http": 0, "in_process": 0, "direct": 0}
        self._count_lock = threading.Lock()
        self._stopping = threading.Event()
        threading.Thread(target=self._reap, daemon=True, name="localcloud-reaper").start()

    def __call__(self, environ: dict, start_response):
        self.count("in_process" if environ.get(IN_PROCESS) else "http")
        try:
            reply = self.route(environ)
        except Exception as exc:  # never a stack trace to the client; the log keeps it
            traceback.print_exc(file=sys.stderr)
            reply = aws_json_error(500, "InternalFailure", f"the local cloud failed on this request: {exc}")
        return reply(environ, start_response)

    def count(self, transport: str) -> None:
        """Count a request by how it arrived (http, in_process, direct), for status and tests."""
        with self._count_lock:
            self.requests[transport] += 1

    def route(self, environ: dict) -> Reply:
        path = environ.get("PATH_INFO", "") or "/"
        method = environ.get("REQUEST_METHOD", "GET")
        if path == HEALTH_PATH:
            return json_reply(200, self.health())
        if path == faults.PATH:
            return faults.handle(environ, self.faults, self.runtime.retire_function)
        if path.startswith(WEBSITE_PREFIX) or path.rstrip("/") + "/" == WEBSITE_PREFIX:
            from localcloud.website import serve_website

            return serve_website(environ, path[len(WEBSITE_PREFIX):])
        match = EXECUTE_API.match(path)
        if match:
            from localcloud.apigateway.invoke import invoke_rest_api

            return invoke_rest_api(self, environ, match["api"], match["stage"], match["path"] or "/")
        target = environ.get("HTTP_X_AMZ_TARGET", "")
        if target.startswith("DynamoDB_20120810.") and self.faults.dynamodb_fault(target[18:], read_body(environ)):
            return faults.throttled()
        if target.startswith("AWSStepFunctions."):
            from localcloud.stepfunctions import operations as stepfunctions

            return stepfunctions.handle(environ, self.forward) or self.forward(environ)
        service = service_of(environ)
        if service == "personalize" or target.startswith("AmazonPersonalize."):
            from localcloud.personalize import wire as personalize

            reply = personalize.handle(environ)
            if reply is not None:
                return reply
        match = INVOKE_PATH.match(path)
        if match and service in (None, "lambda"):
            if method != "POST":
                return aws_json_error(405, "UnknownOperationException", f"Invoke takes POST, not {method}")
            return handle_invoke(self.runtime, environ, match["name"])
        deleted = FUNCTION_PATH.match(path) if service == "lambda" and method == "DELETE" else None
        if deleted and not deleted.group(2):
            return handle_delete(self.runtime, environ, deleted["name"], self.forward)
        if service == "apigateway":
            return apigateway_control.handle(environ, self.forward, self.openapi)
        return self.forward(environ)

    def forward(self, environ: dict) -> Reply:
        """Let moto answer; its failures come back AWS-shaped, not as a debugger page."""
        read_body(environ)
        try:
            status, headers, body = call_app(self.moto, environ)
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            return aws_json_error(400, "SerializationException", f"could not parse the request body: {exc}")
        except (KeyError, TypeError) as exc:
            if not environ.get("HTTP_X_AMZ_TARGET"):
                traceback.print_exc(file=sys.stderr)
                return aws_json_error(500, "InternalFailure", f"the emulator could not handle this request: {exc!r}")
            return aws_json_error(400, "ValidationException", f"a required parameter is missing or malformed: {exc}")
        except NotImplementedError as exc:
            return aws_json_error(501, "NotImplemented", f"the emulator does not implement this: {exc}")
        except Exception as exc:
            traceback.print_exc(file=sys.stderr)
            return aws_json_error(500, "InternalFailure", f"the emulator could not handle this request: {exc}")
        if status >= 400 and b"<html" in body[:200].lower():
            code = "UnknownOperationException" if status == 404 else "InternalFailure"
            return aws_json_error(status, code, f"no operation answers {environ.get('REQUEST_METHOD')} "
                                                f"{environ.get('PATH_INFO')} here (HTTP {status})")
        reply = Reply(status, body, {})
        reply.headers = {k: v for k, v in headers}
        return reply

    def health(self) -> dict:
        from localcloud.stepfunctions import runtime as stepfunctions_runtime

        return {"status": "ok", "boot_id": self.boot_id, "started_at": self.started, "port": self.port,
                "endpoint": self.endpoint,
                "lambda_workers": {k: len(v) for k, v in self.runtime.workers().items()},
                "requests": dict(self.requests), "programs_parsed": stepfunctions_runtime.programs_parsed(),
                "interpreter_threads_kept": stepfunctions_runtime.threads_kept()}

    def close(self) -> None:
        self._stopping.set()
        self.runtime.retire(None)

    def _reap(self) -> None:
        while not self._stopping.wait(30):
            self.runtime.reap_idle()
            _prune_interpreter_threads()


def _cache_module_list() -> None:
    """moto's dispatcher lists its package folder on every request (~150 stat calls); list it once."""
    from moto import backends

    names = tuple(backends.list_of_moto_modules())
    backends.list_of_moto_modules = lambda: names


def _prune_interpreter_threads() -> None:
    """moto keeps every execution thread in a list forever; drop the finished ones."""
    try:
        from moto.stepfunctions.parser.utils import TMP_THREADS
    except ImportError:
        return
    TMP_THREADS[:] = [t for t in TMP_THREADS if t.is_alive()]
