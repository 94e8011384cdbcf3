"""Running ours and every peer on one train/test user split (used by bench/quality.py)."""
from __future__ import annotations

import time
from dataclasses import replace

import numpy as np

from bench import peers as peer_catalogue
from bench.peers.base import tuned
from recommender.evaluation import metrics as ev
from recommender.evaluation.scoring import oracle_scorer, plain_value, scorer, user_matrix
from recommender.training import train

PROTOCOLS = {"P2": "items", "P3": "meta", "P4": "both"}


def subset_users(ds, rows: np.ndarray):
    """The Dataset restricted to the users at ``rows`` (interactions re-indexed)."""
    keep = np.isin(ds.inter_user, rows)
    remap = np.full(ds.n_users, -1, dtype=np.int64)
    remap[rows] = np.arange(len(rows))
    value = ds.inter_event_value[keep] if ds.inter_event_value is not None else None
    return replace(ds, user_ids=ds.user_ids[rows], user_fields={k: v[rows] for k, v in ds.user_fields.items()},
                   inter_user=remap[ds.inter_user[keep]].astype(np.int32), inter_item=ds.inter_item[keep],
                   inter_timestamp=ds.inter_timestamp[keep], inter_event_type=ds.inter_event_type[keep],
                   inter_event_value=value)


def applicable(uses: frozenset, mode: str) -> bool:
    """A peer runs in a protocol when it can read at least one of the revealed inputs (or none at all)."""
    given = {"items": {"items"}, "meta": {"meta"}, "both": {"items", "meta"}}[mode]
    return not uses or bool(uses & given)


def latency_ms(score_fn, protocol: ev.Protocol, n: int = 100) -> float:
    """Median wall time of scoring plus ranking one user at a time."""
    times = []
    for r in range(min(n, len(protocol.users))):
        meta = protocol.meta_index[r:r + 1] if protocol.meta_index is not None else None
        start = time.perf_counter()
        ev.top_k(score_fn(protocol.revealed[r:r + 1], meta), protocol.revealed[r:r + 1], 10)
        times.append(time.perf_counter() - start)
    return float(np.median(times) * 1000) if times else float("nan")


def served_latency_ms(model, protocol: ev.Protocol, ds_test, n: int = 100) -> float:
    """Median wall time of Model.recommend (validation, scoring, ranking, reasons) per request."""
    times = []
    fields = [e.name for e in model.encoders]
    for r in range(min(n, len(protocol.users))):
        u = protocol.users[r]
        items = [model.item_ids[i] for i in protocol.revealed[r].indices] or None
        meta = None
        if protocol.meta_index is not None:
            meta = {f: plain_value(ds_test.user_fields[f][u]) for f in fields if f in ds_test.user_fields}
        start = time.perf_counter()
        model.recommend(items=items, metadata=meta, k=10)
        times.append(time.perf_counter() - start)
    return float(np.median(times) * 1000) if times else float("nan")


def draws_of(a_test, meta_test, mode: str, seed: int, draws: int) -> list[ev.Protocol]:
    """The protocol instances a split is scored on: ``draws`` independent reveals of 5 items (P2, P4),
    a single one when only metadata is revealed (P3 has nothing random to draw)."""
    n = draws if mode in ("items", "both") else 1
    return [ev.make_protocol(a_test, meta_test, mode, seed=seed + 1000 * d) for d in range(n)]


def evaluate_draws(score_fn, protocols: list[ev.Protocol], name: str) -> ev.EvalResult:
    """Per-user metrics averaged over the reveal draws (the same users in every draw, in order)."""
    results = [ev.evaluate(score_fn, p, name=name) for p in protocols]
    per_user = {m: np.mean([r.per_user[m] for r in results], axis=0) for m in results[0].per_user}
    return ev.EvalResult(name, results[0].mode, per_user, float(np.mean([r.coverage for r in results])),
                         results[0].top)


def run_split(ds_train, ds_test, seed: int, only=None, oracle=None, log=print, draws: int = 1) -> dict:
    """Fit ours and the peers on ``ds_train``; evaluate P2/P3/P4 on ``ds_test``.

    Each held-out user is scored under ``draws`` random reveals (P2/P4) and keeps the mean of its
    metrics: the reveal's chance is noise around the user's expected NDCG, and averaging it out
    narrows the paired intervals without changing what is measured.

    Returns {protocol: {algorithm: {"result": EvalResult, "train_s": float, "latency_ms": float}}}.
    """
    out = {p: {} for p in PROTOCOLS}
    start = time.perf_counter()
    model = train(ds_train)
    train_s = time.perf_counter() - start
    a_test, meta_test = user_matrix(model, ds_test)
    a_train, meta_train = user_matrix(model, ds_train)
    n_meta = sum(e.size for e in model.encoders)
    protocols = {p: draws_of(a_test, meta_test, mode, seed, draws) for p, mode in PROTOCOLS.items()}
    for p, mode in PROTOCOLS.items():
        res = evaluate_draws(scorer(model, mode), protocols[p], name="ours")
        out[p]["Ours"] = {"result": res, "train_s": train_s,
                          "latency_ms": served_latency_ms(model, protocols[p][0], ds_test)}
    log(f"  ours: trained in {train_s:.1f} s; " + ", ".join(
        f"{p} {out[p]['Ours']['result'].mean('ndcg'):.4f}" for p in PROTOCOLS))
    for name, factory, grid, tune_mode in peer_catalogue.catalogue(len(model.encoders), model.n_items):
        if only and name not in only:
            continue
        start = time.perf_counter()
        peer, params = tuned(factory, grid, a_train, meta_train, n_meta, tune_mode, seed=seed)
        fit_s = time.perf_counter() - start
        for p, mode in PROTOCOLS.items():
            if applicable(peer.uses, mode):
                res = evaluate_draws(peer.score, protocols[p], name=name)
                out[p][name] = {"result": res, "train_s": fit_s,
                                "latency_ms": latency_ms(peer.score, protocols[p][0])}
        log(f"  {name} {params}: {fit_s:.1f} s; " + ", ".join(
            f"{p} {out[p][name]['result'].mean('ndcg'):.4f}" for p in PROTOCOLS if name in out[p]))
    if oracle is not None:
        for p, mode in PROTOCOLS.items():
            results = [ev.evaluate(oracle_scorer(oracle, model, ds_test, q), q, name="Oracle") for q in protocols[p]]
            per_user = {m: np.mean([r.per_user[m] for r in results], axis=0) for m in results[0].per_user}
            res = ev.EvalResult("Oracle", mode, per_user, float(np.mean([r.coverage for r in results])), results[0].top)
            out[p]["Oracle"] = {"result": res, "train_s": float("nan"), "latency_ms": float("nan")}
    return out
