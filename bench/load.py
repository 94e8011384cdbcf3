"""Load benchmark: POST /recommendations under an open and a closed loop (locust), tail latency, cold starts.

    invoke bench --suite load                                   # deploys its own stack, the issue's figures
    invoke bench --suite load --args "--duration 20"            # shorter loops
    python -m bench.load --api-url URL --endpoint http://127.0.0.1:4566   # an existing local deployment

Figures: cold start (first request after deploy; after the api/validate/recommend workers are
recycled), warm single-client latency, an open loop (RATE req/s offered for DURATION s: RATE × 2
users, each starting a request every 2 s from a random point of its period) and a closed loop
(CLIENTS users sending back to back). The open loop is measured after WARMUP s at the same rate,
not counted: its first seconds are the function pools scaling out from one worker each (cold
starts, measured on their own above), which would otherwise decide its p99.
Every answered recommendation is read back by id and compared with what POST answered: errors
and lost results are counted. locust's HTML reports go to build/bench/load-{open,closed}.html.
Measured client-side on this machine, with the load generator on the same cores: quote the load
average printed with the figures.
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "build" / "bench"
USERS_FILE = Path(__file__).with_name("load_users.py")
PACING_S = 2.0
BODY = {"mode": "products", "items": ["current_account", "payroll_account", "credit_card", "mortgage",
                                       "short_term_deposit"], "k": 10}


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


def _timed_post(session: requests.Session, api_url: str) -> float:
    started = time.perf_counter()
    session.post(api_url + "/recommendations", json=BODY, timeout=60).raise_for_status()
    return (time.perf_counter() - started) * 1000


def warm_latency(api_url: str, count: int) -> dict:
    """Sequential requests from one client after a warm-up (ms)."""
    session = requests.Session()
    for _ in range(20):
        _timed_post(session, api_url)
    times = [_timed_post(session, api_url) for _ in range(count)]
    return {"p50": statistics.median(times), "p99": _percentile(times, 99), "n": count}


def recycled_cold_start(api_url: str, endpoint: str, functions: list[str]) -> float:
    """One request right after every function's warm workers were retired (ms)."""
    for name in functions:
        requests.post(f"{endpoint}/_localcloud/faults", json={"service": "lambda", "kind": "recycle",
                                                              "function": name}, timeout=30).raise_for_status()
    time.sleep(0.5)  # let the retired processes exit, as an idle container would be gone
    return _timed_post(requests.Session(), api_url)


def run_locust(api_url: str, name: str, users: int, duration: float, pacing: float) -> dict:
    """One locust run; returns its figures and the documents it was answered."""
    OUT.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f"bench-load-{name}-"))
    env = dict(os.environ, LOAD_RESULTS=str(work / "answers.jsonl"), LOAD_PACING=str(pacing))
    command = [sys.executable, "-m", "locust", "-f", str(USERS_FILE), "--headless", "--only-summary",
               "-u", str(users), "-r", str(users), "-t", f"{int(duration)}s", "--stop-timeout", "60",
               "--host", api_url, "--csv", str(work / "stats"), "--html", str(OUT / f"load-{name}.html"),
               "--loglevel", "WARNING", "--exit-code-on-error", "0"]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=duration + 300)
    if done.returncode:
        raise SystemExit(f"locust failed ({done.returncode}):\n{done.stderr[-3000:]}")
    with open(work / "stats_stats.csv") as table:
        row = next(r for r in csv.DictReader(table) if r["Name"] == "POST /recommendations")
    answers = [json.loads(line) for line in (work / "answers.jsonl").read_text().splitlines() if line]
    return {"sent": int(row["Request Count"]), "errors": int(row["Failure Count"]),
            "rate": float(row["Requests/s"]), "p50": float(row["50%"]), "p95": float(row["95%"]),
            "p99": float(row["99%"]), "answers": answers}


def process_cpu_s(pid: int) -> float:
    """CPU seconds (user + system) a process has used: what a request costs, whatever else runs."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def lost(api_url: str, answers: list[dict]) -> int:
    """How many answered recommendations cannot be read back identical by id."""
    session = requests.Session()

    def missing(document: dict) -> bool:
        stored = session.get(f"{api_url}/recommendations/{document['request_id']}", timeout=60)
        return stored.status_code != 200 or stored.json() != document

    with ThreadPoolExecutor(4) as pool:
        return sum(pool.map(missing, answers))


def _own_stack(port: int, root: Path):
    from rich.console import Console

    from devtasks.stack_deploy import deploy

    os.environ.update(LOCALCLOUD_STATE_DIR=str(root / "localcloud"), LOCALCLOUD_PORT=str(port))
    quiet = Console(file=open(root / "progress.log", "w"), width=120)
    return deploy("local", state_root=root / "terraform", site_dir=root / "site", port=port, console=quiet), quiet


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=float, default=50.0, help="open loop: requests per second offered")
    parser.add_argument("--clients", type=int, default=50, help="closed loop: clients sending back to back")
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of each loop")
    parser.add_argument("--warmup", type=float, default=15.0,
                        help="seconds of the open loop's rate run first and not counted (0: none)")
    parser.add_argument("--latency-requests", type=int, default=300, help="sequential requests for warm latency")
    parser.add_argument("--api-url", help="an existing local deployment's API URL (else one is deployed)")
    parser.add_argument("--endpoint", help="its local cloud endpoint (with --api-url)")
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="bench-load-"))
    deployment = quiet = None
    if args.api_url:
        api_url, endpoint = args.api_url.rstrip("/"), args.endpoint.rstrip("/")
        functions = [f["FunctionName"] for f in _lambda(endpoint).list_functions()["Functions"]]
        cold_deploy = None  # that deployment's first request was someone else's
    else:
        import socket

        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        deployment, quiet = _own_stack(port, root)
        api_url, endpoint = deployment.api_url, deployment.endpoint or f"http://127.0.0.1:{port}"
        functions = list(deployment.outputs["function_names"].values())
        cold_deploy = _timed_post(requests.Session(), api_url)
    try:
        load_before = os.getloadavg()[0]
        warm = warm_latency(api_url, args.latency_requests)
        cold_recycled = recycled_cold_start(api_url, endpoint, functions)
        warm_latency(api_url, 10)
        if args.warmup > 0:
            run_locust(api_url, "warmup", int(args.rate * PACING_S), args.warmup, PACING_S)
        open_loop = run_locust(api_url, "open", int(args.rate * PACING_S), args.duration, PACING_S)
        open_loop["lost"] = lost(api_url, open_loop.pop("answers"))
        emulator = _emulator_pid(root) if deployment is not None else _checkout_emulator_pid(endpoint)
        cpu_before = process_cpu_s(emulator) if emulator else None
        closed = run_locust(api_url, "closed", args.clients, args.duration, 0.0)
        cpu_ms = (process_cpu_s(emulator) - cpu_before) * 1000 / max(1, closed["sent"]) if emulator else None
        closed["lost"] = lost(api_url, closed.pop("answers"))
        load_after = os.getloadavg()[0]
    finally:
        if deployment is not None:
            from devtasks.stack_deploy import destroy

            destroy("local", state_root=root / "terraform", console=quiet)
    print(f"# load benchmark — {platform.node()} ({os.cpu_count()} cores), "
          f"{datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC, load average {load_before:.1f} before, "
          f"{load_after:.1f} after (other work on the machine shows here)")
    print("\n| figure | measured | target |\n|---|---:|---:|")
    print(f"| cold start: first request after deploy | "
          f"{'not measured (an existing deployment)' if cold_deploy is None else f'{cold_deploy:.0f} ms'} | — |")
    print(f"| cold start: first request after the workers are recycled | {cold_recycled:.0f} ms | — |")
    print(f"| warm single client, p50 ({warm['n']} requests) | {warm['p50']:.1f} ms | ≤ 10 ms |")
    print(f"| warm single client, p99 | {warm['p99']:.1f} ms | — |")
    print("\n| loop | sent | achieved req/s | errors | lost | p50 ms | p95 ms | p99 ms | target |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---|")
    print(f"| open: {args.rate:g} req/s offered for {args.duration:g} s"
          f"{f' (after {args.warmup:g} s warm-up)' if args.warmup > 0 else ''} | {open_loop['sent']} | {open_loop['rate']:.1f} | "
          f"{open_loop['errors']} | {open_loop['lost']} | {open_loop['p50']:.0f} | {open_loop['p95']:.0f} | "
          f"{open_loop['p99']:.0f} | p99 ≤ 100 ms, 0 errors, 0 lost |")
    print(f"| closed: {args.clients} clients for {args.duration:g} s | {closed['sent']} | {closed['rate']:.1f} | "
          f"{closed['errors']} | {closed['lost']} | {closed['p50']:.0f} | {closed['p95']:.0f} | {closed['p99']:.0f} | "
          f"≥ 100 req/s, 0 errors, 0 lost |")
    if cpu_ms is None:
        print("\nemulator process CPU per request: not measured (that local cloud was not started from this checkout)")
    else:
        print(f"\nemulator process CPU per request in the closed loop: {cpu_ms:.1f} ms (one Python process serves "
              "the API, the workflow and DynamoDB: 1000 / this bounds its requests per second on one core)")
    print(f"\nlocust reports: {OUT / 'load-open.html'}, {OUT / 'load-closed.html'}")


def _checkout_emulator_pid(endpoint: str) -> int | None:
    """The pid of this checkout's local cloud when it is the one at ``endpoint``."""
    import localcloud

    state = localcloud.status()
    return state["pid"] if state["running"] and state["endpoint"].rstrip("/") == endpoint else None


def _emulator_pid(root: Path) -> int | None:
    try:
        return int(json.loads((root / "localcloud" / "server.json").read_text())["pid"])
    except (OSError, ValueError, KeyError):
        return None


def _lambda(endpoint: str):
    import localcloud

    return localcloud.client("lambda", endpoint)


if __name__ == "__main__":
    main()
