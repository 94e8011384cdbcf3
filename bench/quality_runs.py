"""Running ours and every peer on one train/test user split (used by bench/quality.py)."""
from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, replace

import numpy as np

from bench import peers as peer_catalogue
from bench.draws import draws_of, evaluate_draws
from bench.peers.base import FieldSlice
from bench.peers.tuning import tuned
from recommender.evaluation import metrics as ev
from recommender.evaluation.scoring import oracle_scorer, plain_value, scorer, user_matrix
from recommender.training import train

PROTOCOLS = {"P2": "items", "P3": "meta", "P4": "both"}
GIVEN = {"items": {"items"}, "meta": {"meta"}, "both": {"items", "meta"}}


@dataclass
class Encoding:
    """How users and items are numbered when our engine does not run (``--no-ours``): the training
    items in order and one encoder per user field, fitted as the engine fits them (numeric fields
    in its quantile buckets). Carries what `user_matrix` and `oracle_scorer` read of a Model."""

    item_ids: list
    encoders: list
    crosses: tuple = ()

    @property
    def n_items(self) -> int:
        return len(self.item_ids)

    @classmethod
    def of(cls, ds) -> "Encoding":
        from recommender.training.encoders import build_encoders

        encoders, _ = build_encoders(ds.user_fields, ds.user_schema)
        return cls([str(i) for i in ds.item_ids], encoders)


def field_slices(encoders) -> list[FieldSlice]:
    """Which `meta_one_hot` columns belong to which user field (SegmentPop picks fields by them)."""
    return [FieldSlice(e.name, e.offset, e.offset + e.size) for e in encoders]


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
    return not uses or bool(uses & GIVEN[mode])


def seen_mode(uses: frozenset, mode: str) -> str:
    """The protocol as the peer sees it: an items-only peer sees P4 as P2, a metadata-only one as P3."""
    seen = GIVEN[mode] & uses
    return {frozenset({"items"}): "items", frozenset({"meta"}): "meta"}.get(frozenset(seen), mode)


def latency_ms(score_fn, protocol: ev.Protocol, n: int = 100) -> float:
    """Median wall time of scoring plus ranking one user at a time."""
    times = []
    for r in range(min(n, len(protocol.users))):
        meta = protocol.meta[r:r + 1] if protocol.meta is not None else None
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
        if protocol.meta is not None:
            meta = {f: plain_value(ds_test.user_fields[f][u]) for f in fields if f in ds_test.user_fields}
        start = time.perf_counter()
        model.recommend(items=items, metadata=meta, k=10)
        times.append(time.perf_counter() - start)
    return float(np.median(times) * 1000) if times else float("nan")


def split_key(a_train, a_test, seed: int, draws: int) -> str:
    """Identifies a split's interactions and reveals: an items-only peer scores the same on it
    whatever the users' fields are (MovieLens and its raw-fields variant share every split)."""
    h = hashlib.sha256(f"{seed}/{draws}/{a_train.shape}/{a_test.shape}".encode())
    for m in (a_train, a_test):
        h.update(np.ascontiguousarray(m.indptr, dtype=np.int64).tobytes())
        h.update(np.ascontiguousarray(m.indices, dtype=np.int64).tobytes())
    return h.hexdigest()


def evaluate_ours(model, train_s: float, ds_test, protocols, log) -> dict:
    out = {}
    for p, mode in PROTOCOLS.items():
        res = evaluate_draws(scorer(model, mode), protocols[p], name="ours")
        out[p] = {"result": res, "train_s": train_s, "latency_ms": served_latency_ms(model, protocols[p][0], ds_test),
                  "params": {}}
    log(f"  ours: trained in {train_s:.1f} s; " + ", ".join(f"{p} {out[p]['result'].mean('ndcg'):.4f}" for p in out))
    return out


def run_split(ds_train, ds_test, seed: int, only=None, oracle=None, log=print, draws: int = 1, ours: bool = True,
              cache: dict | None = None) -> dict:
    """Fit ours (unless ``ours`` is False) and every peer on ``ds_train``; evaluate P2/P3/P4 on ``ds_test``.

    Each held-out user is scored under ``draws`` random reveals (P2/P4) and keeps the mean of its
    metrics. Peers are tuned on validation users drawn from ``ds_train`` only (bench/peers/tuning.py),
    per protocol as they see it. ``cache`` (a dict kept across calls) reuses an items-only peer's
    results on a split already run.

    Returns {protocol: {algorithm: {"result": EvalResult, "train_s", "latency_ms", "params"}}}.
    """
    out = {p: {} for p in PROTOCOLS}
    if ours:
        start = time.perf_counter()
        enc = train(ds_train)                         # peers read users and items as our model numbers them
        train_s = time.perf_counter() - start
    else:
        enc = Encoding.of(ds_train)
    a_test, meta_test = user_matrix(enc, ds_test)
    protocols = {p: draws_of(a_test, meta_test, mode, seed, draws) for p, mode in PROTOCOLS.items()}
    if ours:
        for p, result in evaluate_ours(enc, train_s, ds_test, protocols, log).items():
            out[p]["Ours"] = result
    a_train, meta_train = user_matrix(enc, ds_train)
    n_meta = sum(e.size for e in enc.encoders)
    key = split_key(a_train, a_test, seed, draws)
    for entry in peer_catalogue.catalogue(field_slices(enc.encoders), enc.n_items):
        if only and entry.name not in only:
            continue
        uses = entry.make(entry.grid[0]).uses
        seen = {p: seen_mode(uses, mode) for p, mode in PROTOCOLS.items() if applicable(uses, mode)}
        cached = cache.get((entry.name, key)) if cache is not None and "meta" not in uses else None
        if cached is not None:
            for p in seen:
                out[p][entry.name] = cached[p]
            log(f"  {entry.name}: same split as before, results reused")
            continue
        start = time.perf_counter()
        by_mode = tuned(entry, a_train, meta_train, n_meta, sorted(set(seen.values())), seed=seed)
        fit_s = time.perf_counter() - start
        for p, mode in seen.items():
            t = by_mode[mode]
            out[p][entry.name] = {"result": evaluate_draws(t.peer.score, protocols[p], name=entry.name),
                                  "train_s": fit_s, "latency_ms": latency_ms(t.peer.score, protocols[p][0]),
                                  "params": t.params}
        if cache is not None and "meta" not in uses:
            cache[(entry.name, key)] = {p: out[p][entry.name] for p in seen}
        log(f"  {entry.name}: tuned and fitted in {fit_s:.1f} s; " + "; ".join(
            f"{p} {out[p][entry.name]['result'].mean('ndcg'):.4f} {out[p][entry.name]['params']}" for p in seen))
    if oracle is not None:
        for p, mode in PROTOCOLS.items():
            score = [oracle_scorer(oracle, enc, ds_test, q) for q in protocols[p]]
            results = [ev.evaluate(s, q, name="Oracle") for s, q in zip(score, protocols[p])]
            per_user = {m: np.mean([r.per_user[m] for r in results], axis=0) for m in results[0].per_user}
            res = ev.EvalResult("Oracle", mode, per_user, float(np.mean([r.coverage for r in results])), results[0].top)
            out[p]["Oracle"] = {"result": res, "train_s": float("nan"), "latency_ms": float("nan"), "params": {}}
    return out
