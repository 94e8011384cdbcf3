"""The generative model behind the default dataset: a finite mixture of customer personas.

A user's hidden state is ``s = (z, a, i, t)``: persona ``z``, age band ``a``,
income band ``i`` and tenure band ``t``, drawn as::

    z ~ Categorical(weights)            a ~ P(a | z)
    i ~ P(i | z)                        t ~ P(t | z, a)   (tenure never exceeds age)
    every categorical field f ~ P(f | z, a, i, t)   (each table uses a subset of the axes)
    AGE, INCOME, CUSTOMER_TENURE: a whole number drawn inside its band, the same way
        for every persona (so observing the number tells exactly its band)
    product j held ~ Bernoulli(hold[row[z, a, i, t], j]), independently given s

and only users holding at least one product are kept (a bank customer holds
something). Every quantity is discrete given the bands, which is what makes the
posterior of `recommender.synthetic.oracle.Oracle` exact.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

AXES = ("persona", "age band", "income band", "tenure band")


@dataclass(frozen=True)
class NumericField:
    """A whole-number field drawn inside the band given by one state axis.

    ``bands[k] = (lo, hi)``: values in ``lo <= x < hi``. ``log_scale`` draws
    log-uniformly (incomes), otherwise uniformly.
    """

    name: str
    axis: int
    bands: tuple[tuple[int, int], ...]
    log_scale: bool = False
    description: str = ""

    def band_of(self, value: float) -> int:
        """Index of the band holding ``value``; ValueError outside every band."""
        for k, (lo, hi) in enumerate(self.bands):
            if lo <= value < hi:
                return k
        lo, hi = self.bands[0][0], self.bands[-1][1] - 1
        raise ValueError(f"{self.name} must be a number from {lo} to {hi}; got {value!r}")

    def labels(self) -> list[str]:
        return [f"{lo}-{hi - 1}" for lo, hi in self.bands]


@dataclass(frozen=True)
class CategoricalField:
    """A categorical field; ``table`` has shape (K, A|1, I|1, T|1, n_values) and sums to 1 on the last axis."""

    name: str
    values: tuple[str, ...]
    table: np.ndarray
    description: str = ""


@dataclass
class MixtureModel:
    """Parameters of the persona mixture (see the module docstring).

    Attributes
    ----------
    persona_names : tuple of str, length K
    weights : ndarray, shape (K,)
    p_age : ndarray, shape (K, A)
    p_income : ndarray, shape (K, I)
    p_tenure : ndarray, shape (K, A, T)
    numeric : tuple of NumericField (AGE, INCOME, CUSTOMER_TENURE)
    categorical : tuple of CategoricalField (SEX, SEGMENT, PROVINCE)
    item_ids, item_names, item_categories, item_descriptions : tuple of str, length J
    hold : ndarray, shape (R, J)
        P(product j held | state row r).
    row : ndarray of int, shape (K, A, I, T)
        The row of ``hold`` that applies to each state.
    """

    persona_names: tuple[str, ...]
    weights: np.ndarray
    p_age: np.ndarray
    p_income: np.ndarray
    p_tenure: np.ndarray
    numeric: tuple[NumericField, ...]
    categorical: tuple[CategoricalField, ...]
    item_ids: tuple[str, ...]
    item_names: tuple[str, ...]
    item_categories: tuple[str, ...]
    item_descriptions: tuple[str, ...]
    hold: np.ndarray
    row: np.ndarray

    @property
    def state_shape(self) -> tuple[int, int, int, int]:
        return self.p_tenure.shape[0], self.p_age.shape[1], self.p_income.shape[1], self.p_tenure.shape[2]

    def state_prior(self) -> np.ndarray:
        """P(z, a, i, t) before the at-least-one-product condition, shape (K, A, I, T)."""
        return (self.weights[:, None, None, None] * self.p_age[:, :, None, None]
                * self.p_income[:, None, :, None] * self.p_tenure[:, :, None, :])

    def sample_states(self, rng: np.random.Generator, n: int) -> np.ndarray:
        """Draw ``n`` hidden states; returns int array shape (n, 4) of (z, a, i, t)."""
        z = _draw(rng, np.broadcast_to(self.weights, (n, len(self.weights))))
        a = _draw(rng, self.p_age[z])
        i = _draw(rng, self.p_income[z])
        t = _draw(rng, self.p_tenure[z, a])
        return np.stack([z, a, i, t], axis=1)

    def sample_fields(self, rng: np.random.Generator, states: np.ndarray) -> dict[str, np.ndarray]:
        """Draw the visible user fields for each state (numeric as float64, categorical as str)."""
        out: dict[str, np.ndarray] = {}
        for spec in self.numeric:
            lo, hi = np.asarray(spec.bands, dtype=np.float64).T
            band = states[:, spec.axis]
            u = rng.random(len(states))
            if spec.log_scale:
                x = np.exp(np.log(lo[band]) + u * (np.log(hi[band]) - np.log(lo[band])))
            else:
                x = lo[band] + u * (hi[band] - lo[band])
            out[spec.name] = np.clip(np.floor(x), lo[band], hi[band] - 1)
        for spec in self.categorical:
            index = tuple(states[:, k] if spec.table.shape[k] > 1 else 0 for k in range(4))
            choice = _draw(rng, spec.table[index])
            out[spec.name] = np.asarray(spec.values, dtype=object)[choice]
        return out

    def hold_rows(self, states: np.ndarray) -> np.ndarray:
        """Row of ``hold`` for each state, shape (n,)."""
        return self.row[states[:, 0], states[:, 1], states[:, 2], states[:, 3]]


def _draw(rng: np.random.Generator, probs: np.ndarray) -> np.ndarray:
    """One categorical draw per row of ``probs`` (shape (n, m)), vectorised."""
    cumulative = np.cumsum(probs, axis=1)
    u = rng.random(len(probs)) * cumulative[:, -1]
    return np.minimum((u[:, None] >= cumulative).sum(axis=1), probs.shape[1] - 1)


def normalise(table: np.ndarray, axis: int = -1) -> np.ndarray:
    """Scale non-negative weights to sum to 1 along ``axis``."""
    table = np.asarray(table, dtype=np.float64)
    return table / table.sum(axis=axis, keepdims=True)


def softmax(logits: np.ndarray, axis: int = -1) -> np.ndarray:
    logits = np.asarray(logits, dtype=np.float64)
    e = np.exp(logits - logits.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)
