"""Notebooks 02 (train) and 03 (evaluate) run top to bottom at a small size."""
import socket

import pytest

from localcloud import control
from recommender import load_model, write_dataset
from recommender.synthetic.generator import generate_bank

pytestmark = [pytest.mark.notebook, pytest.mark.slow]


def images(notebook):
    return [o for c in notebook.cells if c.cell_type == "code" for o in c.outputs if "image/png" in o.get("data", {})]


def text(notebook):
    return "".join(o.get("text", "") for c in notebook.cells if c.cell_type == "code" for o in c.outputs)


def test_notebook_02_trains_and_saves_then_03_evaluates_it(run_notebook, tmp_path):
    # Given a small bank dataset written as Personalize CSVs
    bank = generate_bank(n_train=3000, n_test=600, seed=42)
    write_dataset(bank.train, tmp_path / "train")
    write_dataset(bank.test, tmp_path / "test")
    model_dir = tmp_path / "model"

    # When notebook 02 trains on it (and on the Personalize of a local cloud of its own)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        cloud = {"LOCALCLOUD_PORT": sock.getsockname()[1], "LOCALCLOUD_STATE_DIR": tmp_path / "cloud",
                 "NB_PERSONALIZE_RECORD": tmp_path / "personalize.json"}
    try:
        trained = run_notebook("02_train.ipynb", {"NB_DATA": tmp_path / "train", "NB_MODEL_OUT": model_dir, **cloud},
                               timeout=180)
        evaluated = run_notebook("03_evaluate.ipynb", {"NB_MODEL": model_dir, "NB_TEST": tmp_path / "test",
                                                       "NB_PERSONALIZE_USERS": 40, **cloud}, timeout=180)
    finally:
        control.stop(state_dir=tmp_path / "cloud")

    # Then the artifact loads, and the notebook showed each mode's answers with reasons
    model = load_model(model_dir)
    assert model.n_items == bank.train.n_items
    out = text(trained)
    assert "trained in" in out and "--- both" in out and "because you chose" in out

    # And trained the same data on Personalize and asked it like the site
    assert "Personalize ready in" in out and "| Personalize" in out

    # Then it compared ours, popularity and the oracle in every mode, plotted them and drilled into a customer
    out = text(evaluated)
    for word in ("products", "details", "both", "ours", "popularity", "oracle", "holds:", "chosen:"):
        assert word in out
    assert len(images(evaluated)) >= 2

    # And compared the two backends on the same customers
    assert "40 customers per mode" in out
    section = out[out.index("40 customers per mode"):].splitlines()
    rows = [line.split() for line in section if line.split()[:2] in (["both", "personalize"], ["both", "ours"])]
    assert len(rows) == 2
    assert all(0 <= float(v) <= 1 for row in rows for v in row[2:6])
