"""Stack benchmark: deploy/repeat/destroy times, POST /recommendations latency and a steady load.

    python -m bench.stack                    # the issue's figures (60 s at 50 req/s)
    python -m bench.stack --duration 10      # a shorter load

Runs on a local cloud of its own (free port, temporary state), so a developer's
deployment is untouched. Latency is measured client-side over HTTP on this machine,
sequentially, after a warm-up; the load is open-loop (requests start on schedule
whether or not earlier ones finished) and every answered request id is read back.
"""
from __future__ import annotations

import argparse
import os
import platform
import socket
import statistics
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone
from pathlib import Path

import requests
from rich.console import Console

from devtasks.stack_deploy import deploy, destroy

FIVE = ["current_account", "payroll_account", "credit_card", "mortgage", "short_term_deposit"]
BODIES = [{"mode": "products", "items": FIVE, "k": 10},
          {"mode": "metadata", "metadata": {"AGE": 41, "INCOME": 52000}, "k": 10},
          {"mode": "both", "items": FIVE, "metadata": {"AGE": 29}, "k": 10}]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


def latency(api_url: str, count: int) -> dict:
    """Sequential warm POST /recommendations latencies (ms), all three modes in turn."""
    session = requests.Session()
    for body in BODIES * 5:  # warm every worker and the model
        session.post(api_url + "/recommendations", json=body, timeout=30).raise_for_status()
    times = []
    for n in range(count):
        started = time.perf_counter()
        session.post(api_url + "/recommendations", json=BODIES[n % 3], timeout=30).raise_for_status()
        times.append((time.perf_counter() - started) * 1000)
    return {"p50": statistics.median(times), "p99": _percentile(times, 99), "max": max(times), "n": count}


def load(api_url: str, rate: float, duration: float) -> dict:
    """Open-loop load at ``rate`` req/s for ``duration`` s; then read every result back by id."""
    local = threading.local()
    outcomes: list[tuple[int, str | None, float]] = []
    lock = threading.Lock()

    def one(n: int) -> None:
        session = getattr(local, "session", None) or requests.Session()
        local.session = session
        started = time.perf_counter()
        try:
            answer = session.post(api_url + "/recommendations", json=BODIES[n % 3], timeout=30)
            status, rid = answer.status_code, answer.json().get("request_id") if answer.ok else None
        except requests.RequestException:
            status, rid = 0, None
        with lock:
            outcomes.append((status, rid, (time.perf_counter() - started) * 1000))

    total = int(rate * duration)
    began = time.perf_counter()
    with ThreadPoolExecutor(max_workers=64) as pool:
        for n in range(total):
            delay = began + n / rate - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            pool.submit(one, n)
    elapsed = time.perf_counter() - began
    errors = sum(1 for status, _, _ in outcomes if status != 200)
    ids = [rid for _, rid, _ in outcomes if rid]
    session = requests.Session()
    missing = sum(1 for rid in ids if session.get(f"{api_url}/recommendations/{rid}", timeout=30).status_code != 200)
    times = [ms for status, _, ms in outcomes if status == 200]
    return {"sent": total, "seconds": elapsed, "errors": errors, "retrievable": len(ids) - missing,
            "missing": missing, "p50": statistics.median(times) if times else float("nan"),
            "p99": _percentile(times, 99) if times else float("nan")}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=float, default=50.0, help="requests per second of the load")
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of load")
    parser.add_argument("--latency-requests", type=int, default=300, help="sequential requests for p50/p99")
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="bench-stack-"))
    port = _free_port()
    os.environ.update(LOCALCLOUD_STATE_DIR=str(root / "localcloud"), LOCALCLOUD_PORT=str(port))
    quiet = Console(file=open(root / "progress.log", "w"), width=120)
    state, site = root / "terraform", root / "site"
    try:
        started = time.perf_counter()
        deployment = deploy("local", state_root=state, site_dir=site, port=port, console=quiet)
        clean = time.perf_counter() - started
        started = time.perf_counter()
        again = deploy("local", state_root=state, site_dir=site, port=port, console=quiet)
        repeat = time.perf_counter() - started
        warm = latency(deployment.api_url, args.latency_requests)
        steady = load(deployment.api_url, args.rate, args.duration)
    finally:
        started = time.perf_counter()
        destroy("local", state_root=state, console=quiet)
        gone = time.perf_counter() - started
    print(f"# stack benchmark — {platform.node()} ({os.cpu_count()} cores), "
          f"{datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC")
    print("\n| step | seconds | target |\n|---|---:|---:|")
    print(f"| deploy from clean (local cloud start → site synced) | {clean:.1f} | ≤ 90 |")
    print(f"| deploy again, no change ({again.changes['terraform']}) | {repeat:.1f} | ≤ 25 |")
    print(f"| destroy (buckets emptied, resources destroyed, cloud stopped) | {gone:.1f} | ≤ 30 |")
    print(f"\nsteps of the clean deploy: " + ", ".join(f"{k} {v:.1f} s" for k, v in deployment.timings.items()))
    print("\n| POST /recommendations, warm, sequential | p50 ms | p99 ms | max ms | n |\n|---|---:|---:|---:|---:|")
    print(f"| all three modes in turn | {warm['p50']:.1f} | {warm['p99']:.1f} | {warm['max']:.1f} | {warm['n']} |")
    print(f"\n| load | sent | seconds | errors | retrievable by id | p50 ms | p99 ms |\n|---|---:|---:|---:|---:|---:|---:|")
    print(f"| {args.rate:g} req/s for {args.duration:g} s | {steady['sent']} | {steady['seconds']:.1f} | "
          f"{steady['errors']} | {steady['retrievable']} | {steady['p50']:.1f} | {steady['p99']:.1f} |")


if __name__ == "__main__":
    main()
