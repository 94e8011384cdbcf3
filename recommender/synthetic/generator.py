"""The default dataset: users and products drawn from the persona mixture, with its oracle.

`generate_bank` draws ``n_train + n_test`` independent users (each holding at
least one product), splits them into two disjoint `Dataset`s and returns the
exact-posterior `Oracle` of the model that drew them. Everything is
deterministic for a seed. See recommender/README.md for the model.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from recommender.data.dataset import Dataset, FieldSpec
from recommender.synthetic.holdings import sample_holdings
from recommender.synthetic.mixture import MixtureModel
from recommender.synthetic.oracle import Oracle
from recommender.synthetic.personas import bank_model
from recommender.synthetic.retail_catalogue import retail_model

REFERENCE_TIME = 1_767_225_600  # 2026-01-01T00:00:00Z: "now" for the holdings' timestamps
SECONDS_PER_MONTH = 2_629_746
EVENT_TYPE = "hold"
USER_FIELDS = ("AGE", "CUSTOMER_TENURE", "INCOME", "SEX", "SEGMENT", "PROVINCE")


@dataclass
class BankData:
    """What `generate_bank` returns.

    Attributes
    ----------
    train, test : Dataset
        Disjoint users (test ids continue after train's).
    oracle : Oracle
        Exact posterior of the model that drew them.
    model : MixtureModel
    train_personas, test_personas : ndarray of str
        Each user's hidden persona (for describing the data; never an input).
    """

    train: Dataset
    test: Dataset
    oracle: Oracle
    model: MixtureModel
    train_personas: np.ndarray
    test_personas: np.ndarray


def make_model(seed: int = 42, n_items: int | None = None) -> MixtureModel:
    """The bank model (``n_items=None``; fixed, the seed is unused) or a retail catalogue of ``n_items``."""
    return bank_model() if n_items is None else retail_model(int(n_items), seed)


def bank_oracle(seed: int = 42, n_items: int | None = None) -> Oracle:
    """The oracle of the model `generate_bank` uses for the same ``seed`` and ``n_items``."""
    return Oracle(make_model(seed, n_items))


def generate_bank(n_train: int = 50_000, n_test: int = 10_000, seed: int = 42,
                  n_items: int | None = None) -> BankData:
    """Draw the default dataset (or a larger one for benchmarks).

    Parameters
    ----------
    n_train, n_test : int
        Users in each part (disjoint); ``n_test`` may be 0.
    seed : int
        Everything drawn follows from it.
    n_items : int or None
        None: the ~two-dozen-product bank catalogue. A number (e.g. 100_000):
        a retail-like synthetic catalogue of that many items.

    Returns
    -------
    BankData
    """
    if n_train < 1 or n_test < 0:
        raise ValueError(f"need n_train >= 1 and n_test >= 0; got {n_train} and {n_test}")
    model = make_model(seed, n_items)
    rng = np.random.default_rng(seed)
    states, fields, users, items = _draw_population(model, rng, n_train + n_test)
    timestamps = _timestamps(rng, fields["CUSTOMER_TENURE"][users])
    width = max(6, len(str(n_train + n_test)))
    ids = np.array([f"U{k:0{width}d}" for k in range(1, n_train + n_test + 1)])
    parts = []
    for lo, hi in ((0, n_train), (n_train, n_train + n_test)):
        pick = (users >= lo) & (users < hi)
        parts.append(_dataset(model, ids[lo:hi], {k: v[lo:hi] for k, v in fields.items()},
                              users[pick] - lo, items[pick], timestamps[pick]))
    personas = np.asarray(model.persona_names, dtype=object)[states[:, 0]]
    return BankData(train=parts[0], test=parts[1], oracle=Oracle(model), model=model,
                    train_personas=personas[:n_train], test_personas=personas[n_train:])


def _draw_population(model: MixtureModel, rng: np.random.Generator, n: int):
    """Draw users until ``n`` hold at least one product (rejection keeps them i.i.d.)."""
    q0 = float(model.state_prior().ravel()
               @ np.prod(1.0 - model.hold, axis=1)[model.row.ravel()])
    kept_states, kept_fields, kept_users, kept_items, have = [], [], [], [], 0
    while have < n:
        batch = int((n - have) * 1.02 / (1.0 - q0)) + 64
        states = model.sample_states(rng, batch)
        fields = model.sample_fields(rng, states)
        users, items = sample_holdings(rng, model.hold, model.hold_rows(states))
        keep = np.flatnonzero(np.bincount(users, minlength=batch) > 0)[: n - have]
        new_index = np.full(batch, -1)
        new_index[keep] = np.arange(len(keep)) + have
        pick = new_index[users] >= 0
        kept_states.append(states[keep])
        kept_fields.append({k: v[keep] for k, v in fields.items()})
        kept_users.append(new_index[users[pick]])
        kept_items.append(items[pick])
        have += len(keep)
    fields = {k: np.concatenate([f[k] for f in kept_fields]) for k in USER_FIELDS}
    return (np.concatenate(kept_states), fields, np.concatenate(kept_users), np.concatenate(kept_items))


def _timestamps(rng: np.random.Generator, tenure_months: np.ndarray) -> np.ndarray:
    """Opening time of each holding: uniform over the customer's tenure, before `REFERENCE_TIME`."""
    span = (tenure_months + 1.0) * SECONDS_PER_MONTH
    return REFERENCE_TIME - np.floor(rng.random(len(span)) * span).astype(np.int64) - 1


def _dataset(model, ids, fields, users, items, timestamps) -> Dataset:
    numeric = {f.name: f for f in model.numeric}
    categorical = {f.name: f for f in model.categorical}
    schema = {}
    for name in USER_FIELDS:
        values = fields[name]
        if name in numeric:
            bounds = (float(values.min()), float(values.max())) if len(values) else (None, None)
            schema[name] = FieldSpec(name, "numeric", minimum=bounds[0], maximum=bounds[1], integer=True, description=numeric[name].description)
        else:
            schema[name] = FieldSpec(name, "categorical", values=tuple(sorted(set(values.tolist()))),
                                     description=categorical[name].description)
    item_fields = {"NAME": np.asarray(model.item_names, dtype=object),
                   "CATEGORY": np.asarray(model.item_categories, dtype=object),
                   "DESCRIPTION": np.asarray(model.item_descriptions, dtype=object)}
    item_schema = {"NAME": FieldSpec("NAME", "categorical", values=tuple(sorted(set(model.item_names)))),
                   "CATEGORY": FieldSpec("CATEGORY", "categorical",
                                         values=tuple(sorted(set(model.item_categories)))),
                   "DESCRIPTION": FieldSpec("DESCRIPTION", "categorical", values=None)}
    return Dataset(user_ids=ids, user_fields=fields, user_schema=schema,
                   item_ids=np.asarray(model.item_ids), item_fields=item_fields, item_schema=item_schema,
                   inter_user=users.astype(np.int32), inter_item=items.astype(np.int32),
                   inter_timestamp=timestamps, inter_event_type=np.full(len(users), EVENT_TYPE),
                   inter_event_value=None)
