"""The quality benchmark's reveal draws: several random reveals per user, metrics averaged per user."""
import numpy as np
import scipy.sparse as sp

from bench.draws import draws_of, evaluate_draws
from recommender.evaluation import metrics as ev


def _matrix(users=40, items=30, seed=3):
    rng = np.random.default_rng(seed)
    return sp.csr_matrix((rng.random((users, items)) < 0.4).astype(float))


def test_item_protocols_get_independent_reveals_and_metadata_gets_one():
    a = _matrix()
    meta = np.zeros((a.shape[0], 1), dtype=np.int64)
    items = draws_of(a, meta, "items", seed=2, draws=4)
    assert len(items) == 4 and len(draws_of(a, meta, "both", 2, 4)) == 4 and len(draws_of(a, meta, "meta", 2, 4)) == 1
    assert all(np.array_equal(p.users, items[0].users) for p in items)
    assert len({p.revealed.toarray().tobytes() for p in items}) == 4          # every draw reveals differently
    first = ev.make_protocol(a, meta, "items", seed=2)                         # draw 0 is the single-draw protocol
    assert (items[0].revealed != first.revealed).nnz == 0


def test_metrics_are_the_per_user_mean_over_draws():
    a = _matrix()
    protocols = draws_of(a, None, "items", seed=0, draws=3)
    weights = np.random.default_rng(1).random(a.shape[1])
    score = lambda revealed, meta: np.tile(weights, (revealed.shape[0], 1))  # noqa: E731
    merged = evaluate_draws(score, protocols, "fixed")
    separate = [ev.evaluate(score, p) for p in protocols]
    single = [r.per_user["ndcg"] for r in separate]
    assert np.allclose(merged.per_user["ndcg"], np.mean(single, axis=0))
    assert np.isclose(merged.coverage, np.mean([r.coverage for r in separate]))
    assert not np.allclose(single[0], single[1])                              # the draws did differ
