"""The interpreter's two hottest calls, answered without a botocore round trip.

A product execution invokes two Lambda functions and writes one DynamoDB transaction. Through
botocore (serialise, sign, parse) and moto's Flask response layer, those layers cost more
than the work itself (profiled: ~45 % of an execution's CPU on 2 cores). Lambda ``Invoke`` and
DynamoDB ``TransactWriteItems`` from a state machine go straight to the same code the HTTP route
runs: the Lambda runtime (workers, faults, logs) and moto's backend (conditions, errors), with
the injected faults of ``faults.py`` checked as the middleware checks them. Errors are raised as
botocore's modeled exceptions, so Retry/Catch see the names AWS gives them. Every other
operation, and every other service, still goes through botocore in process.
"""
from __future__ import annotations

import io
import json
import uuid
from typing import Any

from localcloud.wsgi import account_of


class _Direct:
    """A botocore client with some operations answered directly; the rest fall through."""

    def __init__(self, client: Any, cloud: Any, region: str):
        self._client, self._cloud, self._region = client, cloud, region

    def __getattr__(self, name: str) -> Any:
        return getattr(self._client, name)

    def _raise(self, code: str, message: str, operation: str, status: int = 400) -> None:
        response = {"Error": {"Code": code, "Message": message},
                    "ResponseMetadata": {"RequestId": str(uuid.uuid4()), "HTTPStatusCode": status}}
        raise self._client.exceptions.from_code(code)(response, operation)


class DirectLambda(_Direct):
    """``invoke`` runs the function in the local cloud's Lambda runtime."""

    def invoke(self, FunctionName: str, Payload: Any = b"{}", Qualifier: str | None = None,  # noqa: N803
               **others: Any) -> dict:
        if others.get("InvocationType", "RequestResponse") != "RequestResponse":
            return self._client.invoke(FunctionName=FunctionName, Payload=Payload, **others)
        from localcloud.functions.invoke import invoke_function

        self._cloud.count("direct")
        payload = Payload.encode() if isinstance(Payload, str) else (Payload.read() if hasattr(Payload, "read")
                                                                     else Payload or b"{}")
        result = invoke_function(self._cloud.runtime, account_of({}), self._region, FunctionName, payload, Qualifier)
        if result is None:
            self._raise("ResourceNotFoundException", f"Function not found: {FunctionName}", "Invoke", 404)
        answer = {"StatusCode": 200, "Payload": io.BytesIO(result.payload), "ExecutedVersion": "$LATEST",
                  "ResponseMetadata": {"RequestId": result.request_id, "HTTPStatusCode": 200}}
        if result.function_error:
            answer["FunctionError"] = result.function_error
        return answer


class DirectDynamoDB(_Direct):
    """``transact_write_items`` runs moto's backend (as replaced by dynamodb_transactions.py)."""

    def transact_write_items(self, TransactItems: list, **others: Any) -> dict:  # noqa: N803
        from moto.core.exceptions import JsonRESTError
        from moto.dynamodb.models import dynamodb_backends

        self._cloud.count("direct")
        if self._cloud.faults.dynamodb_fault("TransactWriteItems", json.dumps(TransactItems).encode()):
            self._raise("ProvisionedThroughputExceededException", "The level of configured provisioned throughput "
                        "for the table was exceeded (fault injected by the local cloud)", "TransactWriteItems")
        try:
            dynamodb_backends[account_of({})][self._region].transact_write_items(TransactItems)
        except JsonRESTError as error:
            code = str(getattr(error, "error_type", "") or type(error).__name__).rsplit("#", 1)[-1]
            self._raise(code, getattr(error, "message", "") or str(error), "TransactWriteItems", error.code)
        return {"ResponseMetadata": {"RequestId": str(uuid.uuid4()), "HTTPStatusCode": 200}}


DIRECT = {"lambda": DirectLambda, "dynamodb": DirectDynamoDB}


def wrap(service: str, client: Any, cloud: Any, region: str) -> Any:
    """The client the interpreter gets for ``service``: direct where it pays, botocore otherwise."""
    kind = DIRECT.get(service)
    return kind(client, cloud, region) if kind is not None and cloud is not None else client
