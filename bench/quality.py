"""Quality benchmark: ours against every peer on MovieLens-100K (5-fold user split) and the bank data.

    python -m bench.quality [--datasets movielens,movielens-raw,bank] [--folds 5] [--split-seed 0]
                            [--draws 5] [--peers EASE,BPR] [--no-ours]

Datasets: ``movielens`` (ZIP cut to its first digit), ``movielens-raw`` (the user table as it comes:
the full ZIP code, 795 values; the same users, items and folds), ``bank`` (data/train -> data/test).
Protocols (recommender.evaluation.metrics): P2 reveal 5 random items, P3 reveal only demographics, P4 both;
held-out users with >= 6 items (MovieLens users all have >= 20); NDCG/Recall/HitRate/coverage @10.
P2 and P4 score every held-out user under --draws independent reveals and average that user's
metrics (P3 reveals no random items); the paired bootstrap resamples users. Every peer is tuned on
validation users drawn from each split's training users (bench/peers/tuning.py); the chosen
parameters are printed per fold. ``--no-ours`` runs the peers alone (users and fields encoded as
the engine encodes them, without training it).
Peers are installed by bench/install_peers.sh. Prints markdown tables and writes build/bench/quality.json.
"""
from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # implicit's advice; set before numpy loads BLAS

import argparse  # noqa: E402
import json  # noqa: E402
import time  # noqa: E402
from datetime import datetime, timezone  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

from bench.machine import machine  # noqa: E402
from bench.quality_runs import PROTOCOLS, run_split, subset_users  # noqa: E402
from recommender.evaluation import metrics as ev  # noqa: E402

OUT = Path(__file__).resolve().parent.parent / "build" / "bench"


def merge(runs: list[dict]) -> dict:
    """Concatenate per-user metrics over folds; keep fold means, train time and latency means."""
    merged = {}
    for p in PROTOCOLS:
        merged[p] = {}
        for name in runs[0][p]:
            parts = [r[p][name] for r in runs if name in r[p]]
            metrics = parts[0]["result"].per_user
            per_user = {m: np.concatenate([x["result"].per_user[m] for x in parts]) for m in metrics}
            merged[p][name] = {"per_user": per_user,
                               "fold_ndcg": [x["result"].mean("ndcg") for x in parts],
                               "coverage": float(np.mean([x["result"].coverage for x in parts])),
                               "train_s": float(np.mean([x["train_s"] for x in parts])),
                               "latency_ms": float(np.mean([x["latency_ms"] for x in parts])),
                               "params": [x["params"] for x in parts]}
    return merged


def table(title: str, merged: dict) -> tuple[str, dict]:
    lines = [f"\n### {title}\n", "| Protocol | Algorithm | NDCG@10 | (fold sd) | Recall@10 | HitRate@10 | Coverage@10 "
             "| Train s | Request ms |", "|---|---|---:|---:|---:|---:|---:|---:|---:|"]
    summary = {}
    for p, algos in merged.items():
        order = sorted(algos, key=lambda n: -np.mean(algos[n]["per_user"]["ndcg"]))
        for name in order:
            x = algos[name]
            pu = x["per_user"]
            lines.append(f"| {p} | {name} | {np.mean(pu['ndcg']):.4f} | {np.std(x['fold_ndcg']):.4f} | "
                         f"{np.mean(pu['recall']):.4f} | {np.mean(pu['hitrate']):.4f} | {x['coverage']:.3f} | "
                         f"{x['train_s']:.2f} | {x['latency_ms']:.3f} |")
        peers = [n for n in order if n not in ("Ours", "Oracle")]
        best = peers[0] if peers else None
        entry = {n: float(np.mean(algos[n]["per_user"]["ndcg"])) for n in order}
        if best and "Ours" in algos:
            d, lo, hi = ev.paired_bootstrap_ci(algos["Ours"]["per_user"]["ndcg"], algos[best]["per_user"]["ndcg"])
            entry["diff_vs_best_peer"] = {"peer": best, "mean": d, "ci95": [lo, hi]}
            lines.append(f"| {p} | Ours − {best} | {d:+.4f} | 95% CI [{lo:+.4f}, {hi:+.4f}] | | | | | |")
        for name in [n for n in ("Ours", best) if n in algos and "Oracle" in algos][:1]:
            ratio = entry[name] / entry["Oracle"]
            entry[f"{name}_over_oracle" if name != "Ours" else "ours_over_oracle"] = ratio
            lines.append(f"| {p} | {name} / Oracle | {ratio:.3f} | | | | | | |")
        entry["params"] = {n: algos[n]["params"] for n in peers}
        summary[p] = entry
    if all("Ours" in merged.get(p, {}) for p in ("P2", "P4")):
        # The same users under the same reveals in both protocols: does giving their fields help?
        d, lo, hi = ev.paired_bootstrap_ci(merged["P4"]["Ours"]["per_user"]["ndcg"], merged["P2"]["Ours"]["per_user"]["ndcg"])
        summary["P4"]["ours_P4_minus_P2"] = {"mean": d, "ci95": [lo, hi]}
        lines.append(f"| P4 | Ours P4 − Ours P2 (fields added to the same reveals) | {d:+.4f} | 95% CI [{lo:+.4f}, {hi:+.4f}] "
                     "| | | | | |")
    return "\n".join(lines + parameters(merged)), summary


def parameters(merged: dict) -> list[str]:
    """The parameters each peer chose on validation users, per protocol, fold by fold."""
    lines = ["", "Tuned parameters (chosen on validation users of each fold's training users):", ""]
    for p, algos in merged.items():
        for name, x in algos.items():
            if any(x["params"]):
                chosen = x["params"]
                text = str(chosen[0]) if all(c == chosen[0] for c in chosen) else \
                    "; ".join(f"fold {f + 1}: {c}" for f, c in enumerate(chosen))
                lines.append(f"- {p} {name}: {text}")
    return lines


def movielens(args, log, raw: bool = False, cache: dict | None = None) -> list[dict]:
    from recommender.data.movielens import load_movielens

    ds = load_movielens(raw=raw)
    perm = np.random.default_rng(args.split_seed).permutation(ds.n_users)
    runs = []
    for f, test in enumerate(np.array_split(perm, args.folds)):
        log(f"MovieLens-100K{' raw fields' if raw else ''} fold {f + 1}/{args.folds}: "
            f"{ds.n_users - len(test)} training users, {len(test)} held out")
        train_rows = np.setdiff1d(perm, test)
        runs.append(run_split(subset_users(ds, train_rows), subset_users(ds, np.sort(test)), seed=f,
                              only=args.only, log=log, draws=args.draws, ours=args.ours, cache=cache))
    return runs


def bank(args, log) -> list[dict]:
    from recommender import load_dataset
    from recommender.synthetic.generator import bank_oracle

    root = Path(__file__).resolve().parent.parent / "data"
    log("bank dataset: data/train -> data/test users with >= 6 products")
    return [run_split(load_dataset(root / "train"), load_dataset(root / "test"), seed=0, only=args.only,
                      oracle=bank_oracle(), log=log, draws=args.draws, ours=args.ours)]


DATASETS = ("movielens", "movielens-raw", "bank")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", default="movielens,movielens-raw,bank",
                        help=f"comma-separated, any of {', '.join(DATASETS)}")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--draws", type=int, default=5, help="random reveals per held-out user in P2/P4")
    parser.add_argument("--split-seed", type=int, default=0, help="seed of MovieLens' random user folds")
    parser.add_argument("--peers", default="", help="comma-separated subset of peers (default: all)")
    parser.add_argument("--no-ours", dest="ours", action="store_false",
                        help="run the peers only, without training our engine")
    args = parser.parse_args(argv)
    args.only = {p for p in args.peers.split(",") if p} or None
    names = [n for n in args.datasets.split(",") if n]
    unknown = [n for n in names if n not in DATASETS]
    if unknown or not names:
        parser.error(f"unknown dataset(s) {', '.join(unknown) or '(none given)'}: choose among {', '.join(DATASETS)}")
    started = time.time()
    log = lambda msg: print(msg, flush=True)  # noqa: E731
    header = (f"Quality benchmark · {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC · {machine()}\n"
              "(the machine was shared with other work during the run: times are indicative)")
    log(header)
    report, summary, cache = [header], {}, {}
    for name in names:
        if name.startswith("movielens"):
            raw = name == "movielens-raw"
            merged = merge(movielens(args, log, raw=raw, cache=cache))
            title = (f"MovieLens-100K{' with raw user fields (full ZIP code)' if raw else ' (ZIP area)'}, "
                     f"{args.folds}-fold user split (seed {args.split_seed}), {args.draws} reveal draws per user")
        else:
            merged = merge(bank(args, log))
            title = (f"Bank dataset (data/train -> data/test), {args.draws} reveal draws per user, "
                     "with the generator's exact posterior (Oracle)")
        text, summary[name] = table(title, merged)
        report.append(text)
        log(text)
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "quality.json").write_text(json.dumps(summary, indent=2, default=repr))   # FieldSlice -> its name
    (OUT / "quality.md").write_text("\n".join(report) + "\n")
    log(f"\nwrote {OUT / 'quality.md'} and quality.json in {time.time() - started:.0f} s")


if __name__ == "__main__":
    main()
