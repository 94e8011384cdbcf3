"""Lambda execution: warm worker pools per function, invocation, errors shaped like AWS."""
from __future__ import annotations

import base64
import binascii
import functools
import hashlib
import json
import math
import os
import shutil
import threading
import time
import uuid
import zipfile
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from localcloud import clients, settings
from localcloud.faults import Faults
from localcloud.functions.logs import LogWriter, log_group_name, new_stream_name
from localcloud.functions.worker import INIT_ALLOWANCE_S, Invocation, Worker

RESERVED = {"_HANDLER", "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_EXECUTION_ENV", "AWS_LAMBDA_FUNCTION_NAME",
            "AWS_LAMBDA_FUNCTION_VERSION", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "AWS_LAMBDA_LOG_GROUP_NAME",
            "AWS_LAMBDA_LOG_STREAM_NAME", "AWS_LAMBDA_RUNTIME_API", "LAMBDA_TASK_ROOT", "LAMBDA_RUNTIME_DIR",
            "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"}
POLL_S = 0.5  # a waiting call re-checks its pool this often even unwoken (a worker that died idle, a retirement)
_PASS_THROUGH = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "TZ")


@dataclass(frozen=True)
class FunctionSpec:
    """What a worker needs to know about one function version."""

    account: str
    region: str
    name: str
    arn: str
    version: str
    handler: str
    runtime: str
    timeout: float
    memory: int
    env: tuple[tuple[str, str], ...]
    code_sha: str

    @functools.cached_property
    def fingerprint(self) -> str:
        raw = json.dumps([self.handler, self.runtime, self.timeout, self.memory, self.env, self.code_sha])
        return hashlib.sha256(raw.encode()).hexdigest()

    @property
    def key(self) -> str:
        return f"{self.arn}:{self.version}"


@dataclass
class InvokeResult:
    """The outcome of one invocation: payload bytes and the function error (or None)."""

    payload: bytes
    function_error: str | None
    request_id: str
    duration_ms: float
    log_tail: str = ""


def spec_from_moto(fn: object, account: str, region: str) -> FunctionSpec:
    """Read a moto ``LambdaFunction`` into a :class:`FunctionSpec`."""
    env = tuple(sorted((str(k), str(v)) for k, v in (getattr(fn, "environment_vars", None) or {}).items()))
    return FunctionSpec(
        account=account, region=region, name=fn.function_name, arn=fn.function_arn.rsplit(":$LATEST", 1)[0],
        version=str(getattr(fn, "version", "$LATEST")), handler=fn.handler or "", runtime=fn.run_time or "",
        timeout=float(fn.timeout or 3), memory=int(fn.memory_size or 128), env=env,
        code_sha=fn.code_sha_256 or "",
    )


class FunctionPool:
    """The warm workers of one function version, at most ``cap`` of them."""

    def __init__(self, cap: int):
        self.cap = cap
        self.workers: list[Worker] = []
        self.cond = threading.Condition()

    def acquire(self, spec: FunctionSpec, make: "callable", wait_s: float) -> Worker:
        deadline = time.monotonic() + wait_s
        with self.cond:
            while True:
                self._retire_stale(spec.fingerprint)
                for worker in self.workers:
                    if not worker.busy and not worker.dead and worker.ready:
                        worker.busy = True
                        return worker
                warm = any(w.ready and not w.dead for w in self.workers)
                starting = any(not w.ready and not w.busy and not w.dead for w in self.workers)
                if len(self.workers) < self.cap and not (warm and starting):
                    worker = make()
                    worker.on_ready = self._notify
                    self.workers.append(worker)
                    if not warm:  # a cold function: this call waits for the init (and sees its errors)
                        worker.busy = True
                        return worker
                    # Scale out in the background; the call takes whichever worker is free first,
                    # so a burst does not pay a cold start while a warm worker frees up in ms.
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError("every worker of this function stayed busy")
                self.cond.wait(min(left, POLL_S))

    def _notify(self) -> None:
        with self.cond:
            self.cond.notify()

    def release(self, worker: Worker, fingerprint: str) -> None:
        """Hand the worker back and wake the longest waiting call, only that one.

        Waking every waiter (as this did) made each release cost a thread switch per queued call:
        under 50 concurrent clients the emulator spent more on those wake-ups than on the calls.
        """
        with self.cond:
            worker.busy = False
            if worker.dead or worker.fingerprint != fingerprint:
                self._drop(worker)
            self.cond.notify()

    def retire_all(self) -> None:
        with self.cond:
            for worker in list(self.workers):
                self._drop(worker)
            self.cond.notify_all()

    def retire_idle(self, older_than_s: float) -> None:
        now = time.monotonic()
        with self.cond:
            for worker in list(self.workers):
                if not worker.busy and (worker.dead or now - worker.last_used > older_than_s):
                    self._drop(worker)

    def _retire_stale(self, fingerprint: str) -> None:
        for worker in list(self.workers):
            if worker.dead or (worker.fingerprint != fingerprint and not worker.busy):
                self._drop(worker)

    def _drop(self, worker: Worker) -> None:
        if worker in self.workers:
            self.workers.remove(worker)
        threading.Thread(target=worker.kill, daemon=True).start()


class LambdaRuntime:
    """Runs deployed zips in warm workers; one instance per emulator process."""

    def __init__(self, endpoint: str, code_root: Path, cap: int | None = None, faults: Faults | None = None):
        self.endpoint = endpoint
        self.code_root = code_root
        self.faults = faults or Faults()
        self.cap = cap or settings.lambda_workers_cap()
        self._pools: dict[str, FunctionPool] = {}
        self._extracted: set[Path] = set()
        self._lock = threading.Lock()

    def invoke(self, spec: FunctionSpec, code: "callable", payload: bytes,
               client_context: str | None = None) -> InvokeResult:
        """Run one event through a warm worker and shape the outcome like AWS."""
        request_id = str(uuid.uuid4())
        writer = LogWriter(spec.account, spec.region, log_group_name(spec.name))
        if not spec.runtime.startswith("python"):
            doc = {"errorMessage": f"the local cloud runs python runtimes only, not {spec.runtime or 'image'!r}",
                   "errorType": "Runtime.InvalidRuntime"}
            return InvokeResult(json.dumps(doc).encode(), "Unhandled", request_id, 0.0)
        fault = self.faults.lambda_fault(spec.name)
        if fault is not None:
            return _injected(fault, spec, request_id, writer)
        pool = self._pool(spec.key)
        code_dir = self._code_dir(spec, code)

        def make() -> Worker:
            sandbox = uuid.uuid4().hex
            scratch = self.code_root / spec.name / "tmp" / sandbox  # each sandbox's own /tmp, as on AWS
            scratch.mkdir(parents=True, exist_ok=True)
            env = dict(self._env(spec, code_dir), TMPDIR=str(scratch))
            return Worker(code_dir, env, spec.fingerprint, writer, new_stream_name(spec.version, sandbox), scratch)

        try:
            worker = pool.acquire(spec, make, wait_s=spec.timeout + INIT_ALLOWANCE_S)
        except TimeoutError:
            doc = {"errorMessage": "Rate Exceeded.", "errorType": "TooManyRequestsException"}
            return InvokeResult(json.dumps(doc).encode(), "Unhandled", request_id, 0.0)
        start = f"START RequestId: {request_id} Version: {spec.version}"
        writer(worker.log_stream, start)
        inv = Invocation(request_id, payload or b"{}", spec.arn, spec.timeout, client_context)
        worker.captured = []
        try:
            worker.invoke(inv)
        finally:
            printed, worker.captured = worker.captured or [], None
            pool.release(worker, spec.fingerprint)
        duration = (time.monotonic() - inv.started) * 1000
        closing = [f"END RequestId: {request_id}",
                   f"REPORT RequestId: {request_id}\tDuration: {duration:.2f} ms\t"
                   f"Billed Duration: {math.ceil(duration)} ms\tMemory Size: {spec.memory} MB\t"
                   f"Max Memory Used: {worker.rss_bytes() // 2**20} MB"]
        for line in closing:
            writer(worker.log_stream, line)
        tail = "\n".join([start, *printed, *closing]) + "\n"
        if inv.outcome == "ok":
            return InvokeResult(inv.body, None, request_id, duration, tail)
        body = _with_request_id(inv.body, request_id)
        return InvokeResult(body, "Unhandled", request_id, duration, tail)

    def retire(self, function_arn_prefix: str | None = None) -> None:
        """Retire the workers of one function (by ARN prefix), or of every function."""
        with self._lock:
            keys = [k for k in self._pools if function_arn_prefix is None or k.startswith(function_arn_prefix)]
            pools = [self._pools.pop(k) for k in keys]
        for pool in pools:
            pool.retire_all()

    def retire_function(self, name: str) -> None:
        """Retire every worker of the function called ``name`` (it was deleted)."""
        with self._lock:
            keys = [k for k in self._pools if f":function:{name}:" in k]
            pools = [self._pools.pop(k) for k in keys]
        for pool in pools:
            pool.retire_all()

    def reap_idle(self, older_than_s: float = 600.0) -> None:
        with self._lock:
            pools = list(self._pools.values())
        for pool in pools:
            pool.retire_idle(older_than_s)

    def workers(self) -> dict[str, list[Worker]]:
        """Live workers by function key (for status and benchmarks)."""
        with self._lock:
            return {k: list(p.workers) for k, p in self._pools.items()}

    def _pool(self, key: str) -> FunctionPool:
        with self._lock:
            if key not in self._pools:
                self._pools[key] = FunctionPool(self.cap)
            return self._pools[key]

    def _code_dir(self, spec: FunctionSpec, code: "callable") -> Path:
        target = self.code_root / spec.name / _safe_digest(spec.code_sha)
        if target in self._extracted or target.is_dir():  # one stat per code version, not per call
            self._extracted.add(target)
            return target
        tmp = target.with_name(target.name + f".tmp{os.getpid()}{threading.get_ident()}")
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        data = code()
        if data:
            with zipfile.ZipFile(BytesIO(data)) as archive:
                archive.extractall(tmp)
        try:
            tmp.rename(target)
        except OSError:  # another thread extracted the same code first
            shutil.rmtree(tmp, ignore_errors=True)
        return target

    def _env(self, spec: FunctionSpec, code_dir: Path) -> dict[str, str]:
        env = {k: os.environ[k] for k in _PASS_THROUGH if k in os.environ}
        env.update({k: v for k, v in spec.env if k not in RESERVED})
        env.update(clients.environment(self.endpoint, spec.region))
        env.update({
            "AWS_EXECUTION_ENV": f"AWS_Lambda_{spec.runtime}",
            "AWS_LAMBDA_FUNCTION_NAME": spec.name, "AWS_LAMBDA_FUNCTION_VERSION": spec.version,
            "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": str(spec.memory),
            "AWS_LAMBDA_LOG_GROUP_NAME": log_group_name(spec.name),
            "LAMBDA_TASK_ROOT": str(code_dir), "LAMBDA_RUNTIME_DIR": str(code_dir), "_HANDLER": spec.handler,
            "PYTHONUNBUFFERED": "1",
        })
        for k, v in spec.env:  # the function may point boto3 elsewhere on purpose
            if k.startswith("AWS_ENDPOINT_URL"):
                env[k] = v
        return env


def _injected(kind: str, spec: FunctionSpec, request_id: str, writer: LogWriter) -> InvokeResult:
    """The outcome of an injected fault (localcloud/faults.py), logged like a real one."""
    if kind == "timeout":
        message = f"RequestId: {request_id} Error: Task timed out after {spec.timeout:.2f} seconds"
        doc = {"errorMessage": message, "errorType": "Sandbox.Timedout"}
    else:
        doc = {"errorMessage": "a fault injected by the local cloud", "errorType": "InjectedFault"}
    writer(new_stream_name(spec.version, "faults"), f"{request_id} {doc['errorType']}: {doc['errorMessage']}")
    body = _with_request_id(json.dumps(doc).encode(), request_id)
    return InvokeResult(body, "Unhandled", request_id, 0.0, doc["errorMessage"])


def _safe_digest(code_sha: str) -> str:
    try:
        return base64.b64decode(code_sha).hex()[:24] or "empty"
    except (binascii.Error, ValueError):
        return hashlib.sha256(code_sha.encode()).hexdigest()[:24]


def _with_request_id(body: bytes, request_id: str) -> bytes:
    try:
        doc = json.loads(body)
    except ValueError:
        return body
    if isinstance(doc, dict):
        doc["requestId"] = request_id
        doc.setdefault("errorType", "Runtime.Unknown")
        doc.setdefault("stackTrace", [])
        return json.dumps(doc).encode()
    return body
