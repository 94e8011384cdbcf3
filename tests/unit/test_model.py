"""The engine on tiny data whose right answers are known by construction."""
from __future__ import annotations

import numpy as np
import pytest

from recommender import Dataset, FieldSpec
from recommender.training import Hyperparameters, train

ALPHA = [f"a{i}" for i in range(7)]
BETA = [f"b{i}" for i in range(7)]


def tiny_dataset(n_users: int = 240, seed: int = 0) -> Dataset:
    """Two tastes: young women hold Alpha items, older men Beta items; everyone holds c0.

    Within a taste, item i is held with probability 1 - 0.1 i (a0 always), so popularity is
    known; no user holds items of both tastes, so the taste alone decides the ranking.
    """
    rng = np.random.default_rng(seed)
    items = ALPHA + BETA + ["c0"]
    users, inter_u, inter_i = [], [], []
    sex, age = [], []
    for u in range(n_users):
        alpha = u % 2 == 0
        sex.append("F" if alpha else "M")
        age.append(float(rng.integers(20, 30) if alpha else rng.integers(50, 60)))
        offset = 0 if alpha else 7
        held = [offset + i for i in range(7) if rng.random() < 1 - 0.1 * i] + [14]
        inter_u += [u] * len(held)
        inter_i += held
        users.append(f"u{u}")
    n = len(inter_u)
    return Dataset(
        user_ids=np.array(users), user_fields={"AGE": np.array(age), "SEX": np.array(sex, dtype=object)},
        user_schema={"AGE": FieldSpec("AGE", "numeric", minimum=18, maximum=99, integer=True, description="years"),
                     "SEX": FieldSpec("SEX", "categorical", values=("F", "M"))},
        item_ids=np.array(items),
        item_fields={"NAME": np.array([f"Product {i}" for i in items], dtype=object),
                     "CATEGORY": np.array(["Alpha"] * 7 + ["Beta"] * 7 + ["Gamma"], dtype=object),
                     "DESCRIPTION": np.array([f"About {i}" for i in items], dtype=object)},
        inter_user=np.array(inter_u, dtype=np.int32), inter_item=np.array(inter_i, dtype=np.int32),
        inter_timestamp=np.arange(n, dtype=np.int64), inter_event_type=np.array(["hold"] * n))


@pytest.fixture(scope="module")
def model():
    return train(tiny_dataset())


def ids(results):
    return [r["item_id"] for r in results]


def test_items_mode_recommends_the_chosen_taste_and_never_the_chosen_items(model):
    out = model.recommend(items=["a0", "a1"], k=5)
    assert set(ids(out)) <= set(ALPHA[2:] + ["c0"])
    assert len(out) == 5
    assert all(r["reason"] in ("because you chose Product a0", "because you chose Product a1") or
               r["item_id"] == "c0" for r in out)


def test_items_mode_ranks_the_taste_by_popularity(model):
    out = [i for i in ids(model.recommend(items=["b0"], k=8)) if i.startswith("b")]
    assert out == BETA[1:]


def test_metadata_mode_follows_the_field_that_decides_taste(model):
    women = model.recommend(metadata={"SEX": "F"}, k=7)
    older = model.recommend(metadata={"AGE": 55}, k=7)
    assert set(ids(women)) - {"c0"} <= set(ALPHA)
    assert set(ids(older)) - {"c0"} <= set(BETA)
    assert any("sex is F" in r["reason"] for r in women)
    assert any("age is" in r["reason"] for r in older)


def test_both_mode_uses_items_and_metadata(model):
    out = model.recommend(items=["a0", "a1"], metadata={"SEX": "F", "AGE": 25}, k=5)
    assert set(ids(out)) <= set(ALPHA[2:] + ["c0"])
    assert "a0" not in ids(out) and "a1" not in ids(out)


def test_neither_mode_is_popularity(model):
    out = model.recommend(k=3)
    assert ids(out)[0] == "c0"
    assert set(ids(out)[1:]) == {"a0", "b0"}
    assert out[0]["reason"] == "popular with all customers"


def test_results_are_sorted_by_score(model):
    scores = [r["score"] for r in model.recommend(items=["a3"], metadata={"SEX": "F"}, k=15)]
    assert scores == sorted(scores, reverse=True)


def test_exclude_and_category_filter(model):
    out = model.recommend(items=["a0"], exclude=["a1", "c0"], k=14)
    assert "a1" not in ids(out) and "c0" not in ids(out) and "a0" not in ids(out)
    beta = model.recommend(items=["a0"], category="Beta", k=20)
    assert ids(beta) and set(ids(beta)) <= set(BETA)


def test_k_larger_than_the_candidates_returns_what_qualifies(model):
    assert len(model.recommend(items=["c0"], category="Gamma", k=5)) == 0
    assert len(model.recommend(items=ALPHA, k=50)) == 15 - 7


def test_same_input_same_output_and_training_is_deterministic(model):
    again = train(tiny_dataset())
    for key, arr in model.arrays.items():
        assert np.array_equal(arr, again.arrays[key]), key
    request = dict(items=["a2", "b3"], metadata={"AGE": 40}, k=10)
    assert model.recommend(**request) == again.recommend(**request) == model.recommend(**request)


def test_catalogue_and_metadata_schema(model):
    cat = model.catalogue()
    assert len(cat) == 15
    assert cat[0] == {"item_id": "a0", "name": "Product a0", "category": "Alpha", "description": "About a0"}
    schema = {f["name"]: f for f in model.metadata_schema()}
    assert schema["AGE"]["type"] == "integer" and schema["AGE"]["minimum"] == 18 and schema["AGE"]["maximum"] == 99
    assert schema["SEX"] == {"name": "SEX", "type": "categorical", "values": ["F", "M"], "label": "Sex",
                             "multi": False, "other_values": "ignored",
                             "description": ""}
    assert model.categories() == ["Alpha", "Beta", "Gamma"]


def test_large_catalogue_layout_gives_the_same_known_answers():
    sparse = train(tiny_dataset(), Hyperparameters(dense_max_items=5))
    assert sparse.layout == "sparse"
    assert set(ids(sparse.recommend(items=["b0", "b1"], k=5))) <= set(BETA[2:] + ["c0"])
    assert set(ids(sparse.recommend(metadata={"SEX": "M"}, k=7))) - {"c0"} <= set(BETA)
    assert "because you chose Product b" in sparse.recommend(items=["b0", "b1"], k=1)[0]["reason"]


def test_exclusions_overlapping_the_chosen_items_and_the_category_count_once(model):
    out = model.recommend(items=["b0"], exclude=["b0", "b1", "b1"], category="Beta", k=20)
    assert ids(out) == [i for i in ids(out) if i in BETA[2:]] and len(out) == 5


def test_top_neighbour_cut_is_independent_of_summation_order():
    """Equal scores are cut by the smaller item index, and scores that differ only in their last bits
    (the same terms summed in another order, as a Spark partition does) keep the same partners."""
    import scipy.sparse as sp

    from recommender.training.sparse_items import top_neighbours

    assert (0.1 + 0.2) + 0.3 != (0.3 + 0.2) + 0.1                 # summation order shows in the last bit
    best, second = 0.9, (0.1 + 0.2) + 0.3
    scores = np.array([0.0, 0.2, second, best, second, 0.1, second, best, second, 0.4])
    nudged = scores.copy()
    nudged[[4, 8]] = np.nextafter(second, 1)                        # the later ties now a hair larger
    nudged[[2, 6]] = (0.3 + 0.2) + 0.1                              # the earlier ones a hair smaller
    for row, expected in ((scores, [2, 3, 4, 7]), (nudged, [2, 3, 4, 7]), (nudged[::-1].copy(), [1, 2, 3, 6])):
        kept = top_neighbours(sp.csr_matrix(row[None, :]), 4).indices    # the best two, then the
        assert list(kept) == expected                                      # smallest tied indices
