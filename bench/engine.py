"""Engine benchmark: request latency, artifact size, training time and peak RAM.

    python -m bench.engine            # every case, each in its own process, then a table
    python -m bench.engine --case 2k  # one case, prints one JSON line

Cases (data from recommender.synthetic.generator at large settings):
- "2k":     2,000-item catalogue, 50,000 training users (dense layout).
- "100k":   100,000-item retail catalogue, ~1M interactions (large-catalogue layout).
- "bank1m": the bank catalogue with ~1M interactions (training time and RAM at 1M rows).
Latency is Model.recommend end to end (validation, scoring, ranking, reasons) after loading the
saved artifact, over 1,000 requests per mode; peak RAM is the process's maximum resident set
(data generation included).
"""
from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

CASES = {"2k": {"n_train": 50_000, "n_items": 2000},
         "100k": {"n_train": 122_000, "n_items": 100_000},
         "bank1m": {"n_train": 313_000, "n_items": None}}


def requests(model, ds, n: int, seed: int = 0):
    """n requests per mode: 5 distinct random items and/or a random test customer's full details."""
    rng = np.random.default_rng(seed)
    fields = [e.name for e in model.encoders]
    for _ in range(n):
        items = [model.item_ids[i] for i in rng.choice(model.n_items, 5, replace=False)]
        u = int(rng.integers(ds.n_users))
        meta = {f: (float(ds.user_fields[f][u]) if isinstance(ds.user_fields[f][u], (float, np.floating))
                    else str(ds.user_fields[f][u])) for f in fields}
        yield {"items": {"items": items}, "meta": {"metadata": meta}, "both": {"items": items, "metadata": meta},
               "none": {}}


def run_case(name: str) -> dict:
    from recommender import load_model
    from recommender.synthetic.generator import generate_bank
    from recommender.training import train

    spec = CASES[name]
    bank = generate_bank(n_train=spec["n_train"], n_test=2000, seed=42, n_items=spec["n_items"])
    ds = bank.train
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    start = time.perf_counter()
    model = train(ds)
    train_s = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    out = {"case": name, "items": int(ds.n_items), "users": int(ds.n_users), "interactions": int(len(ds.inter_user)),
           "layout": model.layout, "train_s": train_s, "peak_rss_mb": peak, "rss_before_train_mb": rss_before}
    with tempfile.TemporaryDirectory() as tmp:
        model.save(tmp)
        out["artifact_mb"] = sum(p.stat().st_size for p in Path(tmp).iterdir()) / 1e6
        start = time.perf_counter()
        served = load_model(tmp)
        out["load_s"] = time.perf_counter() - start
    latencies = {mode: [] for mode in ("items", "meta", "both", "none")}
    for i, request in enumerate(requests(served, bank.test, 1050)):
        for mode, kwargs in request.items():
            t0 = time.perf_counter()
            served.recommend(k=10, **kwargs)
            if i >= 50:                                     # the first 50 warm caches up
                latencies[mode].append(time.perf_counter() - t0)
    for mode, values in latencies.items():
        out[f"{mode}_p50_ms"] = float(np.percentile(values, 50) * 1000)
        out[f"{mode}_p99_ms"] = float(np.percentile(values, 99) * 1000)
    return out


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description="engine latency, size, training time and RAM")
    parser.add_argument("--case", choices=sorted(CASES))
    args = parser.parse_args(argv)
    if args.case:
        print(json.dumps(run_case(args.case)))
        return
    from bench.machine import machine

    print(f"Engine benchmark · {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC · {machine()}\n"
          "(the machine was shared with other work during the run: times are indicative)", flush=True)
    rows = []
    for name in CASES:
        done = subprocess.run([sys.executable, "-m", "bench.engine", "--case", name], capture_output=True, text=True)
        if done.returncode != 0:
            print(f"case {name} failed:\n{done.stderr[-2000:]}")
            continue
        rows.append(json.loads(done.stdout.strip().splitlines()[-1]))
        print(f"  {name}: done", flush=True)
    head = ("| Case | Items | Interactions | Layout | Train s | Peak RAM MB | Artifact MB | Load s | "
            "p50/p99 ms items | meta | both | none |")
    lines = [head, "|" + "---|" * 12]
    for r in rows:
        lat = " | ".join(f"{r[m + '_p50_ms']:.3f} / {r[m + '_p99_ms']:.3f}" for m in ("items", "meta", "both", "none"))
        lines.append(f"| {r['case']} | {r['items']:,} | {r['interactions']:,} | {r['layout']} | {r['train_s']:.1f} | "
                     f"{r['peak_rss_mb']:.0f} | {r['artifact_mb']:.1f} | {r['load_s']:.2f} | {lat} |")
    print("\n".join(lines))
    out = Path(__file__).resolve().parent.parent / "build" / "bench"
    out.mkdir(parents=True, exist_ok=True)
    (out / "engine.json").write_text(json.dumps(rows, indent=2))


if __name__ == "__main__":
    main()
