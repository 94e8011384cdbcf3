"""Worker bootstrap: a Python Lambda runtime speaking the Lambda Runtime API (stdlib only).

Run as ``python bootstrap.py`` with ``LAMBDA_TASK_ROOT``, ``_HANDLER`` and
``AWS_LAMBDA_RUNTIME_API`` set. It imports the handler once, then loops: fetch the
next event, call the handler, post the result or the error, exactly as AWS's
``awslambdaric`` does.
"""
import http.client
import importlib
import json
import os
import sys
import time
import traceback

API_VERSION = "/2018-06-01/runtime"
DRAINED = "\x1flocalcloud-drained"  # tells the emulator every line of this invocation was written


def _drained(request_id):
    sys.stderr.flush()
    sys.stdout.write(f"{DRAINED} {request_id}\n")
    sys.stdout.flush()


class _Context:
    """The ``context`` object handed to a handler."""

    def __init__(self, headers):
        self.aws_request_id = headers.get("Lambda-Runtime-Aws-Request-Id", "")
        self.invoked_function_arn = headers.get("Lambda-Runtime-Invoked-Function-Arn", "")
        self._deadline_ms = int(headers.get("Lambda-Runtime-Deadline-Ms") or 0)
        self.function_name = os.environ.get("AWS_LAMBDA_FUNCTION_NAME", "")
        self.function_version = os.environ.get("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST")
        self.memory_limit_in_mb = os.environ.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "128")
        self.log_group_name = os.environ.get("AWS_LAMBDA_LOG_GROUP_NAME", "")
        self.log_stream_name = os.environ.get("AWS_LAMBDA_LOG_STREAM_NAME", "")
        client_context = headers.get("Lambda-Runtime-Client-Context")
        self.client_context = json.loads(client_context) if client_context else None
        identity = headers.get("Lambda-Runtime-Cognito-Identity")
        self.identity = json.loads(identity) if identity else None

    def get_remaining_time_in_millis(self):
        return max(0, self._deadline_ms - int(time.time() * 1000))


def _error_document(exc, error_type=None):
    return {
        "errorMessage": str(exc),
        "errorType": error_type or type(exc).__name__,
        "requestId": "",
        "stackTrace": traceback.format_list(traceback.extract_tb(exc.__traceback__)[1:]),
    }


class _Api:
    def __init__(self, address):
        host, _, port = address.partition(":")
        self._conn = http.client.HTTPConnection(host, int(port or 80))

    def call(self, method, path, body=None, headers=None):
        self._conn.request(method, API_VERSION + path, body=body, headers=headers or {})
        response = self._conn.getresponse()
        data = response.read()
        return response, data

    def post_json(self, path, document, headers=None):
        body = json.dumps(document).encode()
        self.call("POST", path, body, dict(headers or {}, **{"Content-Type": "application/json"}))


def _load_handler(spec):
    module_name, _, function_name = spec.rpartition(".")
    if not module_name or not function_name:
        raise _InitError("Runtime.MalformedHandlerName",
                         f"Bad handler '{spec}': not enough values to unpack (expected 2, got 1)")
    try:
        module = importlib.import_module(module_name.replace("/", "."))
    except ImportError as exc:
        raise _InitError("Runtime.ImportModuleError",
                         f"Unable to import module '{module_name}': {exc}") from exc
    except SyntaxError as exc:
        raise _InitError("Runtime.UserCodeSyntaxError", f"Syntax error in module '{module_name}': {exc}") from exc
    handler = getattr(module, function_name, None)
    if handler is None:
        raise _InitError("Runtime.HandlerNotFound",
                         f"Handler '{function_name}' missing on module '{module_name}'")
    return handler


class _InitError(Exception):
    def __init__(self, error_type, message):
        super().__init__(message)
        self.error_type = error_type


def main():
    task_root = os.environ["LAMBDA_TASK_ROOT"]
    sys.path[0] = task_root
    os.chdir(task_root)
    api = _Api(os.environ["AWS_LAMBDA_RUNTIME_API"])
    try:
        handler = _load_handler(os.environ["_HANDLER"])
    except _InitError as exc:
        print(f"[ERROR] {exc.error_type}: {exc}", flush=True)
        doc = {"errorMessage": str(exc), "errorType": exc.error_type, "requestId": "", "stackTrace": []}
        api.post_json("/init/error", doc, {"Lambda-Runtime-Function-Error-Type": exc.error_type})
        sys.exit(1)
    except Exception as exc:  # any other failure while importing user code
        print(f"[ERROR] Runtime.Unknown: {exc}", flush=True)
        api.post_json("/init/error", _error_document(exc, "Runtime.Unknown"))
        sys.exit(1)
    while True:
        try:
            response, event_body = api.call("GET", "/invocation/next")
        except OSError:  # the emulator went away: this sandbox ends with it
            sys.exit(0)
        if response.status != 200:
            sys.exit(0)
        headers = {k: v for k, v in response.getheaders()}
        context = _Context(headers)
        os.environ["_X_AMZN_TRACE_ID"] = headers.get("Lambda-Runtime-Trace-Id", "")
        request_id = context.aws_request_id
        try:
            event = json.loads(event_body) if event_body else {}
            result = handler(event, context)
        except Exception as exc:
            doc = _error_document(exc)
            doc["requestId"] = request_id
            print(f"[ERROR] {doc['errorType']}: {doc['errorMessage']}", flush=True)
            print("Traceback (most recent call last):\n" + "".join(doc["stackTrace"]), end="", flush=True)
            _drained(request_id)
            api.post_json(f"/invocation/{request_id}/error", doc,
                          {"Lambda-Runtime-Function-Error-Type": "Unhandled"})
            continue
        try:
            body = json.dumps(result).encode()
        except (TypeError, ValueError) as exc:
            doc = {"errorMessage": f"Unable to marshal response: {exc}", "errorType": "Runtime.MarshalError",
                   "requestId": request_id, "stackTrace": []}
            _drained(request_id)
            api.post_json(f"/invocation/{request_id}/error", doc,
                          {"Lambda-Runtime-Function-Error-Type": "Runtime.MarshalError"})
            continue
        _drained(request_id)
        api.call("POST", f"/invocation/{request_id}/response", body, {"Content-Type": "application/json"})


if __name__ == "__main__":
    sys.stdout.reconfigure(line_buffering=True)
    main()
