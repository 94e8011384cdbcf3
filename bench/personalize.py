"""Personalize benchmark: the lifecycle on the local cloud, GetRecommendations, POST /recommendations per backend.

    python -m bench.personalize                   # lifecycle + runtime + the stack with each backend
    python -m bench.personalize --skip-stack      # lifecycle and runtime only (~1 minute)

Runs on local clouds of its own (free ports, temporary state). The lifecycle is what
`invoke deploy --backend personalize` runs (devtasks/personalize_resources.py) on the first
``--customers`` customers of data/train: schemas → dataset group → datasets → imports →
training → filter → event tracker → campaign, then the removal in the service's order.
Latencies are client-side, sequential, after a warm-up; the machine's load is printed with them.
Also prints the AWS cost figures the deploy prints before it creates a campaign.
"""
from __future__ import annotations

import argparse
import contextlib
import json
import os
import statistics
import sys
import tempfile
import time
import uuid
from datetime import datetime, timezone
from pathlib import Path

import requests

import localcloud
from bench.machine import machine
from bench.stack import BODIES, _free_port
from devtasks.personalize_resources import TPS_HOUR_USD, Names, Resources, cost_notice
from localcloud import control

ROOT = Path(__file__).resolve().parent.parent


def _p50(call, count: int) -> float:
    call()
    times = []
    for _ in range(count):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def _bucket_and_role(client, name: str) -> tuple[str, str]:
    s3, iam = client("s3"), client("iam")
    s3.create_bucket(Bucket=name)
    s3.put_bucket_policy(Bucket=name, Policy=json.dumps({"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Principal": {"Service": "personalize.amazonaws.com"},
        "Action": ["s3:GetObject", "s3:ListBucket"], "Resource": [f"arn:aws:s3:::{name}", f"arn:aws:s3:::{name}/*"]}]}))
    return name, iam.create_role(RoleName=name, AssumeRolePolicyDocument="{}")["Role"]["Arn"]


def lifecycle(data: Path, calls: int) -> list[tuple[str, str]]:
    """Create everything, time the runtime, remove everything, on a private local cloud."""
    state = Path(tempfile.mkdtemp(prefix="bench-personalize-"))
    endpoint = control.start(port=_free_port(), state_dir=state)
    steps: dict[str, float] = {}

    @contextlib.contextmanager
    def step(title):
        started = time.perf_counter()
        yield
        steps[title] = time.perf_counter() - started

    try:
        client = lambda service: localcloud.client(service, endpoint)  # noqa: E731
        bucket, role = _bucket_and_role(client, "bench-personalize")
        resources = Resources(client, Names("bench"), step, poll_s=0.1, say=lambda line: None)
        started = time.perf_counter()
        arns = resources.ensure(data, bucket, role, on_aws=False)
        created = time.perf_counter() - started
        runtime, events = client("personalize-runtime"), client("personalize-events")
        known = _p50(lambda: runtime.get_recommendations(campaignArn=arns["campaign_arn"], userId="U000001",
                                                         numResults=10), calls)

        def session() -> None:
            visitor = uuid.uuid4().hex
            events.put_events(trackingId=arns["tracking_id"], sessionId=visitor, eventList=[
                {"eventType": "chosen", "itemId": item, "sentAt": time.time()} for item in BODIES[0]["items"]])
            runtime.get_recommendations(campaignArn=arns["campaign_arn"], userId=visitor, numResults=10,
                                        filterArn=arns["filter_arn"])

        anonymous = _p50(session, calls)
        started = time.perf_counter()
        resources.remove()
        removed = time.perf_counter() - started
    finally:
        control.stop(state_dir=state)
    rows = [("Lifecycle: create (schemas → campaign), local", f"{created:.1f} s")]
    rows += [(f"  {title}", f"{seconds:.1f} s") for title, seconds in steps.items() if "delete" not in title]
    rows += [("Lifecycle: remove in the service's order, local", f"{removed:.1f} s"),
             (f"GetRecommendations, known user, p50 of {calls}", f"{known:.1f} ms"),
             (f"PutEvents (5) + GetRecommendations with the filter, p50 of {calls}", f"{anonymous:.1f} ms")]
    return rows


def stack(data: Path, count: int) -> list[tuple[str, str]]:
    """POST /recommendations p50 with each backend, one stack re-deployed builtin → personalize → both."""
    from rich.console import Console

    from devtasks.stack_deploy import deploy, destroy

    root = Path(tempfile.mkdtemp(prefix="bench-personalize-stack-"))
    port = _free_port()
    os.environ.update(LOCALCLOUD_STATE_DIR=str(root / "localcloud"), LOCALCLOUD_PORT=str(port))
    console = Console(file=open(os.devnull, "w"))
    rows = []
    try:
        for backend in ("builtin", "personalize", "both"):
            started = time.perf_counter()
            result = deploy("local", state_root=root / "terraform", site_dir=root / "site", port=port, console=console,
                            backend=backend, personalize_data=data)
            took = time.perf_counter() - started
            session = requests.Session()
            for body in BODIES * 5:
                session.post(result.api_url + "/recommendations", json=body, timeout=60).raise_for_status()
            turn = iter(range(10**9))
            p50 = _p50(lambda: session.post(result.api_url + "/recommendations", json=BODIES[next(turn) % 3],
                                            timeout=60).raise_for_status(), count)
            rows += [(f"POST /recommendations p50 ({count}, 3 modes), backend {backend}", f"{p50:.1f} ms"),
                     (f"  deploy (or switch) to {backend}", f"{took:.0f} s")]
    finally:
        destroy("local", state_root=root / "terraform", console=console)
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.personalize", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--customers", type=int, default=600, help="first customers of data/train imported")
    parser.add_argument("--calls", type=int, default=200, help="runtime calls timed")
    parser.add_argument("--requests", type=int, default=60, help="API requests timed per backend")
    parser.add_argument("--skip-stack", action="store_true", help="skip the deployed stack (three deploys)")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT / "tests"))
    from fixtures_stack import first_customers  # the stack tests' subset of data/train

    data = first_customers(ROOT / "data" / "train", args.customers,
                           Path(tempfile.mkdtemp(prefix="bench-personalize-data-")))
    rows = lifecycle(data, args.calls)
    if not args.skip_stack:
        rows += stack(data, args.requests)
    rows += [("AWS: a campaign at minProvisionedTPS 1", f"${TPS_HOUR_USD:.2f}/hour, ${TPS_HOUR_USD * 730:.0f}/month"),
             ("AWS: what the deploy prints first", cost_notice(1))]
    load = os.getloadavg()
    print(f"# Personalize benchmark · {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC\n{machine()}\n"
          f"load average at the end: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} (other work on this machine "
          f"slows these figures)\n{args.customers} customers of data/train\n")
    width = max(len(name) for name, _ in rows)
    for name, value in rows:
        print(f"{name:<{width}}  {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
