"""Datasets the engine benchmark trains on, written once as Personalize CSVs under build/bench/data/.

Each case writes a training folder (what `invoke train --data` reads) and keeps a few thousand
test users in memory for latency requests. Cases:
- ``ml-raw``: MovieLens-100K as a customer table really is (full ZIP code string, numeric age,
  multi-valued GENRES, EVENT_VALUE kept).
- ``wide-2k``: 2,000 items, ~1M interactions, 10 user fields, one a postal code with ~50,000
  distinct values (the bank demographics plus POSTCODE, CHANNEL, MARITAL, CHILDREN).
- ``bank-1m`` / ``bank-3m``: the bank catalogue with 1M / 3M users.
- ``retail-100k``: a 100,000-item catalogue, ~1M interactions.
"""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np

from recommender.data.dataset import Dataset, FieldSpec

ROOT = Path(__file__).resolve().parent.parent / "build" / "bench" / "data"
POSTCODES_PER_PROVINCE = 4_600


def with_more_fields(ds: Dataset, seed: int = 0) -> Dataset:
    """Four more user fields, loosely tied to the ones there: a postal code under the province (two
    digits of province, four of street-level code: ~50,000 distinct over 125k users), the channel
    (younger customers use the app), marital status and number of children (with age)."""
    rng = np.random.default_rng(seed)
    n = ds.n_users
    provinces = np.asarray(ds.user_fields["PROVINCE"], dtype=str)
    codes = np.unique(provinces, return_inverse=True)[1]
    local = rng.integers(0, POSTCODES_PER_PROVINCE, n)
    postcode = np.char.add(np.char.zfill((10 + codes).astype(str), 2), np.char.zfill(local.astype(str), 4))
    age = np.asarray(ds.user_fields["AGE"], dtype=float)
    young = age < 35
    channel = np.where(rng.random(n) < np.where(young, 0.7, 0.3), "app",
                       np.where(rng.random(n) < 0.5, "branch", "web"))
    marital = np.where(age < 25, "single", rng.choice(["married", "single", "divorced", "widowed"], n,
                                                      p=[0.55, 0.25, 0.15, 0.05]))
    children = np.where(age < 22, 0, rng.poisson(np.clip((age - 22) / 15, 0, 2))).astype(float)
    fields = dict(ds.user_fields, POSTCODE=postcode.astype(object), CHANNEL=channel.astype(object),
                  MARITAL=marital.astype(object), CHILDREN=children)
    schema = dict(ds.user_schema)
    for name, doc in (("POSTCODE", "postal code"), ("CHANNEL", "preferred channel"), ("MARITAL", "marital status")):
        schema[name] = FieldSpec(name, "categorical", values=tuple(sorted(set(fields[name].tolist()))), description=doc)
    schema["CHILDREN"] = FieldSpec("CHILDREN", "numeric", minimum=0.0, maximum=float(children.max()), integer=True,
                                   description="children")
    return replace(ds, user_fields=fields, user_schema=schema)


CASES = ("ml-raw", "wide-2k", "bank-1m", "bank-3m", "retail-100k")


def build(case: str) -> tuple[Path, Path]:
    """Write the case's training folder and a folder of held-out users (once); return both."""
    from bench.quality_runs import subset_users as _users
    from recommender import write_dataset
    from recommender.synthetic.generator import generate_bank

    folder, held_out = ROOT / case, ROOT / f"{case}-test"
    if (folder / "Interactions.csv").exists() and (held_out / "Interactions.csv").exists():
        return folder, held_out
    if case == "ml-raw":
        from recommender.data.movielens import load_movielens

        ds = load_movielens(raw=True)
        rows = np.random.default_rng(0).permutation(ds.n_users)
        test = _users(ds, np.sort(rows[:150]))
        train = _users(ds, np.sort(rows[150:]))
    else:
        n_train, n_items = {"wide-2k": (125_000, 2000), "bank-1m": (1_000_000, None),
                            "bank-3m": (3_000_000, None), "retail-100k": (122_000, 100_000)}[case]
        bank = generate_bank(n_train=n_train, n_test=2000, seed=42, n_items=n_items)
        train, test = bank.train, bank.test
        if case == "wide-2k":
            train, test = with_more_fields(train, 1), with_more_fields(test, 2)
    write_dataset(test, held_out)
    write_dataset(train, folder)
    return folder, held_out
