"""The benchmark's pure-numpy peers and the fold-in, on tiny data whose answers are known by construction.
(implicit and LightFM are installed by bench/install_peers.sh, not in CI: their peers are not tested here.)"""
import numpy as np
import pytest
import scipy.sparse as sp

from bench.peers.autoencoders import EASE
from bench.peers.base import FieldSlice, meta_one_hot
from bench.peers.demographic import RidgeDemographics
from bench.peers.foldin import fold_in
from bench.peers.higher_order import HigherEASE, pair_matrix
from bench.peers.neighbourhood import RP3beta
from bench.peers.popularity import SegmentPopularity
from bench.quality_runs import field_slices
from recommender.serving.features import FieldEncoder


def _random_users(n_users=80, n_items=12, density=0.35, seed=0) -> sp.csr_matrix:
    rng = np.random.default_rng(seed)
    return sp.csr_matrix((rng.random((n_users, n_items)) < density).astype(float))


def _rows(*items_per_user, n_items):
    rows = [r for r, items in enumerate(items_per_user) for _ in items]
    cols = [i for items in items_per_user for i in items]
    return sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(items_per_user), n_items))


@pytest.mark.parametrize("loss", ["bpr", "warp"])
def test_fold_in_moves_each_user_toward_the_revealed_items(loss):
    """Item i's vector is the i-th unit vector: a user revealing items 0 and 1 must come to rank them
    above every other item; a user revealing nothing keeps the prior; the frozen coordinate stays."""
    d = 6
    v = np.eye(d)
    revealed = _rows([0, 1], [], [3], n_items=d)
    start = np.zeros(d)
    start[5] = 1.0
    u = fold_in(v, np.zeros(d), revealed, start, epochs=60, lr=0.2, reg=0.01, loss=loss, frozen=5)
    assert u.shape == (3, d)
    scores = u @ v.T
    assert set(np.argsort(-scores[0])[:2]) == {0, 1}
    assert np.array_equal(u[1], start)
    assert np.argmax(scores[2][:5]) == 3
    assert np.allclose(u[:, 5], 1.0)


def test_fold_in_regularisation_pulls_toward_the_prior():
    v = np.eye(4)
    revealed = _rows([0], n_items=4)
    prior = np.array([0.0, 2.0, 0.0, 0.0])
    loose = fold_in(v, np.zeros(4), revealed, prior, epochs=200, lr=0.1, reg=0.0)
    tight = fold_in(v, np.zeros(4), revealed, prior, epochs=200, lr=0.1, reg=5.0)
    assert np.linalg.norm(tight - prior) < np.linalg.norm(loose - prior)


def test_fold_in_rejects_an_unknown_loss():
    with pytest.raises(ValueError, match="loss must be"):
        fold_in(np.eye(3), np.zeros(3), _rows([0], n_items=3), np.zeros(3), 1, 0.1, 0.0, loss="hinge")


def test_rp3beta_is_the_two_step_walk_divided_by_popularity():
    a = _random_users(density=0.5)
    assert np.diff(a.indptr).min() > 0 and a.sum(axis=0).min() > 0
    peer = RP3beta(alpha=0.7, beta=0.3, neighbours=a.shape[1]).fit(a, None, 0)
    x = a.toarray()
    p_ui = (x / x.sum(axis=1, keepdims=True)) ** 0.7
    p_iu = (x.T / x.sum(axis=0)[:, None]) ** 0.7
    expected = p_iu @ p_ui / x.sum(axis=0)[None, :] ** 0.3
    np.fill_diagonal(expected, 0.0)
    assert np.allclose(peer.w_, expected)
    few = RP3beta(alpha=0.7, beta=0.3, neighbours=3).fit(a, None, 0)
    assert ((few.w_ > 0).sum(axis=1) <= 3).all()
    assert np.allclose(np.sort(few.w_, axis=1)[:, -3:], np.sort(expected, axis=1)[:, -3:])


def test_higher_ease_solves_its_constrained_ridge_exactly():
    """Each column equals a direct ridge solve over the inputs allowed to predict it."""
    a = _random_users(n_users=60, n_items=7, density=0.5, seed=2)
    peer = HigherEASE(lam=3.0, lam_pairs=7.0, pairs=5).fit(a, None, 0)
    f = np.hstack([a.toarray(), pair_matrix(a, peer.pairs_).toarray()])
    penalty = np.r_[np.full(7, 3.0), np.full(5, 7.0)]
    for k in range(7):
        allowed = [c for c in range(12) if c != k and not (c >= 7 and k in peer.pairs_[c - 7])]
        fa = f[:, allowed]
        w = np.linalg.solve(fa.T @ fa + np.diag(penalty[allowed]), fa.T @ f[:, k])
        full = np.zeros(12)
        full[allowed] = w
        assert np.allclose(np.r_[peer.b_[:, k], peer.c_[:, k]], full, atol=1e-8)


def test_higher_ease_without_pairs_is_ease():
    a = _random_users(seed=4)
    revealed = _rows([0, 3], [5], n_items=a.shape[1])
    higher = HigherEASE(lam=5.0, pairs=0).fit(a, None, 0)
    assert np.allclose(higher.score(revealed, None), EASE(lam=5.0).fit(a, None, 0).score(revealed, None))


def _indicators(index: np.ndarray, width: int) -> sp.csr_matrix:
    """Users x features indicators (what the harness passes) from a (users, k) array of feature indices."""
    rows, cols = np.nonzero(index >= 0)
    return sp.csr_matrix((np.ones(len(rows)), (rows, index[rows, cols])), shape=(index.shape[0], width))


def test_meta_one_hot_reads_fields_and_leaves_our_crosses_out():
    meta = _indicators(np.array([[0, 3, 7], [1, -1, 9], [-1, 4, -1]]), 10)  # 7 and 9 number crosses (n_meta = 5)
    x = meta_one_hot(meta, 5).toarray()
    assert x.shape == (3, 5)
    assert x.tolist() == [[1, 0, 0, 1, 0], [0, 1, 0, 0, 0], [0, 0, 0, 0, 1]]


def test_field_slices_follow_the_encoders():
    enc = [FieldEncoder("AGE", "numeric", 0, edges=(30.0, 50.0)),
           FieldEncoder("SEX", "categorical", 3, values=("F", "M"))]
    assert [(s.name, s.start, s.stop) for s in field_slices(enc)] == [("AGE", 0, 3), ("SEX", 3, 5)]


def _segmented():
    """Fields A (features 0-1) and B (2-3); item 0 is held exactly by users with A0 and B1."""
    rng = np.random.default_rng(1)
    n = 400
    fa, fb = rng.integers(0, 2, n), rng.integers(0, 2, n)
    held = [[0] if (x == 0 and y == 1) else [] for x, y in zip(fa, fb)]
    held = [h + [1 + int(rng.integers(0, 3))] for h in held]
    a = _rows(*held, n_items=4)
    meta = _indicators(np.stack([fa, 2 + fb], axis=1), 4)
    return a, meta, (FieldSlice("A", 0, 2), FieldSlice("B", 2, 4))


def test_segment_popularity_over_a_pair_of_fields():
    a, meta, (fa, fb) = _segmented()
    pair = SegmentPopularity(fields=(fa, fb), shrink=0.0).fit(a, meta, 4)
    query = _indicators(np.array([[0, 3], [0, 2], [1, 3], [-1, 3]]), 4)
    scores = pair.score(sp.csr_matrix((4, 4)), query)
    assert np.isclose(scores[0, 0], 1.0) and np.allclose(scores[1:3, 0], 0.0)
    assert np.allclose(scores[3], pair.pop_)                                   # a missing field: overall
    single = SegmentPopularity(fields=(fa,), shrink=0.0).fit(a, meta, 4)
    assert 0.2 < single.score(sp.csr_matrix((1, 4)), query[:1])[0, 0] < 0.8   # one field cannot isolate it


def test_segment_popularity_takes_one_or_two_fields():
    with pytest.raises(ValueError, match="one field or a pair"):
        SegmentPopularity(fields=())


def test_ridge_demographics_reads_every_field():
    """The item is decided by field B alone (the second field): ridge must rank it by B."""
    a, meta, _ = _segmented()
    b_only = _rows(*[[0] if m[0, 3] else [1] for m in meta], n_items=4)
    peer = RidgeDemographics(lam=1.0).fit(b_only, meta, 4)
    scores = peer.score(sp.csr_matrix((2, 4)), _indicators(np.array([[0, 3], [0, 2]]), 4))
    assert scores[0, 0] > scores[0, 1] and scores[1, 1] > scores[1, 0]
