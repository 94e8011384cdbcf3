"""The exact posterior of the generative model: the best any recommender could score.

For observed products O (a set the user holds) and any subset of observed user
fields m, the oracle returns, for every product j::

    P(j held | O held, m) = sum_s P(s | O held, m) * P(j held | s)        (j not in O)

over the hidden states s = (persona, age band, income band, tenure band) of
`recommender.synthetic.mixture.MixtureModel`. Products are independent given s, so
``P(O held | s) = prod_{k in O} hold[s, k]``. Numeric fields reveal their band;
unobserved fields are marginalised exactly by summing over the states.

The population holds at least one product. With O non-empty that condition is
implied by "O held" and changes nothing; with O empty it is applied exactly:
``P(s | m) ∝ P(s) P(m | s) (1 - q0(s))`` and ``P(j | s) = hold[s, j] / (1 - q0(s))``
where ``q0(s) = prod_j (1 - hold[s, j])``.

"Held" means held by the user; products in O score 1.0. "O held" is the event
"the user holds (at least) these products", the answer to "which products do
you have?".

An evaluation that reveals a uniformly random subset O of the products of users
holding at least ``min_held`` conditions on a different event: a user with N
products reveals a given O with probability 1 / C(N, |O|). ``scores(...,
min_held=n)`` is the exact posterior under that protocol::

    P(j | O revealed) ∝ sum_s P(s, m) prod_{k in O} hold[s, k] * hold[s, j]
                         * E[ 1[N >= n] / C(N, |O|) | s, O and j held ]

where N - |O| - 1 is Poisson-binomial over the other products, summed with a
forward/backward pass over them (catalogues up to `PROTOCOL_MAX_ITEMS` items).
"""
from __future__ import annotations

import math

import numpy as np

from recommender.synthetic.mixture import MixtureModel

PROTOCOL_MAX_ITEMS = 256


class Oracle:
    """Exact P(product held | observed products, observed user fields) of a `MixtureModel`.

    Parameters
    ----------
    model : MixtureModel

    Attributes
    ----------
    item_ids : list of str, length J
        The order of `scores` (the dataset's item order).
    fields : list of str
        User fields it understands: AGE, INCOME, CUSTOMER_TENURE, SEX, SEGMENT, PROVINCE.
    """

    def __init__(self, model: MixtureModel):
        self.model = model
        self.item_ids = list(model.item_ids)
        self._index = {item: j for j, item in enumerate(self.item_ids)}
        self._numeric = {f.name: f for f in model.numeric}
        self._categorical = {f.name: f for f in model.categorical}
        self.fields = list(self._numeric) + list(self._categorical)
        with np.errstate(divide="ignore"):
            self._log_prior = np.log(model.state_prior())
            self._log_hold = np.log(model.hold)
        self._rows = model.row.ravel()
        self._any = 1.0 - np.exp(np.log1p(-np.minimum(model.hold, 1.0 - 1e-300)).sum(axis=1))

    def scores(self, items: list[str] | None = None, metadata: dict | None = None, *,
               min_held: int | None = None) -> np.ndarray:
        """Exact posterior that the user holds each product.

        Parameters
        ----------
        items : list of str or None
            Products the user holds (any number, possibly none).
        metadata : dict or None
            Any subset of `fields` -> value; ``None`` values count as unobserved.
        min_held : int, optional
            None: ``items`` are products the user holds. A number n: ``items`` are a
            uniformly random subset of the products of a user known to hold at least
            n (the "reveal 5 of users with 6 or more" evaluation protocol).

        Returns
        -------
        ndarray of float64, shape (J,)
            In the order of `item_ids`; 1.0 for the given items.

        Raises
        ------
        ValueError
            For an unknown product or field, a value outside the field's range,
            or an observation the model says cannot happen (e.g. a junior
            account at age 40).
        """
        observed = self._item_indices(items)
        log_w = self._log_prior + self._metadata_log_likelihood(metadata or {})
        log_w = log_w.ravel()
        if min_held is not None:
            return self._scores_revealed(observed, log_w, int(min_held), (items, metadata))
        if observed:
            log_w = log_w + self._log_hold[:, observed].sum(axis=1)[self._rows]
        else:
            with np.errstate(divide="ignore"):
                log_w = log_w + np.log(self._any[self._rows])
        top = log_w.max()
        if not np.isfinite(top):
            raise ValueError("these products and details cannot occur together under the model "
                             f"(items={items}, metadata={metadata})")
        w = np.exp(log_w - top)
        w_rows = np.bincount(self._rows, weights=w / w.sum(), minlength=len(self._any))
        if not observed:
            w_rows = np.divide(w_rows, self._any, out=np.zeros_like(w_rows), where=self._any > 0)
        p = np.clip(w_rows @ self.model.hold, 0.0, 1.0)
        p[observed] = 1.0
        return p

    def _scores_revealed(self, observed: list[int], log_w: np.ndarray, min_held: int, query) -> np.ndarray:
        """Exact posterior under the random-reveal protocol (see the module docstring)."""
        hold = self.model.hold
        n_rows, n_items = hold.shape
        if n_items > PROTOCOL_MAX_ITEMS:
            raise ValueError(f"min_held works for catalogues up to {PROTOCOL_MAX_ITEMS} items; "
                             f"this one has {n_items}")
        m = len(observed)
        rest = np.setdiff1d(np.arange(n_items), observed)
        r = len(rest)
        h = hold[:, rest]
        total = np.arange(n_items + 3)
        g = np.zeros(len(total))  # g(N) = 1[N >= threshold] / C(N, m)
        ok = total >= max(min_held, m, 1)
        g[ok] = 1.0 / np.array([math.comb(int(t), m) for t in total[ok]], dtype=float)
        prefix = np.zeros((r + 1, n_rows, r + 2))  # prefix[k]: count distribution of rest[:k]
        prefix[0, :, 0] = 1.0
        for k in range(r):
            prefix[k + 1] = prefix[k] * (1 - h[:, k:k + 1])
            prefix[k + 1, :, 1:] += prefix[k, :, :-1] * h[:, k:k + 1]
        suffix = np.broadcast_to(g[m + 1:m + 1 + r + 2], (n_rows, r + 2)).copy()  # items after k, shifted
        joint = np.zeros((n_rows, n_items))
        for k in range(r - 1, -1, -1):
            joint[:, rest[k]] = h[:, k] * (prefix[k] * suffix).sum(axis=1)
            shifted = np.zeros_like(suffix)
            shifted[:, :-1] = suffix[:, 1:]
            suffix = (1 - h[:, k:k + 1]) * suffix + h[:, k:k + 1] * shifted
        alone = (prefix[r] * g[m:m + r + 2]).sum(axis=1)
        top = log_w.max()
        if not np.isfinite(top):
            raise ValueError(f"these products and details cannot occur together under the model {query}")
        w_rows = np.bincount(self._rows, weights=np.exp(log_w - top), minlength=n_rows)
        w_rows = w_rows * np.exp(self._log_hold[:, observed].sum(axis=1))
        evidence = w_rows @ alone
        if evidence <= 0:
            raise ValueError(f"these products and details cannot occur together under the model {query}")
        p = np.clip(w_rows @ joint / evidence, 0.0, 1.0)
        p[observed] = 1.0
        return p

    def posterior_personas(self, items: list[str] | None = None, metadata: dict | None = None) -> np.ndarray:
        """P(persona | observations), shape (K,), in the order of ``model.persona_names``."""
        observed = self._item_indices(items)
        log_w = (self._log_prior + self._metadata_log_likelihood(metadata or {})).ravel()
        with np.errstate(divide="ignore"):
            extra = (self._log_hold[:, observed].sum(axis=1)[self._rows] if observed
                     else np.log(self._any[self._rows]))
        log_w = (log_w + extra).reshape(self._log_prior.shape)
        w = np.exp(log_w - log_w.max())
        per_persona = w.reshape(w.shape[0], -1).sum(axis=1)
        return per_persona / per_persona.sum()

    def _item_indices(self, items) -> list[int]:
        out = []
        for item in items or []:
            if item not in self._index:
                raise ValueError(f"unknown product {item!r}; known products: {', '.join(self.item_ids[:30])}"
                                 + (" ..." if len(self.item_ids) > 30 else ""))
            if self._index[item] not in out:
                out.append(self._index[item])
        return out

    def _metadata_log_likelihood(self, metadata: dict) -> np.ndarray:
        """log P(observed fields | state), broadcastable to (K, A, I, T)."""
        total = np.zeros(self._log_prior.shape)
        for name, value in metadata.items():
            if value is None:
                continue
            if name in self._numeric:
                spec = self._numeric[name]
                try:
                    number = float(value)
                except (TypeError, ValueError):
                    raise ValueError(f"{name} must be a number; got {value!r}") from None
                mask = np.full(len(spec.bands), -np.inf)
                mask[spec.band_of(number)] = 0.0
                shape = [1, 1, 1, 1]
                shape[spec.axis] = len(spec.bands)
                total = total + mask.reshape(shape)
            elif name in self._categorical:
                spec = self._categorical[name]
                if value not in spec.values:
                    raise ValueError(f"{name} must be one of {', '.join(spec.values)}; got {value!r}")
                with np.errstate(divide="ignore"):
                    total = total + np.log(spec.table[..., spec.values.index(value)])
            else:
                raise ValueError(f"unknown field {name!r}; known fields: {', '.join(self.fields)}")
        return total
