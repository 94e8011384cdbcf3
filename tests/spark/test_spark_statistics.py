"""Statistics computed by Spark (local mode) equal the single-machine ones, and solve to the same model."""
from __future__ import annotations

import warnings

import numpy as np
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest
import scipy.sparse as sp

from recommender import write_dataset
from recommender.data.dataset import EventFilter
from recommender.synthetic.generator import generate_bank
from recommender.training import Hyperparameters
from recommender.training.fit import feature_space, statistics, train_folder
from recommender.training.inputs import TrainingData
from recommender.training.spark import prepare as prepare_module
from recommender.training.spark.driver import train_spark
from recommender.training.spark.job import JobError
from recommender.training.statistics import Statistics

pytestmark = pytest.mark.slow

HP = Hyperparameters(latent_classes=(4,), latent_iters=5, latent_refit_iters=2, validation_draws=1,
                     latent_max_users=700, max_validation_users=150)


def assert_same_statistics(a: Statistics, b: Statistics):
    assert (a.n_users, a.n_eligible, a.spec) == (b.n_users, b.n_eligible, b.spec)
    assert a.moments.keys() == b.moments.keys()
    for key in a.moments:
        x, y = a.moments[key], b.moments[key]
        assert sp.issparse(x) == sp.issparse(y), key
        x, y = (x.toarray(), y.toarray()) if sp.issparse(x) else (x, y)
        np.testing.assert_allclose(y, x, rtol=1e-10, atol=1e-9, err_msg=key)
    np.testing.assert_array_equal(a.item_users, b.item_users)
    np.testing.assert_array_equal(a.feature_users, b.feature_users)
    np.testing.assert_array_equal(a.sample.ranks, b.sample.ranks)
    assert (a.sample.items != b.sample.items).nnz == 0 and (a.sample.features != b.sample.features).nnz == 0


def assert_same_model(local, spark):
    assert list(spark.item_ids) == list(local.item_ids)
    assert spark.arrays.keys() == local.arrays.keys()
    for name, array in local.arrays.items():
        if array.dtype.kind == "f":
            np.testing.assert_allclose(spark.arrays[name], array, rtol=0, atol=1e-6, err_msg=name)
        else:
            np.testing.assert_array_equal(spark.arrays[name], array, err_msg=name)
    assert spark.manifest["data_fingerprint"] == local.manifest["data_fingerprint"]
    assert spark.manifest["n_interactions"] == local.manifest["n_interactions"]
    for request in ({"items": ["mortgage", "credit_card"]}, {"metadata": {"AGE": 40, "SEX": "F"}},
                    {"items": ["payroll_account"], "metadata": {"INCOME": 90000}}):
        ours, theirs = local.recommend(k=10, **request), spark.recommend(k=10, **request)
        assert [r["item_id"] for r in theirs] == [r["item_id"] for r in ours]


def local_statistics(folder, hp, events=None):
    data = TrainingData.from_folder(folder, events)
    return statistics(data, feature_space(data, hp)[0], hp)


def test_spark_statistics_and_model_equal_the_single_machine_ones(spark, tmp_path):
    bank = generate_bank(n_train=2500, n_test=0, seed=5).train
    rng = np.random.default_rng(0)
    bank.inter_event_type = rng.choice(["hold", "viewed"], size=len(bank.inter_user), p=[0.8, 0.2])
    write_dataset(bank, tmp_path / "bank", compress=True)                 # .csv.gz, read by Spark as gzip
    events = EventFilter(("hold",))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        local = train_folder(tmp_path / "bank", HP, events=events)
        ours = train_spark(tmp_path / "bank", HP, events, statistics_dir=tmp_path / "stats", spark=spark, log=None)
    assert_same_statistics(local_statistics(tmp_path / "bank", HP, events), Statistics.load(tmp_path / "stats"))
    assert_same_model(local, ours)
    assert ours.manifest["n_interactions"] < len(bank.inter_user)        # the filter dropped the views


def test_large_catalogue_layout_keeps_each_items_top_partners(spark, tmp_path, monkeypatch):
    """Sparse item-item blocks (above dense_max_items), top partners kept (as for 100,000+ items), Parquet."""
    hp = Hyperparameters(dense_max_items=10, neighbours=3, latent_classes=(), validation_draws=1,
                         max_validation_users=150)
    monkeypatch.setattr(prepare_module, "TOP_PARTNERS_FROM", 10)
    bank = generate_bank(n_train=1500, n_test=0, seed=8).train
    write_dataset(bank, tmp_path / "bank")
    csv = tmp_path / "bank" / "Interactions.csv"
    pq.write_table(pacsv.read_csv(csv), tmp_path / "bank" / "Interactions.parquet")
    csv.unlink()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        local = train_folder(tmp_path / "bank", hp)
        ours = train_spark(tmp_path / "bank", hp, statistics_dir=tmp_path / "stats", spark=spark, log=None)
    stats = Statistics.load(tmp_path / "stats")
    key = f"aa/{stats.spec.weightings[0].key}/xy"
    pairs = stats.moments[key]
    assert sp.issparse(pairs) and local.layout == ours.layout == "sparse"
    assert np.diff(pairs.indptr).max() <= 4 * hp.neighbours + 1                # partners kept, plus itself
    assert np.diff(local_statistics(tmp_path / "bank", hp).moments[key].indptr).max() > 13
    assert_same_model(local, ours)


def _break_users(folder):
    users = folder / "Users.csv"
    lines = users.read_text().splitlines()
    users.write_text("\n".join(line for line in lines if not line.startswith("U000007,")) + "\n")


def _break_interactions(folder):
    interactions = folder / "Interactions.csv"
    lines = interactions.read_text().splitlines()
    lines[3] += ",1.5,extra"
    interactions.write_text("\n".join(lines) + "\n")


@pytest.mark.parametrize("damage, message", [
    (_break_users, r"1 user id\(s\) missing from Users \(e\.g\. 'U000007'\); add them to Users"),
    (_break_interactions, r"1 Interactions row\(s\) have more fields than the header \(e\.g\. a row of user "
                          r"'U\d+'\); fix those rows"),
])
def test_bad_interactions_are_refused_with_what_to_fix(spark, tmp_path, damage, message):
    bank = generate_bank(n_train=200, n_test=0, seed=1).train
    write_dataset(bank, tmp_path / "bank")
    damage(tmp_path / "bank")
    with pytest.raises(JobError, match=message):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            train_spark(tmp_path / "bank", HP, spark=spark, log=None)
