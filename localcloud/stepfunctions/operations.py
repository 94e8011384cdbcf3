"""Step Functions operations moto 5.2.1 lacks or gets wrong, answered over its interpreter."""
from __future__ import annotations

import copy
import datetime
import json
import uuid
from typing import Callable

from localcloud.stepfunctions.asl_checks import check
from localcloud.wsgi import Reply, account_of, aws_json_error, json_reply, read_body, region_of

JSON_10 = "application/x-amz-json-1.0"


def backend(account: str, region: str):
    from moto.stepfunctions.parser.models import stepfunctions_parser_backends

    return stepfunctions_parser_backends[account][region]


def handle(environ: dict, forward: Callable[[dict], Reply]) -> Reply | None:
    """Answer the Step Functions actions we own; None lets moto answer the rest."""
    action = environ.get("HTTP_X_AMZ_TARGET", "").split(".", 1)[-1]
    ours = {
        "ValidateStateMachineDefinition": _validate,
        "ListStateMachineVersions": _list_versions,
        "StartExecution": _start_execution,
        "StartSyncExecution": _start_sync_execution,
    }
    if action == "CreateStateMachine":
        return _create_state_machine(environ, forward)
    if action not in ours:
        return None
    try:
        params = json.loads(read_body(environ) or b"{}")
        if not isinstance(params, dict):
            raise ValueError("the request body must be a JSON object")
    except ValueError as exc:
        return aws_json_error(400, "SerializationException", f"could not parse the request: {exc}")
    try:
        return ours[action](backend(account_of(environ), region_of(environ)), params)
    except _Invalid as exc:
        return aws_json_error(400, exc.code, str(exc))
    except Exception as exc:  # moto's own exceptions carry AWS codes
        code = getattr(exc, "error_type", None) or getattr(exc, "code", None) or type(exc).__name__
        status = 400 if isinstance(code, str) else 500
        return aws_json_error(status, str(code), getattr(exc, "message", None) or str(exc))


class _Invalid(Exception):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


def diagnostics(definition: str, sm_type: str = "STANDARD") -> list[dict]:
    """Problems in an ASL definition, as ValidateStateMachineDefinition reports them."""
    from moto.stepfunctions.parser.asl.static_analyser.express_static_analyser import ExpressStaticAnalyser
    try:
        parsed = json.loads(definition)
    except (TypeError, ValueError) as exc:
        return [{"severity": "ERROR", "code": "INVALID_JSON_DESCRIPTION", "message": str(exc), "location": "/"}]
    structural = check(parsed)
    if structural:
        return structural
    analyser = ExpressStaticAnalyser() if sm_type == "EXPRESS" else _PlainAnalyser()
    try:
        analyser.analyse(definition)
    except Exception as exc:
        message = str(exc) or repr(exc)
        return [{"severity": "ERROR", "code": "SCHEMA_VALIDATION_FAILED", "message": message, "location": "/"}]
    return []


try:  # StaticAnalyser is abstract by name only; a concrete subclass keeps linters quiet
    from moto.stepfunctions.parser.asl.static_analyser.static_analyser import StaticAnalyser as _Base

    class _PlainAnalyser(_Base):
        pass
except ImportError:  # pragma: no cover - moto without the parser
    _PlainAnalyser = None  # type: ignore


def _validate(_backend, params: dict) -> Reply:
    definition = params.get("definition")
    if not isinstance(definition, str):
        raise _Invalid("ValidationException", "definition is required and must be a string")
    sm_type = params.get("type") or "STANDARD"
    found = diagnostics(definition, sm_type)
    return json_reply(200, {"result": "FAIL" if found else "OK", "diagnostics": found, "truncated": False},
                      content_type=JSON_10)


def _list_versions(sfn, params: dict) -> Reply:
    sm = sfn.describe_state_machine(params.get("stateMachineArn", ""))
    versions = [{"stateMachineVersionArn": v.arn, "creationDate": _epoch(getattr(v, "creation_date", None))}
                for v in sorted(getattr(sm, "versions", {}).values(), key=lambda v: -int(v.arn.rsplit(":", 1)[1]))]
    return json_reply(200, {"stateMachineVersions": versions}, content_type=JSON_10)


def _create_state_machine(environ: dict, forward: Callable[[dict], Reply]) -> Reply:
    raw = read_body(environ)
    try:
        params = json.loads(raw or b"{}")
    except ValueError:
        return aws_json_error(400, "SerializationException", "the request body is not JSON")
    if not isinstance(params, dict):
        return aws_json_error(400, "SerializationException", "the request body must be a JSON object")
    sm_type = params.get("type") or "STANDARD"
    if sm_type not in ("STANDARD", "EXPRESS"):
        return aws_json_error(400, "ValidationException", f"type must be STANDARD or EXPRESS, not {sm_type!r}")
    problems = diagnostics(params.get("definition") or "", sm_type)
    if problems:
        return aws_json_error(400, "InvalidDefinition", "Invalid State Machine Definition: " + problems[0]["message"])
    reply = forward(environ)
    if reply.status == 200:
        arn = json.loads(reply.body).get("stateMachineArn")
        set_type(backend(account_of(environ), region_of(environ)), arn, sm_type)
    return reply


def set_type(sfn, arn: str, sm_type: str) -> None:
    """Keep the type the caller asked for (moto stores every machine as STANDARD)."""
    from moto.stepfunctions.parser.api import StateMachineType

    sm = sfn.describe_state_machine(arn)
    sm.type = sm_type
    sm.sm_type = StateMachineType(sm_type)


def _new_execution(sfn, params: dict, sync: bool):
    from moto.stepfunctions.parser.api import ExecutionStatus
    from moto.stepfunctions.parser.backend.execution import Execution, SyncExecution

    sm = sfn.describe_state_machine(params.get("stateMachineArn", ""))
    is_express = getattr(sm, "type", "STANDARD") == "EXPRESS"
    if sync and not is_express:
        raise _Invalid("StateMachineTypeNotSupported", "This operation is not supported by this type of state machine")
    raw_input = params.get("input") or "{}"
    try:
        json.loads(raw_input)
    except (TypeError, ValueError) as exc:
        raise _Invalid("InvalidExecutionInput", f"Invalid State Machine Execution Input: '{exc}'") from None
    name = params.get("name") or str(uuid.uuid4())
    for previous in sm.executions:
        if previous.name == name:
            if previous.exec_status == ExecutionStatus.RUNNING and previous.execution_input == raw_input:
                return previous, sm
            raise _Invalid("ExecutionAlreadyExists", f"Execution Already Exists: '{previous.exec_arn}'")
    snapshot = copy.copy(sm)  # a shallow snapshot: deep-copying running executions fails (RLock)
    snapshot.executions = []
    kind = "express" if is_express else "execution"
    arn = f"arn:{sfn.partition}:states:{sfn.region_name}:{sfn.account_id}:{kind}:{sm.name}:{name}"
    if is_express:
        arn += f":{uuid.uuid4()}"
    cls = SyncExecution if sync else Execution
    execution = cls(name=name, sm_type=snapshot.sm_type, role_arn=snapshot.roleArn, exec_arn=arn,
                    account_id=sfn.account_id, region_name=sfn.region_name, state_machine=snapshot,
                    start_date=datetime.datetime.now(tz=datetime.timezone.utc), cloud_watch_logging_session=None,
                    input_data=raw_input, trace_header=params.get("traceHeader"), activity_store={})
    if not sync:
        sm.executions.append(execution)
    return execution, sm


def _start_execution(sfn, params: dict) -> Reply:
    execution, _ = _new_execution(sfn, params, sync=False)
    if execution.exec_worker is None:
        execution.start()
    return json_reply(200, {"executionArn": execution.exec_arn, "startDate": _epoch(execution.start_date)},
                      content_type=JSON_10)


def _start_sync_execution(sfn, params: dict) -> Reply:
    execution, sm = _new_execution(sfn, params, sync=True)
    execution.start()  # SyncExecutionWorker runs the program in this thread
    status = getattr(execution, "sync_execution_status", None)
    doc = {
        "executionArn": execution.exec_arn, "stateMachineArn": sm.arn, "name": execution.name,
        "status": getattr(status, "value", status) or "FAILED",
        "startDate": _epoch(execution.start_date), "stopDate": _epoch(execution.stop_date),
        "input": json.dumps(execution.input_data, separators=(",", ":")), "inputDetails": {"included": True},
        "billingDetails": {"billedMemoryUsedInMB": 64,
                           "billedDurationInMilliseconds": _billed_ms(execution.start_date, execution.stop_date)},
    }
    if doc["status"] == "SUCCEEDED":
        doc["output"] = json.dumps(execution.output, separators=(",", ":"))
        doc["outputDetails"] = {"included": True}
    if execution.error is not None:
        doc["error"] = execution.error
    if execution.cause is not None:
        doc["cause"] = execution.cause
    return json_reply(200, doc, content_type=JSON_10)


def _epoch(moment) -> float | None:
    if moment is None:
        return None
    if isinstance(moment, datetime.datetime):
        return moment.timestamp()
    return float(moment)


def _billed_ms(start, stop) -> int:
    if start is None or stop is None:
        return 0
    return max(100, int((stop - start).total_seconds() * 1000 + 99) // 100 * 100)
