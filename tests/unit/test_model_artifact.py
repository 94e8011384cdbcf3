"""Save/load round trip; a missing, corrupt, truncated or newer-format artifact is a clear error."""
import json

import numpy as np
import pytest

from recommender import load_model
from recommender.serving.artifact import ArtifactError
from recommender.training import train
from test_model import tiny_dataset


@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    model = train(tiny_dataset(n_users=80))
    folder = tmp_path_factory.mktemp("model")
    model.save(folder)
    return model, folder


def test_round_trip_answers_the_same(saved):
    model, folder = saved
    loaded = load_model(folder)
    requests = ({"items": ["a1", "b2"]}, {"metadata": {"SEX": "M"}}, {"items": ["a0"], "metadata": {"AGE": 22}}, {})
    for request in requests:
        assert loaded.recommend(**request) == model.recommend(**request)
    assert loaded.catalogue() == model.catalogue()
    assert loaded.metadata_schema() == model.metadata_schema()


def test_manifest_records_what_the_model_is(saved):
    _, folder = saved
    manifest = json.loads((folder / "manifest.json").read_text())
    for key in ("format_version", "trained_at", "data_fingerprint", "hyperparameters", "metrics", "npz_sha256"):
        assert key in manifest
    with np.load(folder / "model.npz", allow_pickle=False) as npz:
        assert all(npz[name].dtype != object for name in npz.files)


def copy(folder, tmp_path):
    out = tmp_path / "copy"
    out.mkdir()
    for name in ("model.npz", "manifest.json"):
        (out / name).write_bytes((folder / name).read_bytes())
    return out


def test_truncated_npz_is_reported(saved, tmp_path):
    out = copy(saved[1], tmp_path)
    data = (out / "model.npz").read_bytes()
    (out / "model.npz").write_bytes(data[: len(data) // 2])
    with pytest.raises(ArtifactError, match="corrupt or truncated"):
        load_model(out)


def test_corrupt_npz_with_a_matching_checksum_is_reported(saved, tmp_path):
    out = copy(saved[1], tmp_path)
    (out / "model.npz").write_bytes(b"not a zip file")
    manifest = json.loads((out / "manifest.json").read_text())
    import hashlib
    manifest["npz_sha256"] = hashlib.sha256(b"not a zip file").hexdigest()
    (out / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(ArtifactError, match="cannot be read"):
        load_model(out)


def test_newer_format_is_reported(saved, tmp_path):
    out = copy(saved[1], tmp_path)
    manifest = json.loads((out / "manifest.json").read_text())
    manifest["format_version"] = 99
    (out / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(ArtifactError, match="newer"):
        load_model(out)


def test_broken_manifest_and_missing_folder_are_reported(saved, tmp_path):
    out = copy(saved[1], tmp_path)
    (out / "manifest.json").write_text("{not json")
    with pytest.raises(ArtifactError, match="not valid JSON"):
        load_model(out)
    with pytest.raises(ValueError, match="does not exist"):
        load_model(tmp_path / "nowhere")
    (out / "manifest.json").unlink()
    with pytest.raises(ArtifactError, match="no manifest.json"):
        load_model(out)
