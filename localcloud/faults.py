"""Faults on purpose, for drills and tests: the next calls fail the way AWS fails.

``POST /_localcloud/faults`` with one rule, ``GET`` lists the armed rules, ``DELETE`` disarms all:

- ``{"service": "lambda", "function": NAME, "kind": "error" | "timeout", "count": N}``: the next N
  invocations of the function fail (an unhandled error, or ``Sandbox.Timedout`` as when a function
  runs out of time) without running it.
- ``{"service": "lambda", "function": NAME, "kind": "recycle"}``: retire its warm workers now, so
  the next invocation is a cold start (not armed; done at once).
- ``{"service": "dynamodb", "operation": "TransactWriteItems", "table": NAME, "kind": "throttle",
  "count": N}``: the next N matching calls answer ``ProvisionedThroughputExceededException``
  (``table`` optional: any table the call names).

A count of -1 keeps the rule armed until ``DELETE``.
"""
from __future__ import annotations

import json
import threading
from dataclasses import asdict, dataclass

from localcloud.wsgi import Reply, aws_json_error, json_reply, read_body

PATH = "/_localcloud/faults"
KINDS = {"lambda": ("error", "timeout", "recycle"), "dynamodb": ("throttle",)}


@dataclass
class Rule:
    """One armed fault."""

    service: str
    kind: str
    count: int
    function: str = ""
    operation: str = ""
    table: str = ""


class Faults:
    """The armed rules of one emulator process."""

    def __init__(self) -> None:
        self._rules: list[Rule] = []
        self._lock = threading.Lock()

    def add(self, rule: Rule) -> None:
        with self._lock:
            self._rules.append(rule)

    def clear(self) -> None:
        with self._lock:
            self._rules.clear()

    def rules(self) -> list[dict]:
        with self._lock:
            return [asdict(rule) for rule in self._rules]

    def _take(self, match) -> Rule | None:
        if not self._rules:  # the common case: no lock, no work
            return None
        with self._lock:
            for rule in self._rules:
                if match(rule):
                    if rule.count > 0:
                        rule.count -= 1
                        if rule.count == 0:
                            self._rules.remove(rule)
                    return rule
        return None

    def lambda_fault(self, function: str) -> str | None:
        """The fault the next invocation of ``function`` meets (consumed), or None."""
        rule = self._take(lambda r: r.service == "lambda" and r.function == function)
        return rule.kind if rule else None

    def dynamodb_fault(self, operation: str, body: bytes) -> str | None:
        """The fault a DynamoDB call meets (consumed), or None; ``body`` is the request JSON."""
        if not self._rules:
            return None
        text = body.decode("utf-8", "replace")

        def match(rule: Rule) -> bool:
            return (rule.service == "dynamodb" and rule.operation == operation
                    and (not rule.table or json.dumps(rule.table) in text))

        rule = self._take(match)
        return rule.kind if rule else None


def throttled(table_hint: str = "") -> Reply:
    """DynamoDB's answer to a throttled request."""
    return aws_json_error(400, "ProvisionedThroughputExceededException",
                          "The level of configured provisioned throughput for the table was exceeded "
                          f"(fault injected by the local cloud{table_hint})")


def handle(environ: dict, faults: Faults, recycle) -> Reply:
    """Answer ``/_localcloud/faults``; ``recycle(function_name)`` retires a function's workers."""
    method = environ.get("REQUEST_METHOD", "GET")
    if method == "GET":
        return json_reply(200, {"faults": faults.rules()})
    if method == "DELETE":
        faults.clear()
        return json_reply(200, {"faults": []})
    if method != "POST":
        return aws_json_error(405, "MethodNotAllowed", "use GET, POST or DELETE")
    try:
        doc = json.loads(read_body(environ) or b"{}")
        service, kind = doc["service"], doc["kind"]
        if kind not in KINDS.get(service, ()):
            raise ValueError(f"service {service!r} takes kinds {KINDS.get(service, ())}")
        rule = Rule(service=service, kind=kind, count=int(doc.get("count", 1)), function=str(doc.get("function", "")),
                    operation=str(doc.get("operation", "")), table=str(doc.get("table", "")))
        if service == "lambda" and not rule.function or service == "dynamodb" and not rule.operation:
            raise ValueError("name the function (lambda) or the operation (dynamodb)")
    except (ValueError, KeyError, TypeError) as error:
        return aws_json_error(400, "ValidationException", f"a fault rule is {{service, kind, ...}}: {error}")
    if kind == "recycle":
        recycle(rule.function)
    else:
        faults.add(rule)
    return json_reply(201, {"faults": faults.rules()})
