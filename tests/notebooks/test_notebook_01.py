"""Notebook 01 runs top to bottom at a small size and writes a loadable dataset."""
import sys

import nbformat
import pytest

from recommender import load_dataset

pytestmark = [pytest.mark.notebook, pytest.mark.slow]


def test_notebook_01_generates_and_describes_the_data(run_notebook, tmp_path):
    # Given a small size and a scratch output folder
    env = {"NB_TRAIN_USERS": 3000, "NB_TEST_USERS": 500, "NB_OUT": tmp_path}

    # When the notebook runs
    notebook = run_notebook("01_generate_dataset.ipynb", env, timeout=120)

    # Then it wrote both parts, disjoint, at the asked size, and drew its plots
    train, test = load_dataset(tmp_path / "train"), load_dataset(tmp_path / "test")
    assert (train.n_users, test.n_users) == (3000, 500)
    assert not set(train.user_ids) & set(test.user_ids)
    images = [o for c in notebook.cells if c.cell_type == "code" for o in c.outputs
              if "image/png" in o.get("data", {})]
    assert len(images) >= 5


def test_run_notebook_uses_this_interpreter_and_reports_the_failing_cell(run_notebook, tmp_path):
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell("import os, sys\nprint(sys.executable)"),
                      nbformat.v4.new_code_cell("size = int(os.environ['NB_SIZE'])\nassert size < 3, 'too big'")]
    nbformat.write(notebook, tmp_path / "check.ipynb")

    executed = run_notebook(tmp_path / "check.ipynb", {"NB_SIZE": 2}, timeout=60)
    assert executed.cells[0].outputs[0]["text"].strip() == sys.executable

    with pytest.raises(pytest.fail.Exception) as failed:
        run_notebook(tmp_path / "check.ipynb", {"NB_SIZE": 7}, timeout=60)
    message = str(failed.value)
    assert "check.ipynb failed" in message and "AssertionError: too big" in message
    assert "assert size < 3" in message
