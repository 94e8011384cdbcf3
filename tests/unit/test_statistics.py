"""The statistics contract: partitions merge to the whole, a saved copy solves to the same model,
and the tables can come from S3."""
from __future__ import annotations

import os
import socket
from dataclasses import replace

import numpy as np
import pytest
import scipy.sparse as sp

from recommender.data.dataset import load_dataset
from recommender.synthetic.generator import generate_bank
from recommender.training import Hyperparameters
from recommender.training.fit import feature_space, solve, spec_for, statistics
from recommender.training.inputs import TrainingData
from recommender.training.statistics import Statistics, compute, user_ranks

HP = Hyperparameters(latent_classes=(4,), latent_iters=5, latent_refit_iters=2, validation_draws=1,
                     latent_max_users=700, max_validation_users=150)


@pytest.fixture(scope="module")
def data():
    return TrainingData.from_dataset(generate_bank(n_train=2500, n_test=0, seed=5).train)


@pytest.fixture(scope="module")
def space(data):
    return feature_space(data, HP)[0]


def assert_same(a: Statistics, b: Statistics):
    assert (a.n_users, a.n_eligible) == (b.n_users, b.n_eligible)
    assert a.moments.keys() == b.moments.keys()
    for key in a.moments:
        x, y = a.moments[key], b.moments[key]
        x, y = (x.toarray(), y.toarray()) if sp.issparse(x) else (x, y)
        np.testing.assert_allclose(x, y, rtol=1e-10, atol=1e-9, err_msg=key)
    np.testing.assert_array_equal(a.item_users, b.item_users)
    np.testing.assert_array_equal(a.feature_users, b.feature_users)
    np.testing.assert_array_equal(a.sample.ranks, b.sample.ranks)
    assert (a.sample.items != b.sample.items).nnz == 0 and (a.sample.features != b.sample.features).nnz == 0


def test_statistics_merged_from_partitions_equal_the_whole(data, space):
    features = space.encode(data.user_fields, data.n_users)
    spec = spec_for(data.n_items, space.n_features, HP)
    ranks = user_ranks(data.user_ids)
    whole = compute(data.a, features, ranks, spec)
    shuffled = np.random.default_rng(0).permutation(data.n_users)       # partitions need not be in order
    parts = [compute(data.a[rows], features[rows], ranks[rows], spec) for rows in np.array_split(shuffled, 7)]
    merged = parts[0]
    for part in parts[1:]:
        merged = merged.merge(part)
    assert_same(whole, merged)
    assert_same(whole, statistics(data, space, replace(HP, partition_users=400)))     # how training runs
    assert len(whole.sample.ranks) == spec.sample_users + np.count_nonzero(
        np.diff(whole.sample.items.indptr)[spec.sample_users:] >= spec.reveal + 1)


def test_the_sample_is_chosen_by_the_users_ids_alone():
    import hashlib

    ranks = user_ranks(["u1", "u2", "caf\u00e9"])

    assert ranks.tolist() == [int(hashlib.sha256(u.encode()).hexdigest()[:15], 16) for u in ("u1", "u2", "caf\u00e9")]


def test_saved_statistics_solve_to_the_same_model(data, space, tmp_path):
    stats = statistics(data, space, HP)
    stats.save(tmp_path)
    loaded = Statistics.load(tmp_path)
    assert_same(stats, loaded)
    first, second = solve(stats, space, data, HP), solve(loaded, space, data, HP)
    for name, array in first.arrays.items():
        np.testing.assert_allclose(second.arrays[name], array, rtol=1e-6, atol=1e-7, err_msg=name)
    request = {"items": ["mortgage", "credit_card"], "metadata": {"AGE": 40}}
    assert [r["item_id"] for r in first.recommend(**request)] == [r["item_id"] for r in second.recommend(**request)]


def test_statistics_with_another_spec_do_not_merge(data, space):
    features = space.encode(data.user_fields, data.n_users)
    ranks = user_ranks(data.user_ids)
    a = compute(data.a[:100], features[:100], ranks[:100], spec_for(data.n_items, space.n_features, HP))
    other = Hyperparameters(powers=(0.0,))
    b = compute(data.a[100:200], features[100:200], ranks[100:200], spec_for(data.n_items, space.n_features, other))
    with pytest.raises(ValueError, match="different specs"):
        a.merge(b)


def test_tables_are_read_from_s3(tmp_path, monkeypatch):
    import boto3
    from moto.server import ThreadedMotoServer

    from recommender import write_dataset

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        monkeypatch.setenv("AWS_ENDPOINT_URL", f"http://127.0.0.1:{port}")
        bank = generate_bank(n_train=300, n_test=0, seed=2).train
        write_dataset(bank, tmp_path, compress=True)
        s3 = boto3.client("s3", endpoint_url=os.environ["AWS_ENDPOINT_URL"])
        s3.create_bucket(Bucket="tables")
        for path in tmp_path.iterdir():
            s3.upload_file(str(path), "tables", f"bank/{path.name}")
        from_s3 = load_dataset("s3://tables/bank")
        assert from_s3.n_users == 300 and len(from_s3.inter_user) == len(bank.inter_user)
        np.testing.assert_array_equal(from_s3.user_fields["AGE"], bank.user_fields["AGE"])
    finally:
        server.stop()


def test_moments_are_the_sums_the_contract_names():
    """Brute force, user by user, for light users (summed per item count) and heavy ones (weighted
    one by one): sum of w(s) * coefficient(s) * outer products of a_u and m_u."""
    from recommender.training.statistics import GROUP_MAX, StatsSpec, Weighting, moments

    rng = np.random.default_rng(0)
    n, m, users = 80, 6, 70
    sizes = np.concatenate([rng.integers(1, GROUP_MAX, users - 10), rng.integers(GROUP_MAX, n, 10)])
    a = sp.csr_matrix(np.array([np.isin(np.arange(n), rng.choice(n, k, replace=False)) for k in sizes], dtype=float))
    f = sp.csr_matrix((rng.random((users, m)) < 0.4).astype(float))
    spec = StatsSpec(n_items=n, n_features=m, weightings=(Weighting(-1.0, 5), Weighting(0.5, 5)))
    got = moments(a, f, spec)
    for wt in spec.weightings:
        c = wt.coefficients(sizes)
        A, F = a.toarray(), f.toarray()
        expect = {"aa/pair": A.T @ (c["pair"][:, None] * A), "aa/xy": A.T @ (c["xy"][:, None] * A),
                  "a/sq": c["sq"] @ A, "a/y": c["y"] @ A, "ma/x": F.T @ (c["x"][:, None] * A),
                  "ma/one": F.T @ (c["one"][:, None] * A), "mm/one": F.T @ (c["one"][:, None] * F),
                  "m/one": c["one"] @ F, "t/one": c["one"].sum()}
        for key, value in expect.items():
            block, kind = key.split("/")
            np.testing.assert_allclose(got[f"{block}/{wt.key}/{kind}"], value, rtol=1e-12, err_msg=key)
    ungrouped = moments(a, f, spec, group_max=0)                      # every user in sparse products
    assert ungrouped.keys() == got.keys()
    for key, value in got.items():
        np.testing.assert_allclose(ungrouped[key], value, rtol=1e-12, atol=1e-12, err_msg=key)
