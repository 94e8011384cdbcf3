"""The Lambda ``Invoke`` operation, answered by our runtime instead of moto's canned reply."""
from __future__ import annotations

import base64
import re
import threading
from urllib.parse import parse_qs, unquote

from localcloud.functions.runtime import LambdaRuntime, spec_from_moto
from localcloud.wsgi import Reply, account_of, aws_json_error, read_body, region_of

INVOKE_PATH = re.compile(r"^/2015-03-31/functions/(?P<name>.*)/invocations/?$")
FUNCTION_PATH = re.compile(r"^/2015-03-31/functions/(?P<name>[^/]+)(/.*)?$")


def lambda_backend(account: str, region: str):
    from moto.awslambda.utils import get_backend

    return get_backend(account, region)


def find_function(account: str, region: str, name: str, qualifier: str | None):
    """The moto function for ``name`` (name or ARN), or None."""
    from moto.awslambda.exceptions import LambdaClientError

    if name.startswith("arn:"):
        parts = name.split(":")
        if len(parts) >= 7:
            region, account = parts[3], parts[4]
        if len(parts) == 8 and qualifier is None:
            qualifier = parts[7]
            name = ":".join(parts[:7])
    try:
        return lambda_backend(account, region).get_function(name, qualifier), account, region
    except LambdaClientError:
        return None, account, region


def invoke_function(runtime: LambdaRuntime, account: str, region: str, name: str, payload: bytes,
                    qualifier: str | None = None, client_context: str | None = None):
    """Invoke synchronously; returns an ``InvokeResult`` or None when the function is unknown."""
    fn, account, region = find_function(account, region, name, qualifier)
    if fn is None:
        return None
    spec = spec_from_moto(fn, account, region)
    return runtime.invoke(spec, lambda: fn.code_bytes, payload, client_context)


def handle_invoke(runtime: LambdaRuntime, environ: dict, name: str) -> Reply:
    """Answer ``POST /2015-03-31/functions/{name}/invocations`` as AWS Lambda does."""
    name = unquote(name)
    query = parse_qs(environ.get("QUERY_STRING", ""))
    qualifier = (query.get("Qualifier") or query.get("qualifier") or [None])[0]
    invocation_type = environ.get("HTTP_X_AMZ_INVOCATION_TYPE", "RequestResponse")
    payload = read_body(environ)
    account, region = account_of(environ), region_of(environ)
    fn, account, region = find_function(account, region, name, qualifier)
    if fn is None:
        arn = name if name.startswith("arn:") else f"arn:aws:lambda:{region}:{account}:function:{name}"
        return aws_json_error(404, "ResourceNotFoundException", f"Function not found: {arn}")
    if invocation_type not in ("RequestResponse", "Event", "DryRun"):
        return aws_json_error(400, "InvalidParameterValueException",
                              f"invocation type {invocation_type!r} is not RequestResponse, Event or DryRun")
    if payload:
        import json

        try:
            json.loads(payload)
        except ValueError:
            return aws_json_error(400, "InvalidRequestContentException",
                                  "Could not parse request body into json: the payload must be JSON")
    if invocation_type == "DryRun":
        return Reply(204, b"")
    context = environ.get("HTTP_X_AMZ_CLIENT_CONTEXT")
    if context:
        try:
            context = base64.b64decode(context).decode()
        except ValueError:
            return aws_json_error(400, "InvalidParameterValueException", "X-Amz-Client-Context must be base64")
    spec = spec_from_moto(fn, account, region)
    if invocation_type == "Event":
        threading.Thread(target=runtime.invoke, args=(spec, lambda: fn.code_bytes, payload, context),
                         daemon=True, name="lambda-event").start()
        return Reply(202, b"", {"X-Amzn-RequestId": "event"})
    result = runtime.invoke(spec, lambda: fn.code_bytes, payload, context)
    headers = {"X-Amz-Executed-Version": spec.version, "X-Amzn-RequestId": result.request_id}
    if result.function_error:
        headers["X-Amz-Function-Error"] = result.function_error
    if environ.get("HTTP_X_AMZ_LOG_TYPE") == "Tail":
        headers["X-Amz-Log-Result"] = base64.b64encode(result.log_tail.encode()[-4096:]).decode()
    return Reply(200, result.payload, headers)


def handle_delete(runtime: LambdaRuntime, environ: dict, name: str, forward) -> Reply:
    """``DELETE /2015-03-31/functions/{name}``: moto deletes it, and its warm workers are retired."""
    reply = forward(environ)
    if reply.status < 300:
        name = unquote(name)
        name = name.split(":function:", 1)[1].split(":")[0] if ":function:" in name else name
        runtime.retire_function(name)
    return reply
