"""The validation grid's factored solves score rows exactly as the full weight matrices would."""
from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp

from recommender.data.matrices import pool
from recommender.synthetic.generator import generate_bank
from recommender.training import Hyperparameters
from recommender.training.fit import feature_space, statistics
from recommender.training.gram import from_moments
from recommender.training.inputs import TrainingData
from recommender.training.linear import ItemSolver


@pytest.fixture(scope="module")
def gram():
    hp = Hyperparameters(latent_classes=(), validation_draws=1, max_validation_users=150)
    data = TrainingData.from_dataset(generate_bank(n_train=2000, n_test=0, seed=3).train)
    space = feature_space(data, hp)[0]
    stats = statistics(data, space, hp)
    g = from_moments(stats.moments, stats.spec.weightings[0], stats.n_users, stats.feature_users, space.groups())
    item_features = sp.csr_matrix(np.eye(g.xx.shape[0])[:, :3])      # three made-up item categories
    return g, item_features


@pytest.mark.parametrize("rows", [4, 30])                        # fewer, then more rows than half the items
@pytest.mark.parametrize("lam_f", [None, 0.5])
def test_factored_scores_equal_the_full_weights(gram, rows, lam_f):
    g, item_features = gram
    n = g.xx.shape[0]
    rng = np.random.default_rng(rows)
    x = pool(sp.csr_matrix((rng.random((rows, n)) < 0.2).astype(float)))
    solver = ItemSolver(g, 0.1 * float(np.mean(np.diag(g.xx))), item_features)
    for fit, (w, *_, b) in ((solver.items_fit(lam_f), solver.items(lam_f)),
                            (solver.both_fit(0.1, 0.25, None, lam_f), solver.both(0.1, 0.25, None, lam_f))):
        np.testing.assert_allclose(fit.item_scores(x), x @ w, rtol=1e-9, atol=1e-12)
        np.testing.assert_allclose(fit.item_scores(x), x @ w, rtol=1e-9, atol=1e-12)   # again, from the cache
        np.testing.assert_allclose(fit.bias, b)


def test_single_precision_grid_ranks_like_double(gram):
    g, _ = gram
    n = g.xx.shape[0]
    x = pool(sp.csr_matrix((np.random.default_rng(0).random((8, n)) < 0.2).astype(float)))
    lam = 0.1 * float(np.mean(np.diag(g.xx)))
    double = ItemSolver(g, lam).items_fit().item_scores(x)
    single = ItemSolver(g, lam, dtype=np.float32).items_fit().item_scores(x)
    np.testing.assert_allclose(single, double, rtol=1e-3, atol=1e-5)
    assert (np.argsort(-single, axis=1)[:, :5] == np.argsort(-double, axis=1)[:, :5]).mean() > 0.95


def test_single_precision_falls_back_to_double_when_it_cannot_factor():
    """A ridge too weak for float32 (a user's grid may hold one) is factored in float64 instead."""
    from recommender.training.gram import GramStats

    rng = np.random.default_rng(1)
    basis = rng.random((40, 3))
    xx = basis @ basis.T                                          # rank 3: singular without the ridge
    g = GramStats(xx=xx, xy=xx.copy(), x1=np.ones(40), y1=np.ones(40), mm=np.zeros((0, 0)), mx=np.zeros((0, 40)),
                  my=np.zeros((0, 40)), m1=np.zeros(0), one=10.0, my_all=np.zeros((0, 40)), y1_all=np.ones(40),
                  meta_freq=np.zeros(0))
    solver = ItemSolver(g, 1e-9, dtype=np.float32)
    assert solver.p.dtype == np.float64
    w, _ = solver.items()
    np.testing.assert_allclose(w, ItemSolver(g, 1e-9).items()[0])
