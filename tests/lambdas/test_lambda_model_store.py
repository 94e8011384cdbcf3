"""The model is downloaded from the models bucket once per container."""
import pytest

from lambdas.dal import model_store
from lambdas.errors import ModelUnavailable


def test_downloads_the_artifact_and_loads_it_once(s3, tmp_path):
    s3.put_object(Bucket="test-models", Key="default/model.npz", Body=b"npz")
    s3.put_object(Bucket="test-models", Key="default/manifest.json", Body=b"{}")
    s3.put_object(Bucket="test-models", Key="other/model.npz", Body=b"other")
    loads = []

    def loader(path):
        loads.append(sorted(p.name for p in path.iterdir()))
        return "the model"

    first = model_store.get(s3, "test-models", "default/", str(tmp_path / "m"), loader)
    second = model_store.get(s3, "test-models", "default/", str(tmp_path / "m"), loader)
    assert first == second == "the model"
    assert loads == [["manifest.json", "model.npz"]]
    assert (tmp_path / "m" / "model.npz").read_bytes() == b"npz"


def test_missing_model_says_to_deploy(s3, tmp_path):
    with pytest.raises(ModelUnavailable, match="no model under s3://test-models/default/; run `invoke deploy`"):
        model_store.get(s3, "test-models", "default/", str(tmp_path), lambda p: None)


def test_unloadable_model_names_the_problem(s3, tmp_path):
    s3.put_object(Bucket="test-models", Key="default/model.npz", Body=b"junk")

    def loader(path):
        raise ValueError("manifest.json is missing")

    with pytest.raises(ModelUnavailable, match="cannot be loaded: manifest.json is missing"):
        model_store.get(s3, "test-models", "default/", str(tmp_path), loader)
