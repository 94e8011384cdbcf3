"""API Gateway REST invocation: ``/restapis/{id}/{stage}/_user_request_/{path}``."""
from __future__ import annotations

import json
import re
import uuid
from dataclasses import dataclass
from typing import Any

from localcloud.apigateway.request import (
    InputVariable, UtilVariable, headers_of, match_resource, proxy_event, query_of, request_context,
)
from localcloud.apigateway.responses import gateway_error, integration_reply, render_template
from localcloud.apigateway.validation import validate_request
from localcloud.wsgi import Reply, read_body

LAMBDA_URI = re.compile(r"^arn:[^:]+:apigateway:[^:]+:lambda:path/2015-03-31/functions/(?P<fn>.+)/invocations$")
SERVICE_URI = re.compile(r"^arn:[^:]+:apigateway:(?P<region>[^:]+):(?P<service>[^:/]+):action/(?P<action>\w+)")
JSON_TARGETS = {"states": "AWSStepFunctions", "dynamodb": "DynamoDB_20120810"}
MAX_PAYLOAD = 10 * 1024 * 1024  # API Gateway's payload quota: larger requests get 413


def find_api(api_id: str) -> Any | None:
    from moto.apigateway.models import apigateway_backends

    for account in list(apigateway_backends.keys()):
        for _region, backend in list(apigateway_backends[account].items()):
            api = backend.apis.get(api_id)
            if api is not None:
                return api
    return None


def invoke_rest_api(cloud: Any, environ: dict, api_id: str, stage: str, path: str) -> Reply:
    """Route one request through the API's resources, validation and integration."""
    method = environ.get("REQUEST_METHOD", "GET").upper()
    request_id = str(uuid.uuid4())
    api = find_api(api_id)
    doc = cloud.openapi.get(api_id)
    if api is None or stage not in api.stages:
        return Reply(403, json.dumps({"message": "Forbidden"}), {"x-amzn-RequestId": request_id,
                                                                 "x-amzn-ErrorType": "ForbiddenException"})
    found = match_resource(api, path)
    resource, path_params = found if found else (None, {})
    api_method = None
    if resource is not None:
        api_method = resource.resource_methods.get(method) or resource.resource_methods.get("ANY")
    ctx = {"requestId": request_id, "stage": stage, "httpMethod": method, "path": f"/{stage}{path}",
           "resourcePath": resource.get_path() if resource else path, "error": {}, "apiId": api_id,
           "accountId": api.account_id, "identity": {"sourceIp": environ.get("REMOTE_ADDR", "127.0.0.1")}}
    if api_method is None:
        return gateway_error(api, doc, "MISSING_AUTHENTICATION_TOKEN", 403, "Missing Authentication Token", ctx)
    body = read_body(environ)
    if len(body) > MAX_PAYLOAD:
        return gateway_error(api, doc, "REQUEST_TOO_LARGE", 413, "Request Too Long", ctx)
    problem = validate_request(api, doc, resource, api_method, environ, body, path_params)
    if problem is not None:
        kind, message, detail = problem
        ctx["error"]["validationErrorString"] = detail
        return gateway_error(api, doc, kind, 400, message, ctx)
    integration = api_method.method_integration
    if integration is None:
        return gateway_error(api, doc, "DEFAULT_5XX", 500, "Internal server error", ctx)
    stage_vars = dict(api.stages[stage].variables or {})
    kind = (integration.integration_type or "").upper()
    headers = headers_of(environ)
    scope = {"input": InputVariable(body, path_params, query_of(environ), headers), "util": UtilVariable(),
             "context": ctx, "stageVariables": stage_vars}
    if kind == "AWS_PROXY":
        return _lambda_proxy(cloud, ProxyCall(api, doc, environ, resource, method, path, path_params, stage,
                                              stage_vars, body, request_id, integration, ctx))
    if kind == "MOCK":
        rendered = render_template(integration.request_templates, headers, scope, default='{"statusCode": 200}')
        try:
            status = int(json.loads(rendered or "{}").get("statusCode", 200))
        except (ValueError, AttributeError, TypeError):
            status = 500
        return integration_reply(integration, str(status), b"", scope, headers)
    if kind == "AWS":
        return _service(cloud, api, doc, integration, headers, scope, body, ctx)
    return gateway_error(api, doc, "DEFAULT_5XX", 500,
                         f"the local cloud does not run {kind or 'unknown'} integrations", ctx)


@dataclass
class ProxyCall:
    """One request on its way to an AWS_PROXY (Lambda) integration."""

    api: Any
    doc: dict | None
    environ: dict
    resource: Any
    method: str
    path: str
    path_params: dict
    stage: str
    stage_vars: dict
    body: bytes
    request_id: str
    integration: Any
    ctx: dict


def _lambda_proxy(cloud, call: ProxyCall) -> Reply:
    from localcloud.functions.invoke import invoke_function

    api, doc, ctx = call.api, call.doc, call.ctx
    match = LAMBDA_URI.match(call.integration.uri or "")
    if not match:
        return gateway_error(api, doc, "DEFAULT_5XX", 500, "Internal server error", ctx)
    context = request_context(api, call.stage, call.resource, call.method, call.path, call.request_id, call.environ)
    event = proxy_event(context, call.resource.get_path(), call.path, call.method, call.environ, call.path_params,
                        call.stage_vars, call.body)
    target = match["fn"].replace("${stageVariables.", "").rstrip("}") if "${" in match["fn"] else match["fn"]
    result = invoke_function(cloud.runtime, api.account_id, api.region_name, target, json.dumps(event).encode())
    if result is None or result.function_error:
        return gateway_error(api, doc, "DEFAULT_5XX", 502, "Internal server error", ctx)
    try:
        answer = json.loads(result.payload)
        status = int(answer.get("statusCode", 200))
        out_headers = {str(k): str(v) for k, v in (answer.get("headers") or {}).items()}
        for k, values in (answer.get("multiValueHeaders") or {}).items():
            out_headers[str(k)] = ",".join(str(v) for v in values)
        payload = answer.get("body") or ""
        if answer.get("isBase64Encoded"):
            import base64

            data = base64.b64decode(payload)
        else:
            data = payload.encode() if isinstance(payload, str) else json.dumps(payload).encode()
    except (ValueError, AttributeError, TypeError):
        return gateway_error(api, doc, "DEFAULT_5XX", 502, "Internal server error", ctx)
    out_headers.setdefault("Content-Type", "application/json")
    out_headers["x-amzn-RequestId"] = call.request_id
    return Reply(status, data, out_headers)


def _service(cloud, api, doc, integration, headers, scope, body, ctx) -> Reply:
    if LAMBDA_URI.match(integration.uri or ""):
        return _lambda_custom(cloud, api, doc, integration, headers, scope, body, ctx)
    match = SERVICE_URI.match(integration.uri or "")
    if not match or match["service"] not in JSON_TARGETS:
        return gateway_error(api, doc, "DEFAULT_5XX", 500,
                             f"the local cloud runs AWS integrations to {', '.join(JSON_TARGETS)} only", ctx)
    rendered = render_template(integration.request_templates, headers, scope, default=None)
    payload = (rendered if rendered is not None else body.decode("utf-8", "replace")).encode()
    environ = {
        "REQUEST_METHOD": "POST", "PATH_INFO": "/", "QUERY_STRING": "", "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": str(cloud.port), "SERVER_PROTOCOL": "HTTP/1.1", "wsgi.url_scheme": "http",
        "CONTENT_TYPE": "application/x-amz-json-1.0", "CONTENT_LENGTH": str(len(payload)),
        "HTTP_HOST": f"127.0.0.1:{cloud.port}",
        "HTTP_X_AMZ_TARGET": f"{JSON_TARGETS[match['service']]}.{match['action']}",
        "HTTP_AUTHORIZATION": (f"AWS4-HMAC-SHA256 Credential=test/20260101/{match['region']}/{match['service']}/"
                               "aws4_request, SignedHeaders=host, Signature=0"),
        "localcloud.body": payload,
    }
    import io

    environ["wsgi.input"] = io.BytesIO(payload)
    reply = cloud.route(environ)
    return integration_reply(integration, str(reply.status), reply.body, scope, headers)


def _lambda_custom(cloud, api, doc, integration, headers, scope, body, ctx) -> Reply:
    """AWS (non-proxy) Lambda integration: template in, selection pattern on errorMessage out."""
    from localcloud.functions.invoke import invoke_function

    rendered = render_template(integration.request_templates, headers, scope, default=None)
    payload = (rendered if rendered is not None else body.decode("utf-8", "replace")) or "{}"
    target = LAMBDA_URI.match(integration.uri)["fn"]
    result = invoke_function(cloud.runtime, api.account_id, api.region_name, target, payload.encode())
    if result is None:
        return gateway_error(api, doc, "DEFAULT_5XX", 500, "Internal server error", ctx)
    selector = "200"
    if result.function_error:
        try:
            selector = str(json.loads(result.payload).get("errorMessage", ""))
        except (ValueError, AttributeError):
            selector = ""
    return integration_reply(integration, selector, result.payload, scope, headers)
