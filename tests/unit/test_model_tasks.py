"""`invoke train` and `invoke evaluate` on a tiny dataset, and their errors."""
import pytest
from invoke import Context, Exit

from devtasks.model import evaluate, train
from recommender import load_model, write_dataset
from test_model import tiny_dataset


def test_train_then_evaluate(tmp_path, capsys):
    write_dataset(tiny_dataset(n_users=200), tmp_path / "data")
    train(Context(), data=str(tmp_path / "data"), out=str(tmp_path / "model"))
    assert load_model(tmp_path / "model").n_items == 15
    evaluate(Context(), model=str(tmp_path / "model"), data=str(tmp_path / "data"))
    out = capsys.readouterr().out
    assert "wrote" in out and "NDCG@10" in out
    assert [line.split()[0] for line in out.splitlines()[-4:]] == ["items", "meta", "both", "none"]


def test_missing_data_or_model_is_a_clear_exit(tmp_path):
    with pytest.raises(Exit, match="no such folder; .*run `invoke data`"):
        train(Context(), data=str(tmp_path / "nothing"), out=str(tmp_path / "model"))
    with pytest.raises(Exit, match="invoke train"):
        evaluate(Context(), model=str(tmp_path / "nothing"), data=str(tmp_path))
