"""The quality benchmark's tuning: peers are tuned on validation users carved from the training users
only, per protocol mode, with scoring-time grids tried without refitting."""
from dataclasses import replace

import numpy as np
import pytest
import scipy.sparse as sp

from bench import quality, quality_runs
from bench.peers.base import Entry, Peer, grid
from bench.peers.tuning import tuned, validation_split
from recommender.synthetic.generator import generate_bank


class Recorder(Peer):
    """Scores items by popularity times ``x`` plus a per-mode preference, and records what it saw."""

    name = "Recorder"
    uses = frozenset({"items", "meta"})
    scoring_params = ("boost",)
    fits: list = []

    def __init__(self, x: float = 1.0, boost: float = 0.0):
        self.x, self.boost = x, boost

    def fit(self, a, meta, n_meta):
        Recorder.fits.append(a.copy())
        self.pop_ = np.asarray(a.sum(axis=0)).ravel()
        return self

    def score(self, revealed, meta_rows):
        # with items revealed, x = 1 ranks by popularity and x = -1 against it; with metadata
        # alone the reverse; `boost` only shifts every score (never changes a ranking)
        sign = self.x if revealed.nnz else -self.x
        return np.tile(sign * self.pop_ + self.boost, (revealed.shape[0], 1))


@pytest.fixture(autouse=True)
def _fresh_recorder():
    Recorder.fits = []


def _marked_users(n_users: int = 60, common: int = 12) -> sp.csr_matrix:
    """User u holds item u (a marker naming the user) and common items with falling popularity."""
    rng = np.random.default_rng(0)
    rows, cols = list(range(n_users)), list(range(n_users))
    for u in range(n_users):
        for j in range(common):
            if j < 6 or rng.random() < 1 - j / common:
                rows.append(u)
                cols.append(n_users + j)
    return sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n_users, n_users + common))


def _users_in(a: sp.csr_matrix, n_users: int) -> set:
    return set(np.flatnonzero(np.asarray(a[:, :n_users].sum(axis=0)).ravel() > 0).tolist())


def test_grid_fits_never_see_the_validation_users_and_the_winner_is_refitted_on_all():
    a = _marked_users()
    meta = np.zeros((60, 1), dtype=np.int64)
    fit_rows, val_rows = validation_split(a, seed=3)
    assert len(val_rows) == 12 and not set(fit_rows) & set(val_rows)
    tuned(Entry("Recorder", Recorder, grid(x=(1.0, -1.0))), a, meta, 1, ["items"], seed=3)
    *grid_fits, final = Recorder.fits
    assert len(grid_fits) == 2
    for fitted in grid_fits:
        assert _users_in(fitted, 60) == set(fit_rows.tolist())
    assert _users_in(final, 60) == set(range(60))


def test_each_mode_keeps_its_own_winner_and_scoring_grids_need_no_refit():
    a = _marked_users()
    meta = np.zeros((60, 1), dtype=np.int64)
    entry = Entry("Recorder", Recorder, grid(x=(1.0, -1.0)), grid(boost=(0.0, 5.0)))
    best = tuned(entry, a, meta, 1, ["items", "meta"], seed=1)
    assert best["items"].params["x"] == 1.0 and best["meta"].params["x"] == -1.0
    assert best["items"].validation_ndcg > 0.5
    assert len(Recorder.fits) == 2 + 2          # one fit per grid point, one refit per distinct winner
    assert best["items"].peer is not best["meta"].peer


def test_scoring_params_are_checked():
    with pytest.raises(ValueError, match="not scoring-time"):
        Recorder().set_scoring(x=2.0)


def test_the_harness_tunes_and_fits_peers_on_training_users_only(monkeypatch):
    """An item only held-out users hold: no matrix a peer is ever fitted on may contain it."""
    bank = generate_bank(n_train=1500, n_test=400, seed=5)
    marker = int(np.argmax(np.bincount(bank.test.inter_item, minlength=bank.test.n_items)))
    keep = bank.train.inter_item != marker
    train = replace(bank.train, inter_user=bank.train.inter_user[keep], inter_item=bank.train.inter_item[keep],
                    inter_timestamp=bank.train.inter_timestamp[keep],
                    inter_event_type=bank.train.inter_event_type[keep], inter_event_value=None)
    monkeypatch.setattr(quality_runs.peer_catalogue, "catalogue",
                        lambda fields, n_items: [Entry("Recorder", Recorder, grid(x=(1.0, -1.0)))])
    out = quality_runs.run_split(train, bank.test, seed=0, ours=False, log=lambda msg: None)
    assert set(out) == {"P2", "P3", "P4"} and all("Recorder" in out[p] for p in out)
    assert out["P2"]["Recorder"]["params"] == {"x": 1.0} and out["P3"]["Recorder"]["params"] == {"x": -1.0}
    assert len(Recorder.fits) >= 3
    for fitted in Recorder.fits:
        assert fitted[:, marker].nnz == 0
    sizes = {f.shape[0] for f in Recorder.fits}
    assert max(sizes) == train.n_users and min(sizes) < train.n_users   # validation users carved out


def test_an_unknown_dataset_is_refused_with_the_choices(capsys):
    with pytest.raises(SystemExit) as exc:
        quality.main(["--datasets", "movielens,netflix", "--no-ours"])
    assert exc.value.code == 2
    assert "netflix" in capsys.readouterr().err and "movielens-raw" in quality.DATASETS
