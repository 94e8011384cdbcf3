"""The oracle is the exact posterior: probabilities that match what the generator draws.

Tolerance: under the model, the share of sampled users meeting a condition C who
hold product j has mean exactly oracle(C)[j] and binomial standard error
sqrt(p (1 - p) / n_C). Each comparison allows 5 standard errors + 0.002.
"""
import numpy as np
import pytest

from recommender.data import describe
from recommender.synthetic.generator import bank_oracle, generate_bank

N_USERS = 300_000


@pytest.fixture(scope="module")
def sample():
    bank = generate_bank(n_train=N_USERS, n_test=0, seed=11)
    return bank, describe.holding_matrix(bank.train)


def band(bank, field, value):
    spec = next(f for f in bank.model.numeric if f.name == field)
    lo, hi = spec.bands[spec.band_of(value)]
    values = bank.train.user_fields[field]
    return (values >= lo) & (values < hi)


def assert_matches(oracle_scores, held, mask):
    n = int(mask.sum())
    assert n >= 2000, f"condition too rare to test ({n} users)"
    empirical = held[mask].mean(axis=0)
    p = oracle_scores
    tolerance = 5 * np.sqrt(p * (1 - p) / n) + 0.002
    worst = np.argmax(np.abs(empirical - p) - tolerance)
    assert np.all(np.abs(empirical - p) <= tolerance), (worst, empirical[worst], p[worst], n)


def item_mask(bank, held, items):
    columns = [bank.oracle.item_ids.index(i) for i in items]
    return held[:, columns].all(axis=1)


def test_nothing_observed_gives_the_population_shares(sample):
    bank, held = sample
    assert_matches(bank.oracle.scores(), held, np.ones(len(held), dtype=bool))


@pytest.mark.parametrize("metadata", [{"AGE": 70}, {"INCOME": 80_000, "SEX": "F"},
                                      {"SEGMENT": "UNIVERSITY"}, {"PROVINCE": "ASTURIAS", "CUSTOMER_TENURE": 30}])
def test_demographics_only(sample, metadata):
    bank, held = sample
    mask = np.ones(len(held), dtype=bool)
    for field, value in metadata.items():
        if field in ("AGE", "INCOME", "CUSTOMER_TENURE"):
            mask &= band(bank, field, value)
        else:
            mask &= bank.train.user_fields[field] == value
    assert_matches(bank.oracle.scores(None, metadata), held, mask)


@pytest.mark.parametrize("items", [["current_account", "direct_debit"], ["mortgage"], ["funds", "credit_card"]])
def test_products_only(sample, items):
    bank, held = sample
    scores = bank.oracle.scores(items)
    assert_matches(scores, held, item_mask(bank, held, items))
    assert all(scores[bank.oracle.item_ids.index(i)] == 1.0 for i in items)


def test_products_and_demographics(sample):
    bank, held = sample
    items, metadata = ["direct_debit", "credit_card"], {"AGE": 40, "SEGMENT": "INDIVIDUAL"}
    mask = item_mask(bank, held, items) & band(bank, "AGE", 40) & (bank.train.user_fields["SEGMENT"] == "INDIVIDUAL")
    assert_matches(bank.oracle.scores(items, metadata), held, mask)


def test_observations_change_the_answer():
    oracle = bank_oracle()
    j = oracle.item_ids.index("mortgage")
    assert oracle.scores(["home_account"])[j] > 2 * oracle.scores()[j]
    assert oracle.scores(metadata={"AGE": 40})[j] > 5 * oracle.scores(metadata={"AGE": 80})[j]


def test_within_a_band_the_exact_number_tells_nothing_more():
    oracle = bank_oracle()
    np.testing.assert_allclose(oracle.scores(["payroll"], {"AGE": 66}), oracle.scores(["payroll"], {"AGE": 74}))
    assert not np.allclose(oracle.scores(["payroll"], {"AGE": 64}), oracle.scores(["payroll"], {"AGE": 66}))


def test_chain_rule_holds_both_ways():
    # P(a) P(b | a) = P(b) P(a | b) = P(a and b), with or without details
    oracle = bank_oracle()
    for metadata in (None, {"AGE": 50, "SEX": "M"}):
        base = oracle.scores(None, metadata)
        for a, b in (("mortgage", "funds"), ("payroll", "pension_plan"), ("credit_card", "taxes")):
            ja, jb = oracle.item_ids.index(a), oracle.item_ids.index(b)
            ab = base[ja] * oracle.scores([a], metadata)[jb]
            ba = base[jb] * oracle.scores([b], metadata)[ja]
            assert ab == pytest.approx(ba, rel=1e-9)


def test_scores_are_probabilities_for_test_users():
    bank = generate_bank(n_train=10, n_test=200, seed=5)
    rng = np.random.default_rng(0)
    test = bank.test
    for user in range(test.n_users):
        items = test.item_ids[test.inter_item[test.inter_user == user]].tolist()[:5]
        fields = [f for f in test.user_fields if rng.random() < 0.5]
        metadata = {f: test.user_fields[f][user] for f in fields}
        scores = bank.oracle.scores(items, metadata)
        assert scores.shape == (24,) and np.all((scores >= 0) & (scores <= 1))
        assert np.all(scores[[bank.oracle.item_ids.index(i) for i in items]] == 1.0)
    personas = bank.oracle.posterior_personas(items, metadata)
    assert personas.sum() == pytest.approx(1.0)


@pytest.mark.parametrize("items, metadata, message", [
    (["gold_bars"], None, "unknown product 'gold_bars'"),
    (None, {"SHOE_SIZE": 42}, "unknown field 'SHOE_SIZE'"),
    (None, {"SEGMENT": "VIP"}, "SEGMENT must be one of INDIVIDUAL, PREMIUM, UNIVERSITY"),
    (None, {"AGE": 120}, "AGE must be a number from 6 to 90"),
    (None, {"AGE": "old"}, "AGE must be a number"),
    (["junior_account"], {"AGE": 40}, "cannot occur together"),
])
def test_bad_queries_are_rejected_with_a_reason(items, metadata, message):
    with pytest.raises(ValueError, match=message):
        bank_oracle().scores(items, metadata)


def test_retail_oracle_scores_every_item():
    oracle = bank_oracle(seed=1, n_items=5000)
    scores = oracle.scores([oracle.item_ids[0]], {"AGE": 30})
    assert scores.shape == (5000,) and np.all((scores >= 0) & (scores <= 1)) and scores[0] == 1.0


def reveal_random(held, k, min_held, seed=0):
    """Each user with >= min_held products reveals k of them uniformly at random."""
    rng = np.random.default_rng(seed)
    keys = np.where(held, rng.random(held.shape), 2.0)
    order = np.argsort(keys, axis=1)[:, :k]
    revealed = np.zeros_like(held)
    np.put_along_axis(revealed, order, True, axis=1)
    eligible = held.sum(axis=1) >= min_held
    return revealed & eligible[:, None], eligible


def test_random_reveal_protocol_is_exact_and_differs_from_holding(sample):
    # Given users with >= 3 products who reveal 2 of them at random
    bank, held = sample
    revealed, eligible = reveal_random(held, k=2, min_held=3)
    items = ["current_account", "direct_debit"]
    columns = [bank.oracle.item_ids.index(i) for i in items]
    target = np.zeros(held.shape[1], dtype=bool)
    target[columns] = True
    mask = eligible & (revealed == target).all(axis=1)

    # When the oracle is told the protocol, it matches; the plain "holds these" posterior does not
    protocol = bank.oracle.scores(items, min_held=3)
    assert_matches(protocol, held, mask)
    with pytest.raises(AssertionError):
        assert_matches(bank.oracle.scores(items), held, mask)


def test_protocol_without_items_is_the_plain_posterior():
    oracle = bank_oracle()
    np.testing.assert_allclose(oracle.scores(None, {"AGE": 30}, min_held=1), oracle.scores(None, {"AGE": 30}),
                               atol=1e-12)
