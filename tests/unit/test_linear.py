"""The validation grid's factored solves score rows exactly as the full weight matrices would."""
from __future__ import annotations

from dataclasses import replace

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


def test_reduced_rank_metadata_weights_project_the_training_predictions(gram):
    """reduce_rank from the statistics alone equals projecting the training users' centred predictions
    onto their top principal directions: users' predictions then differ in at most ``rank`` directions,
    their mean is kept, and rank 0 leaves the solve as it was."""
    from recommender.training.linear import reduce_rank, solve_meta

    g, _ = gram
    rng = np.random.default_rng(2)
    m = (rng.random((400, 12)) < 0.3).astype(float)                 # users' metadata indicators
    stats = replace(g, mm=m.T @ m, m1=m.sum(axis=0), one=float(len(m)))
    w, b = rng.normal(size=(12, 24)), rng.normal(size=24)
    fitted = m @ w + b
    mean = fitted.mean(axis=0)
    directions = np.linalg.svd(fitted - mean, full_matrices=False)[2]
    for rank, (w_r, b_r) in zip((0, 2, 5), reduce_rank(stats, w, b, (0, 2, 5))):
        if rank == 0:
            assert w_r is w and b_r is b
            continue
        got = m @ w_r + b_r
        want = mean + (fitted - mean) @ directions[:rank].T @ directions[:rank]
        np.testing.assert_allclose(got, want, atol=1e-9)
        assert np.linalg.matrix_rank(got - got.mean(axis=0), tol=1e-8) == rank
    w_full, b_full = solve_meta(g, 0.1, 0.25)                        # a real solve keeps its shape
    (w_r, b_r), = reduce_rank(g, w_full, b_full, (3,))
    assert w_r.shape == w_full.shape and b_r.shape == b_full.shape
    assert np.linalg.matrix_rank(w_r, tol=1e-8) <= 3


@pytest.mark.parametrize("shape", [(40, 60), (60, 40), (300, 500)])   # exact both ways, then randomised
def test_top_directions_of_many_features_match_the_exact_svd(shape):
    from recommender.training.linear import _top_right_vectors

    rng = np.random.default_rng(5)
    u = np.linalg.qr(rng.normal(size=(shape[0], shape[0])))[0][:, :min(shape)]
    v = np.linalg.qr(rng.normal(size=(shape[1], shape[1])))[0][:, :min(shape)]
    spectrum = np.concatenate([[100.0, 60.0, 30.0, 10.0], np.linspace(0.5, 0.01, min(shape) - 4)])
    z = (u * spectrum) @ v.T
    got = _top_right_vectors(z, 4)
    want = v[:, :4].T
    assert got.shape == (4, shape[1])
    np.testing.assert_allclose(got.T @ got, want.T @ want, atol=1e-6)            # the same subspace
    np.testing.assert_allclose(_top_right_vectors(z, 4), got)                    # deterministic
