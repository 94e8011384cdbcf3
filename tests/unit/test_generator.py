"""The default dataset generator: deterministic, disjoint, realistic, fast."""
import time

import numpy as np
import pytest

from recommender.data import describe
from recommender.synthetic.generator import REFERENCE_TIME, SECONDS_PER_MONTH, generate_bank
from recommender.synthetic.holdings import DENSE_MAX_ITEMS, sample_holdings


@pytest.fixture(scope="module")
def default():
    started = time.perf_counter()
    bank = generate_bank()
    return bank, time.perf_counter() - started


def rates(dataset, item, mask):
    held = describe.holding_matrix(dataset)[:, list(dataset.item_ids).index(item)]
    return held[mask].mean()


def test_default_size_is_drawn_within_30_seconds(default):
    bank, seconds = default
    assert (bank.train.n_users, bank.test.n_users, bank.train.n_items) == (50_000, 10_000, 24)
    assert seconds < 30


def test_same_seed_same_data_other_seed_other_data():
    a, b, c = (generate_bank(500, 100, seed=s) for s in (1, 1, 2))
    for part in ("train", "test"):
        x, y = getattr(a, part), getattr(b, part)
        np.testing.assert_array_equal(x.inter_user, y.inter_user)
        np.testing.assert_array_equal(x.inter_item, y.inter_item)
        np.testing.assert_array_equal(x.inter_timestamp, y.inter_timestamp)
        for name in x.user_fields:
            np.testing.assert_array_equal(x.user_fields[name], y.user_fields[name])
    assert not np.array_equal(a.train.user_fields["AGE"], c.train.user_fields["AGE"])


def test_train_and_test_users_are_disjoint(default):
    bank, _ = default
    assert not set(bank.train.user_ids.tolist()) & set(bank.test.user_ids.tolist())
    assert len(set(bank.train.user_ids.tolist())) == bank.train.n_users


def test_one_to_about_ten_products_each_with_enough_six_or_more(default):
    bank, _ = default
    for part in (bank.train, bank.test):
        per_user = describe.products_per_user(part)
        assert len(part.inter_user) == per_user.sum()  # no repeated (user, product) pairs
        assert per_user.min() == 1 and per_user.max() <= 14
        assert 0.08 < (per_user >= 6).mean() < 0.25


def test_popularity_has_a_long_tail(default):
    _, shares = describe.popularity(default[0].train)
    assert shares[0] > 0.5 and shares[-1] < 0.01 and (shares < 0.05).sum() >= 8


def test_junior_accounts_only_for_minors_and_no_loans_for_them(default):
    train = default[0].train
    minor = train.user_fields["AGE"] < 18
    assert rates(train, "junior_account", ~minor) == 0 and rates(train, "junior_account", minor) > 0.5
    for item in ("mortgage", "credit_card", "loans", "pension_plan", "payroll"):
        assert rates(train, item, minor) == 0


def test_pensions_rise_with_age_and_mortgages_with_income_and_middle_age(default):
    train = default[0].train
    age, income = train.user_fields["AGE"], train.user_fields["INCOME"]
    pension = [rates(train, "pension_plan", (age >= lo) & (age < hi)) for lo, hi in
               ((18, 25), (25, 35), (35, 45), (45, 55), (55, 65))]
    assert np.all(np.diff(pension) > 0)
    assert rates(train, "pension_payments", age >= 65) > 5 * rates(train, "pension_payments", age < 55)
    mortgage = {band: rates(train, "mortgage", (age >= lo) & (age < hi))
                for band, (lo, hi) in {"young": (18, 25), "middle": (35, 45), "old": (75, 91)}.items()}
    assert mortgage["middle"] > 2 * mortgage["young"] and mortgage["middle"] > 4 * mortgage["old"]
    assert rates(train, "mortgage", income >= 60_000) > 2 * rates(train, "mortgage", income < 15_000)


def test_fields_are_consistent(default):
    train = default[0].train
    age, tenure = train.user_fields["AGE"], train.user_fields["CUSTOMER_TENURE"]
    assert age.min() >= 6 and age.max() <= 90 and np.all(age % 1 == 0)
    assert np.all(tenure < age * 12)
    start = REFERENCE_TIME - (tenure[train.inter_user] + 1) * SECONDS_PER_MONTH
    assert np.all(train.inter_timestamp >= start) and np.all(train.inter_timestamp < REFERENCE_TIME)
    assert set(train.user_fields["SEGMENT"]) == {"INDIVIDUAL", "PREMIUM", "UNIVERSITY"}


def test_sparse_sampler_draws_independent_holdings_at_the_right_rates():
    rng = np.random.default_rng(0)
    n_items = DENSE_MAX_ITEMS + 44
    hold = np.full((2, n_items), 0.002)
    hold[0, :10] = 0.5  # popular items take the exact-subset path
    hold[1, 10:20] = 0.05
    rows = np.repeat([0, 1], 20_000)

    users, items = sample_holdings(rng, hold, rows)

    assert len(np.unique(users * n_items + items)) == len(users)
    counts = np.zeros((2, n_items))
    np.add.at(counts, (rows[users], items), 1)
    rate = counts / 20_000
    tolerance = 5 * np.sqrt(hold * (1 - hold) / 20_000)
    assert np.all(np.abs(rate - hold) <= tolerance)


def test_retail_catalogue_for_benchmarks():
    bank = generate_bank(n_train=2000, n_test=0, seed=1, n_items=5000)
    assert bank.train.n_items == 5000 and bank.test.n_users == 0
    per_user = describe.products_per_user(bank.train)
    assert per_user.min() >= 1 and 4 < per_user.mean() < 14
    assert len(set(bank.train.item_fields["CATEGORY"])) == 40


def test_bad_sizes_are_rejected():
    with pytest.raises(ValueError, match="n_train >= 1"):
        generate_bank(n_train=0)
