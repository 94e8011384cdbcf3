"""Protocols and metrics@k on cases worked out by hand."""
import numpy as np
import pytest
import scipy.sparse as sp

from recommender.evaluation import metrics as ev


def matrix(rows, n):
    r = [u for u, items in enumerate(rows) for _ in items]
    c = [i for items in rows for i in items]
    return sp.csr_matrix((np.ones(len(r)), (r, c)), shape=(len(rows), n))


def test_perfect_and_empty_rankings():
    relevant = matrix([[0, 1], [2]], 5)
    perfect = ev.ranking_metrics(np.array([[0, 1, 3], [2, 0, 1]]), relevant, k=3)
    assert np.allclose(perfect["ndcg"], 1.0) and np.allclose(perfect["recall"], 1.0)
    assert np.allclose(perfect["precision"], [2 / 3, 1 / 3])
    miss = ev.ranking_metrics(np.array([[3, 4, 2], [0, 1, 3]]), relevant, k=3)
    assert np.allclose(miss["ndcg"], 0.0) and np.allclose(miss["hitrate"], 0.0)


def test_ndcg_discounts_by_rank():
    relevant = matrix([[1]], 3)
    second = ev.ranking_metrics(np.array([[0, 1, 2]]), relevant, k=3)
    assert second["ndcg"][0] == pytest.approx(1 / np.log2(3))
    assert second["recall"][0] == 1.0


def test_top_k_never_returns_revealed_items_and_breaks_ties_stably():
    scores = np.array([[5.0, 4.0, 3.0, 3.0]])
    top = ev.top_k(scores, matrix([[0]], 4), k=2)
    assert top.tolist() == [[1, 2]]


def test_protocol_reveals_part_of_each_user_and_keeps_the_rest_relevant():
    a = matrix([list(range(8)), [0, 1, 2], list(range(2, 9))], 10)
    meta = matrix([[0, 3], [1, 4], [2, 5]], 6)
    items = ev.make_protocol(a, meta, "items", reveal=5, seed=3)
    both = ev.make_protocol(a, meta, "both", reveal=5, seed=3)
    assert items.users.tolist() == [0, 2]                      # the 3-item user cannot reveal 5 and keep one
    assert (items.revealed != both.revealed).nnz == 0             # same seed, same reveal in every mode
    assert np.all(np.asarray(items.revealed.sum(axis=1)).ravel() == 5)
    overlap = items.revealed.multiply(items.relevant)
    assert overlap.nnz == 0
    assert ((items.revealed + items.relevant) != a[[0, 2]]).nnz == 0
    assert items.meta is None and both.meta.toarray().nonzero()[1].tolist() == [0, 3, 2, 5]
    meta_only = ev.make_protocol(a, meta, "meta", reveal=5, seed=3)
    assert meta_only.revealed.nnz == 0 and (meta_only.relevant != a[[0, 2]]).nnz == 0


def test_evaluate_computes_coverage_over_the_catalogue():
    a = matrix([list(range(8)), list(range(2, 9))], 10)
    protocol = ev.make_protocol(a, None, "none", reveal=5)
    result = ev.evaluate(lambda x, m: np.tile(np.arange(10.0), (x.shape[0], 1)), protocol, k=3)
    assert result.top.tolist() == [[9, 8, 7], [9, 8, 7]]
    assert result.coverage == pytest.approx(0.3)


def test_paired_bootstrap_interval_brackets_a_constant_difference():
    a = np.linspace(0, 1, 200)
    mean, lo, hi = ev.paired_bootstrap_ci(a + 0.1, a)
    assert mean == pytest.approx(0.1) and lo == pytest.approx(0.1) and hi == pytest.approx(0.1)
    noisy = np.random.default_rng(0).normal(0.05, 0.1, 400)
    mean, lo, hi = ev.paired_bootstrap_ci(noisy, np.zeros(400))
    assert lo < mean < hi and lo > 0


def test_unknown_mode_is_rejected():
    with pytest.raises(ValueError, match="mode must be one of"):
        ev.make_protocol(matrix([[0]], 2), None, "everything")
