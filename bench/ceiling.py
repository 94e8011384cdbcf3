"""How far held-out MovieLens users are from users the model has seen: a ceiling probe.

    python -m bench.ceiling [--datasets movielens,movielens-raw] [--draws 5]

Scores each of the quality benchmark's five held-out folds (same split, same reveals) twice with
our engine: trained on the other four folds (the benchmark's figure), and trained on every user,
the held-out ones included — so the model has seen the very items it is asked to find. The second
figure is not a result; it bounds what more data of the same kind could bring this model, and
shows how much of a gap to a target is generalisation at all. Writes build/bench/ceiling.json.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.draws import draws_of, evaluate_draws  # noqa: E402
from bench.machine import machine  # noqa: E402
from bench.quality_runs import PROTOCOLS, subset_users  # noqa: E402
from recommender.evaluation.scoring import scorer, user_matrix  # noqa: E402
from recommender.training import train  # noqa: E402

OUT = ROOT / "build" / "bench"


def fold_scores(model, ds_test, fold: int, draws: int) -> dict:
    a, meta = user_matrix(model, ds_test)
    return {p: evaluate_draws(scorer(model, mode), draws_of(a, meta, mode, fold, draws)).per_user["ndcg"]
            for p, mode in PROTOCOLS.items()}


def probe(raw: bool, folds: int, draws: int, log) -> dict:
    from recommender.data.movielens import load_movielens

    ds = load_movielens(raw=raw)
    perm = np.random.default_rng(0).permutation(ds.n_users)       # bench/quality.py's split (seed 0)
    start = time.perf_counter()
    seen_model = train(ds)
    log(f"  trained on all {ds.n_users} users in {time.perf_counter() - start:.0f} s")
    held, seen = {p: [] for p in PROTOCOLS}, {p: [] for p in PROTOCOLS}
    for f, test in enumerate(np.array_split(perm, folds)):
        ds_test = subset_users(ds, np.sort(test))
        model = train(subset_users(ds, np.setdiff1d(perm, test)))
        for out, m in ((held, model), (seen, seen_model)):
            for p, v in fold_scores(m, ds_test, f, draws).items():
                out[p].append(v)
        log(f"  fold {f + 1}/{folds}: " + ", ".join(f"{p} {np.mean(held[p][-1]):.4f} / {np.mean(seen[p][-1]):.4f}"
                                                   for p in PROTOCOLS))
    return {p: {"held_out": float(np.mean(np.concatenate(held[p]))), "seen": float(np.mean(np.concatenate(seen[p])))}
            for p in PROTOCOLS}


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", default="movielens,movielens-raw")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--draws", type=int, default=5)
    args = parser.parse_args(argv)
    log = lambda msg: print(msg, flush=True)  # noqa: E731
    log(f"Ceiling probe · {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC · {machine()}")
    results = {}
    for name in [n for n in args.datasets.split(",") if n]:
        if name not in ("movielens", "movielens-raw"):
            parser.error(f"unknown dataset {name!r}: choose movielens or movielens-raw")
        log(f"{name}:")
        results[name] = probe(name == "movielens-raw", args.folds, args.draws, log)
    lines = ["", "| dataset | protocol | NDCG@10 held out (trained on the other folds) | NDCG@10 seen (trained on every user) |",
             "|---|---|---|---|"]
    for name, by_p in results.items():
        for p, r in by_p.items():
            lines.append(f"| {name} | {p} | {r['held_out']:.4f} | {r['seen']:.4f} |")
    log("\n".join(lines))
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "ceiling.json").write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
