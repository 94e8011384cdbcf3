"""Scale benchmark: single-machine streaming training vs the statistics on Spark (local mode), side by side.

    python -m bench.scale                          # every case: 2,000 and 100,000 items x 1M, 10M, 30M
    python -m bench.scale --sizes 1m --items 2000  # a subset
    python -m bench.scale --engine spark --case 2000-1m   # one run, prints one JSON line (used internally)

Each case's Personalize CSVs are drawn once by the synthetic generator (``generate_bank`` with a
retail catalogue of ``n_items``; about 8 items a user, so users = interactions / 8) and cached under
build/bench/data/scale-*/. Each engine then trains from the folder in a fresh process, as
``invoke train [--engine spark]`` does, and saves its artifact. Peak RAM: the process's maximum
resident set; for Spark, the Python driver plus the JVM it starts (local mode runs the executors
inside that JVM, whose high-water mark /proc reports). Agreement: same item order, the largest
difference over every weight array, and the mean overlap of the two models' top 10 over 300
requests per mode. Figures measured while other work shares the machine are indicative: the
header prints the load average.
"""
from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
import warnings
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent / "build" / "bench"
SIZES = {"1m": 1_000_000, "10m": 10_000_000, "30m": 30_000_000}
ITEMS = (2000, 100_000)
ITEMS_PER_USER = 8


def case_name(n_items: int, size: str) -> str:
    return f"{n_items}-{size}"


def build(n_items: int, size: str) -> Path:
    """Write the case's folder once (in this process) and return it."""
    from recommender import write_dataset
    from recommender.synthetic.generator import generate_bank

    folder = ROOT / "data" / f"scale-{case_name(n_items, size)}"
    if not (folder / "Interactions.csv").exists():
        users = SIZES[size] // ITEMS_PER_USER
        write_dataset(generate_bank(n_train=users, n_test=0, seed=42, n_items=n_items).train, folder)
    return folder


def jvm_peak_mb() -> float:
    """Peak resident set of the JVM pyspark started (still running after the session stops)."""
    from pyspark import SparkContext

    for line in open(f"/proc/{SparkContext._gateway.proc.pid}/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def run_one(engine: str, folder: str, out: str) -> dict:
    """Train as `invoke train [--engine spark]` does, timing the statistics and the solve apart."""
    from recommender.training.fit import Hyperparameters, feature_space, solve, statistics
    from recommender.training.inputs import TrainingData

    hp, timings = Hyperparameters(), {}
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if engine == "local":   # fit.train_data's steps, with a clock between statistics and solve
            data = TrainingData.from_folder(folder)
            space, report = feature_space(data, hp)
            stats = statistics(data, space, hp)
            timings["statistics"] = time.perf_counter() - start
            model = solve(stats, space, data, hp)
            model.manifest["fields"] = report
        else:
            from recommender.training.spark.driver import train_spark

            model = train_spark(folder, hp, log=None, timings=timings)
    seconds = time.perf_counter() - start
    model.save(out)
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    jvm = jvm_peak_mb() if engine == "spark" else 0.0
    m = model.manifest
    return {"engine": engine, "seconds": seconds, "statistics_s": timings["statistics"],
            "solve_s": seconds - timings["statistics"], "python_mb": own, "jvm_mb": jvm, "peak_mb": own + jvm,
            "users": m["n_users"], "items": m["n_items"], "interactions": m["n_interactions"], "layout": m["layout"]}


def agreement(first: str, second: str, requests: int = 300) -> dict:
    """How closely two artifacts agree: item order, largest weight difference, top-10 overlap per mode."""
    from recommender import load_model

    a, b = load_model(first), load_model(second)
    same_order = list(a.item_ids) == list(b.item_ids)
    diff = 0.0
    for name, array in a.arrays.items():
        if array.dtype.kind == "f" and name in b.arrays and b.arrays[name].shape == array.shape and array.size:
            diff = max(diff, float(np.max(np.abs(np.asarray(array, float) - np.asarray(b.arrays[name], float)))))
    rng = np.random.default_rng(0)
    fields = {e.name: e for e in a.encoders}
    overlaps = []
    for _ in range(requests):
        items = [a.item_ids[i] for i in rng.choice(a.n_items, 5, replace=False)]
        meta = {name: (e.values[0] if e.kind == "categorical" and e.values else e.minimum)
                for name, e in list(fields.items())[:2] if e.values or e.kind == "numeric"}
        for request in ({"items": items}, {"metadata": meta}, {"items": items, "metadata": meta}):
            x = {r["item_id"] for r in a.recommend(k=10, **request)}
            y = {r["item_id"] for r in b.recommend(k=10, **request)}
            overlaps.append(len(x & y) / max(len(x), 1))
    return {"same_order": same_order, "max_weight_diff": diff, "top10_overlap": float(np.mean(overlaps))}


def _measure(engine: str, n_items: int, size: str) -> dict | str:
    name = case_name(n_items, size)
    script = f"from bench.scale import build; print(build({n_items}, {size!r}))"
    prepared = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    if prepared.returncode:
        return f"preparing {name} failed:\n{prepared.stderr[-2000:]}"
    folder = prepared.stdout.strip().splitlines()[-1]
    out = ROOT / "scale" / name / engine
    done = subprocess.run([sys.executable, "-m", "bench.scale", "--engine", engine, "--case", name, folder, str(out)],
                          capture_output=True, text=True)
    if done.returncode:
        return f"{engine} on {name} failed:\n{done.stderr[-2000:]}"
    return {**json.loads(done.stdout.strip().splitlines()[-1]), "case": name, "model": str(out)}


def _engine_cells(run: dict | None, jvm: bool) -> str:
    if not run:
        return "failed | – | "
    seconds = (f"{run['statistics_s']:.0f} / {run['seconds']:.0f}" if "statistics_s" in run
               else f"– / {run['seconds']:.0f}")
    peak = f"{run['peak_mb']:,.0f}" + (f" ({run['python_mb']:,.0f} + {run['jvm_mb']:,.0f})" if jvm else "")
    return f"{seconds} | {peak} | "


def table(rows: list[dict]) -> str:
    """The side-by-side Markdown table of measured pairs."""
    lines = ["| Items | Interactions | Users | Layout | One machine: statistics / total s | peak MB "
             "| Spark local[2]: statistics / total s | peak MB (Python + JVM) | Same order | Max weight diff "
             "| Top-10 overlap |", "|" + "---|" * 11]
    for pair in rows:
        any_run = pair.get("local") or pair.get("spark")
        if not any_run:
            continue
        agree = pair.get("agreement")
        lines.append(f"| {any_run['items']:,} | {any_run['interactions']:,} | {any_run['users']:,} | "
                     f"{any_run['layout']} | " + _engine_cells(pair.get("local"), False)
                     + _engine_cells(pair.get("spark"), True)
                     + (f"{'yes' if agree['same_order'] else 'NO'} | {agree['max_weight_diff']:.1e} | "
                        f"{agree['top10_overlap']:.3f} |" if agree else "– | – | – |"))
    return "\n".join(lines)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description="single machine vs Spark local mode at 1M-30M interactions")
    parser.add_argument("--sizes", default=",".join(SIZES), help="comma-separated: 1m, 10m, 30m")
    parser.add_argument("--items", default=",".join(map(str, ITEMS)), help="comma-separated catalogue sizes")
    parser.add_argument("--engine", choices=("local", "spark"), help=argparse.SUPPRESS)
    parser.add_argument("--case", help=argparse.SUPPRESS)
    parser.add_argument("--table", action="store_true", help="print the last run's table again (scale.json)")
    parser.add_argument("paths", nargs="*", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.engine:
        print(json.dumps(run_one(args.engine, *args.paths)))
        return
    if args.table:
        print(table(json.loads((ROOT / "scale.json").read_text())))
        return
    from bench.machine import machine

    load = open("/proc/loadavg").read().split()[0]
    when = f"{datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC"
    print(f"Scale benchmark · {when} · {machine()} · load average {load}", flush=True)
    rows = []
    for n_items in (int(i) for i in args.items.split(",")):
        for size in args.sizes.split(","):
            pair = {}
            for engine in ("local", "spark"):
                result = _measure(engine, n_items, size)
                if isinstance(result, str):
                    print(result, flush=True)
                    continue
                pair[engine] = result
                print(f"  {result['case']} {engine}: {result['seconds']:.0f} s, peak {result['peak_mb']:.0f} MB",
                      flush=True)
            if len(pair) == 2:
                pair["agreement"] = agreement(pair["local"]["model"], pair["spark"]["model"])
            rows.append(pair)
    print(table(rows))
    (ROOT / "scale.json").write_text(json.dumps(rows, indent=2))


if __name__ == "__main__":
    main()
