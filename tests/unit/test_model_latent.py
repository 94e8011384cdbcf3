"""The latent-class scorer: EM recovers planted classes, the chosen-subset posterior matches brute
force, and the served model blends exactly what the batch evaluation scores."""
from __future__ import annotations

import itertools

import numpy as np
import scipy.sparse as sp
import pytest

from recommender.evaluation import metrics as ev
from recommender.serving.artifact import ArtifactError
from recommender.data.matrices import user_item_matrix
from recommender.serving.latent import (batch_posterior_scores, batch_selected_scores, posterior_scores,
                                selected_scores)
from recommender.training.latent_fit import em
from recommender.serving.model import Model
from recommender.evaluation.scoring import batch_scores, user_matrix
from recommender.training import Hyperparameters, train
from tests.unit.test_model import ALPHA, tiny_dataset


def random_mixture(n_classes=3, n_items=7, n_base=4, seed=1) -> dict:
    rng = np.random.default_rng(seed)
    theta = rng.uniform(0.05, 0.9, (n_classes, n_items))
    prior = rng.dirichlet(np.ones(n_classes))
    meta = rng.dirichlet(np.ones(n_base), n_classes)
    return {"lc_log_prior": np.log(prior), "lc_log_item": np.log(theta), "lc_item": theta,
            "lc_log_meta": np.log(meta)}


def brute_force(arrays, chosen, feat):
    """P(j held | the chosen set is a uniformly random c-subset of a user holding > c items), by
    enumerating every holding that contains the chosen items."""
    theta, prior = arrays["lc_item"], np.exp(arrays["lc_log_prior"]) * np.exp(arrays["lc_log_meta"][:, feat])
    n, c = theta.shape[1], len(chosen)
    others = [j for j in range(n) if j not in chosen]
    num, den = np.zeros(n), 0.0
    for held in itertools.product([0, 1], repeat=len(others)):
        extra = [j for j, h in zip(others, held) if h]
        if not extra:
            continue
        s = set(chosen) | set(extra)
        p_s = np.prod(np.where(np.isin(np.arange(n), list(s)), theta, 1 - theta), axis=1)   # (Z,)
        w = float(np.sum(prior * p_s)) / len(list(itertools.combinations(range(len(s)), c)))
        den += w
        num[extra] += w
    return num / den


def test_selected_scores_match_enumeration_of_every_holding():
    arrays = random_mixture()
    for chosen in ([0], [2, 5], [1, 3, 4]):
        exact = brute_force(arrays, chosen, 2)
        got = selected_scores(arrays, chosen, [2])
        others = [j for j in range(7) if j not in chosen]
        np.testing.assert_allclose(got[others], exact[others], rtol=1e-4)


def test_plain_posterior_is_the_mixture_average_and_batch_matches_single():
    arrays = random_mixture()
    theta, prior = arrays["lc_item"], np.exp(arrays["lc_log_prior"])
    post = prior * theta[:, 0] * theta[:, 3] * np.exp(arrays["lc_log_meta"][:, 1])
    np.testing.assert_allclose(posterior_scores(arrays, [0, 3], [1]), (post / post.sum()) @ theta, rtol=1e-5)
    revealed = user_item_matrix(np.array([0, 0, 1]), np.array([0, 3, 5]), 2, 7)
    meta = sp.csr_matrix(np.array([[0, 1] + [0] * 8, [0] * 9 + [1]]))   # feature 9: a cross, ignored
    batch = batch_posterior_scores(arrays, revealed, meta)
    np.testing.assert_allclose(batch[1], posterior_scores(arrays, [5], []), rtol=1e-5)
    np.testing.assert_allclose(batch_selected_scores(arrays, revealed, meta)[0],
                               selected_scores(arrays, [0, 3], [1]), rtol=1e-5)


def test_em_recovers_two_planted_tastes():
    ds = tiny_dataset()
    a = user_item_matrix(ds.inter_user, ds.inter_item, ds.n_users, ds.n_items)
    sex = np.where(ds.user_fields["SEX"] == "F", 0, 1)[:, None]
    fit = em(a, sex, [2], n_classes=2, iters=30, seed=0)
    theta = fit["lc_item"]
    alpha_class = int(np.argmax(theta[:, 0]))
    assert theta[alpha_class, :7].min() > 0.3 and theta[alpha_class, 7:14].max() < 0.05
    assert theta[1 - alpha_class, 7:14].min() > 0.3 and theta[1 - alpha_class, :7].max() < 0.05
    assert np.exp(fit["lc_log_meta"][alpha_class, 0]) > 0.95          # the Alpha class is the women


@pytest.fixture(scope="module")
def blended():
    model = train(tiny_dataset(), Hyperparameters(latent_classes=(2,), latent_alphas=(1.0,)))
    assert model.blend, "with alpha fixed at 1 the latent scorer is always blended in"
    return model


@pytest.mark.parametrize("mode", ["items", "meta", "both"])
def test_served_scores_equal_the_batch_evaluation(blended, mode):
    ds = tiny_dataset(seed=3)
    a, meta = user_matrix(blended, ds)
    p = ev.make_protocol(a, meta, mode, seed=0)
    batch = batch_scores(blended, mode, p.revealed[:5], p.meta[:5] if p.meta is not None else None)
    for r in range(5):
        idx = p.revealed[r].indices.tolist()
        feats = p.meta[r].indices.tolist() if p.meta is not None else []
        np.testing.assert_allclose(blended._score(idx, feats), batch[r], rtol=1e-4, atol=1e-5)


def test_blend_without_its_arrays_is_an_artifact_error(blended):
    arrays = {k: v for k, v in blended.arrays.items() if not k.startswith("lc_")}
    with pytest.raises(ArtifactError, match="latent"):
        Model(arrays, blended.manifest)


def test_large_catalogue_plug_in_divides_each_class_by_its_expected_subset_count(monkeypatch):
    import recommender.serving.latent as latent

    arrays = random_mixture(n_items=9)
    monkeypatch.setattr(latent, "SELECTION_MAX_ITEMS", 5)       # 9 items now count as a large catalogue
    theta, prior = arrays["lc_item"], np.exp(arrays["lc_log_prior"])
    chosen = [1, 4]
    m = theta.sum(axis=1) - theta[:, chosen].sum(axis=1)
    post = prior * theta[:, chosen].prod(axis=1) / ((m + 1) * (m + 2) / 2)      # C(2 + m, 2)
    want = (post / post.sum()) @ theta
    got = latent.selected_scores(arrays, chosen, [])
    others = [j for j in range(9) if j not in chosen]
    np.testing.assert_allclose(got[others], want[others], rtol=1e-5)
    assert np.all(got[chosen] == 0)
    revealed = user_item_matrix(np.array([0, 0]), np.array(chosen), 1, 9)
    np.testing.assert_allclose(latent.batch_selected_scores(arrays, revealed, None)[0], got, rtol=1e-5)


def test_reasons_come_from_the_blended_contributions(blended):
    # Given a model serving the latent part alone (alpha 1), the chosen Alpha items still explain
    # the Alpha results, and a woman's sex explains a metadata-only recommendation
    assert blended.blend["items"] == 1.0
    out = {r["item_id"]: r["reason"] for r in blended.recommend(items=["a0", "a1"], k=4)}
    assert out.pop("c0") == "popular with all customers"          # everyone holds c0: no input explains it
    assert set(out) <= set(ALPHA) and len(out) == 3
    assert all(r in ("because you chose Product a0", "because you chose Product a1") for r in out.values())
    meta = {r["item_id"]: r["reason"] for r in blended.recommend(metadata={"SEX": "F"}, k=4)}
    assert meta.pop("c0") == "popular with all customers"
    assert set(meta) <= set(ALPHA) and set(meta.values()) == {"popular with customers whose sex is F"}


def test_contributions_are_the_leave_one_out_differences_of_the_posterior():
    import recommender.serving.latent as latent

    arrays = random_mixture(n_items=9)
    idx, feats, targets = [1, 4], [2, 7], [0, 5, 8]        # 7: a cross feature, contributes nothing
    by_item, by_feat = latent.contributions(arrays, idx, feats, targets)
    full = posterior_scores(arrays, idx, feats)
    np.testing.assert_allclose(by_item[1], (full - posterior_scores(arrays, [1], feats))[targets], rtol=1e-4)
    np.testing.assert_allclose(by_feat[0], (full - posterior_scores(arrays, idx, [7]))[targets], rtol=1e-4)
    assert np.all(by_feat[1] == 0)
