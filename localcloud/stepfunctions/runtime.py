"""Make moto's ASL interpreter cheap per execution, without changing what it does.

- Each definition is parsed once (ANTLR parsing costs ~15 ms for a 4-state machine); the
  component tree is reentrant (evaluation state lives in the per-execution ``Environment``,
  which is how moto's own Map state shares one tree between iterations).
- One boto3 client per (region, service) instead of one per Task (~15 ms each).
- Those clients reach this process's WSGI app in memory: the same request bytes, the same
  middleware and moto code answer, minus a socket, a server thread and HTTP parsing; Lambda
  Invoke and DynamoDB TransactWriteItems skip botocore too (``stepfunctions_direct.py``).
- An Express execution's state events skip serialising the state's data (nobody can read an
  Express history; ours log nothing).
- The interpreter deep-copies a state's data at every step (input, result, output, context):
  those copies use a JSON-value copy (dicts, lists, scalars), ~8× faster than ``copy.deepcopy``,
  which still copies anything else.
- moto appends every thread an execution starts (one per execution and per Task) to a list
  it never reads: finished ones are dropped at each execution's start, so a long-running
  emulator's memory stays flat.
- JSONPath expressions are compiled once (jsonpath_ng builds a new yacc parser per call);
  compiled expressions are immutable, ``find``/``update_or_create`` only touch the data.
- A state's failure event (a failed Task, which Retry/Catch handle or the execution result
  reports), and an exception a component handles itself (a Choice testing ``IsPresent`` on a
  missing path), are logged only at DEBUG: moto logs them at ERROR with a repr of the whole
  state, kilobytes per request. Unexpected exceptions are still logged.
"""
from __future__ import annotations

import copy
import functools
import importlib
import io
import sys
import threading
import types
from typing import Any, Callable
from urllib.parse import urlsplit

TASK_MODULES = "moto.stepfunctions.parser.asl.component.state.exec.state_task"


class _Body:
    """The ``raw`` of a botocore response: read(amt) for streaming bodies, stream() for others."""

    def __init__(self, data: bytes):
        self._buffer = io.BytesIO(data)

    def read(self, amt: int | None = None, **_kwargs: Any) -> bytes:
        return self._buffer.read() if amt is None else self._buffer.read(amt)

    def stream(self, amt: int = 1 << 16, **_kwargs: Any):
        while chunk := self._buffer.read(amt):
            yield chunk

    def close(self) -> None:
        self._buffer.close()


class InProcessSession:
    """A botocore HTTP session that hands each request to a WSGI app in this process.

    Parameters
    ----------
    app : callable
        The WSGI application (the local cloud itself).
    """

    def __init__(self, app: Callable):
        self._app = app

    def send(self, request: Any):
        from botocore.awsrequest import AWSResponse
        from werkzeug.test import EnvironBuilder

        from localcloud.wsgi import IN_PROCESS, call_app

        url = urlsplit(request.url)
        body = request.body
        if body is None:
            body = b""
        elif hasattr(body, "read"):
            body = body.read()
        elif isinstance(body, str):
            body = body.encode("utf-8")
        headers = [(k, v.decode("latin-1") if isinstance(v, bytes) else str(v)) for k, v in request.headers.items()]
        builder = EnvironBuilder(path=url.path or "/", base_url=f"{url.scheme}://{url.netloc}",
                                 query_string=url.query, method=request.method, headers=headers, data=body)
        try:
            environ = builder.get_environ()
        finally:
            builder.close()
        environ["REMOTE_ADDR"] = "127.0.0.1"
        environ[IN_PROCESS] = True
        status, reply_headers, content = call_app(self._app, environ)
        return AWSResponse(request.url, status, dict(reply_headers), _Body(content))

    def close(self) -> None:
        pass


def install(port: int, app: Callable | None = None) -> None:
    """Patch the interpreter: cached programs, cached clients, in-memory transport when ``app`` is given."""
    _install_program_cache()
    _install_client_cache(port, app)
    _install_jsonpath_cache()
    _install_json_copy()
    _quiet_failure_events()
    _lighten_express_history()


def _quiet_failure_events() -> None:
    import logging

    from moto.stepfunctions.parser.asl.component import eval_component

    for name in ("_log_failure_event_exception", "_log_exception"):
        current = getattr(eval_component.EvalComponent, name)
        original = getattr(current, "__wrapped__", current)

        def quiet(self, *args, _original=original, **kwargs):
            if eval_component.LOG.isEnabledFor(logging.DEBUG):
                _original(self, *args, **kwargs)

        setattr(eval_component.EvalComponent, name, functools.wraps(original)(quiet))


def _lighten_express_history() -> None:
    """Express executions keep no history anyone can read (AWS has no GetExecutionHistory for them,
    and ours log nothing): their state-entered/exited events skip serialising the state's data,
    which deep-copied and JSON-encoded the whole document twice per state."""
    from moto.stepfunctions.parser.api import (
        HistoryEventExecutionDataDetails, StateEnteredEventDetails, StateExitedEventDetails, StateMachineType,
    )
    from moto.stepfunctions.parser.asl.component.state.state import CommonStateField

    def unread(env) -> bool:
        return env.execution_type == StateMachineType.EXPRESS and env.cloud_watch_logging_session is None

    entered = getattr(CommonStateField._get_state_entered_event_details, "__wrapped__",
                      CommonStateField._get_state_entered_event_details)
    exited = getattr(CommonStateField._get_state_exited_event_details, "__wrapped__",
                     CommonStateField._get_state_exited_event_details)

    @functools.wraps(entered)
    def _get_state_entered_event_details(self, env):
        if not unread(env):
            return entered(self, env)
        return StateEnteredEventDetails(name=self.name, inputDetails=HistoryEventExecutionDataDetails(truncated=False))

    @functools.wraps(exited)
    def _get_state_exited_event_details(self, env):
        if not unread(env):
            return exited(self, env)
        env.variable_store.reset_tracing()
        return StateExitedEventDetails(name=self.name, outputDetails=HistoryEventExecutionDataDetails(truncated=False))

    CommonStateField._get_state_entered_event_details = _get_state_entered_event_details
    CommonStateField._get_state_exited_event_details = _get_state_exited_event_details


def json_copy(value: Any, memo: dict | None = None) -> Any:
    """A deep copy of a JSON value; anything that is not one is left to ``copy.deepcopy``."""
    kind = type(value)
    if kind is dict:
        return {key: json_copy(item) for key, item in value.items()}
    if kind is list:
        return [json_copy(item) for item in value]
    if kind is str or kind is int or kind is float or kind is bool or value is None:
        return value
    return copy.deepcopy(value, memo)


_COPYING_MODULES = ("eval.states", "eval.environment", "eval.event.event_manager", "component.state.exec.execute_state",
                    "component.common.path.result_path", "component.common.string.string_expression",
                    "component.state.exec.state_task.service.state_task_service")


def _install_json_copy() -> None:
    shim = types.SimpleNamespace(deepcopy=json_copy, copy=copy.copy)
    for name in _COPYING_MODULES:
        module = importlib.import_module(f"moto.stepfunctions.parser.asl.{name}")
        if getattr(module, "copy", None) is copy:
            module.copy = shim


def _install_jsonpath_cache() -> None:
    import moto.stepfunctions.parser.asl.component.common.path.result_path as result_path
    import moto.stepfunctions.parser.asl.utils.json_path as json_path

    for module in (json_path, result_path):
        original = getattr(module.parse, "__wrapped__", module.parse)
        module.parse = functools.lru_cache(maxsize=1024)(original)


def _install_client_cache(port: int, app: Callable | None) -> None:
    import moto.stepfunctions.parser.asl.utils.boto_client as boto_client

    from localcloud import clients
    from localcloud.stepfunctions import direct as stepfunctions_direct

    session = InProcessSession(app) if app is not None else None

    @functools.lru_cache(maxsize=64)
    def _client(region: str, service: str):
        client = clients.client(service, f"http://127.0.0.1:{port}", region, parameter_validation=False,
                                retries={"total_max_attempts": 1}, connect_timeout=60, read_timeout=900,
                                max_pool_connections=32)
        if session is not None:
            client._endpoint.http_session = session  # botocore's one seam for the transport
        return stepfunctions_direct.wrap(service, client, app, region)

    def boto_client_for(region: str, service: str, state_credentials: object = None):
        return _client(region, service)

    boto_client.boto_client_for = boto_client_for
    for name in ("lambda_eval_utils", "service.state_task_service_dynamodb", "service.state_task_service_sfn",
                 "service.state_task_service_aws_sdk"):
        importlib.import_module(f"{TASK_MODULES}.{name}")
    for name, module in list(sys.modules.items()):
        if name.startswith("moto.stepfunctions.parser") and hasattr(module, "boto_client_for"):
            module.boto_client_for = boto_client_for


_PROGRAMS: dict[str, Any] = {}
_PROGRAMS_LOCK = threading.Lock()
_PARSED = [0]
MAX_PROGRAMS = 256
MAX_THREADS_KEPT = 256


def programs_parsed() -> int:
    """How many definitions were parsed since start (each once while it stays cached)."""
    return _PARSED[0]


def threads_kept() -> int:
    """How many interpreter threads moto's list holds (bounded: finished ones are dropped)."""
    from moto.stepfunctions.parser.utils import TMP_THREADS

    return len(TMP_THREADS)


def program_for(definition: str) -> Any:
    """The evaluation entry point for ``definition``, parsed on first use."""
    program = _PROGRAMS.get(definition)
    if program is not None:
        return program
    from moto.stepfunctions.parser.asl.parse.asl_parser import AmazonStateLanguageParser

    program = AmazonStateLanguageParser.parse(definition)[0]
    _fix_heap_keys(program)
    with _PROGRAMS_LOCK:
        _PARSED[0] += 1
        if len(_PROGRAMS) >= MAX_PROGRAMS:
            _PROGRAMS.pop(next(iter(_PROGRAMS)))
        return _PROGRAMS.setdefault(definition, program)


def _install_program_cache() -> None:
    from moto.stepfunctions.parser.backend.execution_worker import ExecutionWorker

    from moto.stepfunctions.parser.utils import TMP_THREADS

    def _get_evaluation_entrypoint(self):
        if len(TMP_THREADS) > MAX_THREADS_KEPT:  # moto keeps every thread it starts, and reads none of them
            TMP_THREADS[:] = [thread for thread in TMP_THREADS if thread.is_alive()]
        return program_for(self._evaluation_details.state_machine_details.definition)

    ExecutionWorker._get_evaluation_entrypoint = _get_evaluation_entrypoint


def _fix_heap_keys(root: Any) -> None:
    """Assign every component's lazily drawn ``heap_key`` now, before threads share the tree.

    Retry counters are kept in the execution's heap under these keys; two executions drawing
    a first key at the same moment would otherwise disagree on it.
    """
    from moto.stepfunctions.parser.asl.component.component import Component
    from moto.stepfunctions.parser.asl.component.eval_component import EvalComponent

    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, EvalComponent):
            _ = node.heap_key
        if isinstance(node, Component):
            stack.extend(vars(node).values())
        elif isinstance(node, (list, tuple, set, frozenset)):
            stack.extend(node)
        elif isinstance(node, dict):
            stack.extend(node.values())
