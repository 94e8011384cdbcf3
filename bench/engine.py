"""Engine benchmark: training time and peak RAM from the files, artifact size, request latency.

    python -m bench.engine                 # every case, each in its own processes, then a table
    python -m bench.engine --case wide-2k  # one case, prints one JSON line

For each case (bench/datasets.py) one process writes the Personalize CSVs (once, cached under
build/bench/data/), and a fresh process trains from the folder exactly as `invoke train --data`
does (streaming read, statistics, solve), saves the artifact, loads it, and times Model.recommend
end to end (validation, scoring, ranking, reasons) over 1,000 requests per mode built from held-out
users. Peak RAM is that process's maximum resident set: reading, statistics and solve.
"""
from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
import warnings
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

from bench.datasets import CASES

LIMITS = {"ml-raw": (60, 1536), "wide-2k": (120, 4096), "bank-1m": (60, 2048), "bank-3m": (300, 4096),
          "retail-100k": (None, 4096)}   # (train seconds, peak MB) the engine must stay within


def requests(model, ds, n: int, seed: int = 0):
    """n requests per mode: 5 distinct random items and/or a random held-out customer's details."""
    from recommender.evaluation.scoring import plain_value

    rng = np.random.default_rng(seed)
    fields = [e.name for e in model.encoders if e.name in ds.user_fields]
    for _ in range(n):
        items = [model.item_ids[i] for i in rng.choice(model.n_items, 5, replace=False)]
        u = int(rng.integers(ds.n_users))
        meta = {f: plain_value(ds.user_fields[f][u]) for f in fields}
        meta = {f: v for f, v in meta.items() if v == v and v != ""}            # empty cells: not sent
        yield {"items": {"items": items}, "meta": {"metadata": meta}, "both": {"items": items, "metadata": meta},
               "none": {}}


def run_case(name: str, folder: str, held_out: str) -> dict:
    from recommender import load_dataset, load_model
    from recommender.training.fit import train_folder

    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = train_folder(folder)
    train_s = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    m = model.manifest
    out = {"case": name, "items": m["n_items"], "users": m["n_users"], "interactions": m["n_interactions"],
           "fields": len(model.encoders), "features": int(model.arrays["w_meta"].shape[0]), "layout": model.layout,
           "train_s": train_s, "peak_rss_mb": peak}
    with tempfile.TemporaryDirectory() as tmp:
        model.save(tmp)
        out["artifact_mb"] = sum(p.stat().st_size for p in Path(tmp).iterdir()) / 1e6
        served = load_model(tmp)
    test = load_dataset(held_out)
    latencies = {mode: [] for mode in ("items", "meta", "both", "none")}
    for i, request in enumerate(requests(served, test, 1050)):
        for mode, kwargs in request.items():
            t0 = time.perf_counter()
            served.recommend(k=10, **kwargs)
            if i >= 50:                                     # the first 50 warm caches up
                latencies[mode].append(time.perf_counter() - t0)
    for mode, values in latencies.items():
        out[f"{mode}_p50_ms"] = float(np.percentile(values, 50) * 1000)
        out[f"{mode}_p99_ms"] = float(np.percentile(values, 99) * 1000)
    return out


def _measure(name: str) -> dict | str:
    prepared = subprocess.run([sys.executable, "-c", f"from bench.datasets import build; "
                               f"print(*build({name!r}), sep='\\n')"], capture_output=True, text=True)
    if prepared.returncode:
        return f"preparing {name} failed:\n{prepared.stderr[-2000:]}"
    folder, held_out = prepared.stdout.strip().splitlines()[-2:]
    done = subprocess.run([sys.executable, "-m", "bench.engine", "--case", name, folder, held_out],
                          capture_output=True, text=True)
    if done.returncode:
        return f"case {name} failed:\n{done.stderr[-2000:]}"
    return json.loads(done.stdout.strip().splitlines()[-1])


def _verdict(row: dict) -> str:
    seconds, mb = LIMITS[row["case"]]
    ok = (seconds is None or row["train_s"] <= seconds) and row["peak_rss_mb"] <= mb
    limit = (f"≤ {seconds} s, " if seconds else "") + f"≤ {mb / 1024:.1f} GB"
    return f"{'✓' if ok else '✗'} ({limit})"


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description="engine training time, RAM, size and latency")
    parser.add_argument("--case", choices=CASES)
    parser.add_argument("paths", nargs="*", help=argparse.SUPPRESS)
    parser.add_argument("--cases", default=",".join(CASES), help="comma-separated cases to run (default all)")
    args = parser.parse_args(argv)
    if args.case:
        print(json.dumps(run_case(args.case, *args.paths)))
        return
    from bench.machine import machine

    print(f"Engine benchmark · {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC · {machine()}", flush=True)
    rows = []
    for name in args.cases.split(","):
        result = _measure(name)
        if isinstance(result, str):
            print(result, flush=True)
            continue
        rows.append(result)
        print(f"  {name}: trained in {result['train_s']:.1f} s, peak {result['peak_rss_mb']:.0f} MB", flush=True)
    head = ("| Case | Items | Users | Interactions | Fields (features) | Layout | Train s | Peak RAM MB | Bound "
            "| Artifact MB | p50/p99 ms items | meta | both | none |")
    lines = [head, "|" + "---|" * 14]
    for r in rows:
        lat = " | ".join(f"{r[m + '_p50_ms']:.3f} / {r[m + '_p99_ms']:.3f}" for m in ("items", "meta", "both", "none"))
        lines.append(f"| {r['case']} | {r['items']:,} | {r['users']:,} | {r['interactions']:,} | {r['fields']} "
                     f"({r['features']}) | {r['layout']} | {r['train_s']:.1f} | {r['peak_rss_mb']:.0f} | "
                     f"{_verdict(r)} | {r['artifact_mb']:.1f} | {lat} |")
    print("\n".join(lines))
    out = Path(__file__).resolve().parent.parent / "build" / "bench"
    out.mkdir(parents=True, exist_ok=True)
    (out / "engine.json").write_text(json.dumps(rows, indent=2))


if __name__ == "__main__":
    main()
