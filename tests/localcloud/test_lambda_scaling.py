"""Scaling out a warm function: a burst is served by the warm worker as soon as it is free while a
new worker initialises in the background, instead of every extra call paying a cold start."""
from __future__ import annotations

import json
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from cloud_helpers import WORKER_CAP, make_zip

pytestmark = [pytest.mark.cloud, pytest.mark.slow]  # ~3 s: two slow inits

INIT_S = 1.0
SLOW_INIT = f"""
import os, time
time.sleep({INIT_S})  # a heavy import or model load

def handler(event, context):
    time.sleep(event.get("sleep", 0))
    return {{"pid": os.getpid()}}
"""


def _timed_invoke(lam, name: str, event: dict) -> tuple[float, dict]:
    started = time.perf_counter()
    response = lam.invoke(FunctionName=name, Payload=json.dumps(event))
    return time.perf_counter() - started, json.loads(response["Payload"].read())


def test_a_burst_on_a_warm_function_does_not_wait_for_a_cold_start(cloud, role_arn):
    lam = cloud.client("lambda")
    name = f"slow-init-{uuid.uuid4().hex[:8]}"
    lam.create_function(FunctionName=name, Runtime="python3.11", Role=role_arn, Handler="app.handler",
                        Code={"ZipFile": make_zip({"app.py": SLOW_INIT})}, Timeout=10)
    try:
        cold, first = _timed_invoke(lam, name, {})
        assert cold >= INIT_S  # the first call does wait for the init
        with ThreadPoolExecutor(2) as pool:
            burst = list(pool.map(lambda _: _timed_invoke(lam, name, {"sleep": 0.2}), range(2)))
        assert max(seconds for seconds, _ in burst) < INIT_S, burst  # ~0.4 s: the warm worker, twice
        assert {body["pid"] for _, body in burst} == {first["pid"]}

        time.sleep(INIT_S + 0.5)  # the worker started in the background is warm by now
        with ThreadPoolExecutor(WORKER_CAP) as pool:
            spread = list(pool.map(lambda _: _timed_invoke(lam, name, {"sleep": 0.3}), range(WORKER_CAP)))
        assert len({body["pid"] for _, body in spread}) == WORKER_CAP
        assert max(seconds for seconds, _ in spread) < INIT_S, spread
    finally:
        lam.delete_function(FunctionName=name)


def test_a_released_worker_wakes_one_waiting_call_and_every_call_is_served():
    """50 calls queue for one worker: each release wakes the longest-waiting call only (waking
    them all cost a thread switch per queued call per release, which collapsed throughput under
    load), and no call is left waiting."""
    import threading
    import time
    from types import SimpleNamespace

    from localcloud.functions.runtime import FunctionPool

    pool = FunctionPool(cap=1)
    worker = SimpleNamespace(busy=False, dead=False, ready=True, fingerprint="f", last_used=0.0, on_ready=None)
    pool.workers.append(worker)
    spec = SimpleNamespace(fingerprint="f")
    checks = [0]
    original = pool._retire_stale

    def counted(fingerprint):
        checks[0] += 1
        original(fingerprint)

    pool._retire_stale = counted
    held = pool.acquire(spec, lambda: None, 5)
    served, started = [], []

    def call(i):
        started.append(i)
        got = pool.acquire(spec, lambda: None, 30)
        served.append(i)
        time.sleep(0.002)  # the call runs
        pool.release(got, "f")

    threads = []
    for i in range(50):
        threads.append(threading.Thread(target=call, args=(i,)))
        threads[-1].start()
        while len(started) <= i:
            time.sleep(0.001)
    time.sleep(0.2)  # every call is waiting
    before = checks[0]
    pool.release(held, "f")
    for thread in threads:
        thread.join(10)
    assert sorted(served) == list(range(50))
    assert checks[0] - before < 3 * 50  # about one check per call; waking all made it ~50 per release (~1,300)
