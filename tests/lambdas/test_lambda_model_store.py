"""The model is downloaded from the models bucket once per container; failures are logged, not shown."""
import json

import pytest

from lambdas import logs
from lambdas.dal import model_store
from lambdas.errors import ModelUnavailable


class Context:
    aws_request_id = "req-42"
    function_name = "recommender-api"


def logged(caplog) -> list[dict]:
    """The JSON lines the project's formatter made of what was logged."""
    return [json.loads(logs.JsonFormatter().format(record)) for record in caplog.records]


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


def test_missing_model_answers_a_message_and_the_request_id_and_logs_where_it_looked(s3, tmp_path, caplog):
    with logs.invocation(Context()), pytest.raises(ModelUnavailable) as raised:
        model_store.get(s3, "test-models", "default/", str(tmp_path), lambda p: None)
    message = str(raised.value)
    assert "not available right now" in message and "request id req-42" in message
    assert "test-models" not in message and "default/" not in message
    [line] = [entry for entry in logged(caplog) if entry["message"] == "model unavailable"]
    assert line["bucket"] == "test-models" and line["prefix"] == "default/"
    assert "invoke deploy" in line["reason"]


def test_unreadable_bucket_keeps_botocore_text_in_the_log_only(s3, tmp_path, caplog):
    with logs.invocation(Context()), pytest.raises(ModelUnavailable) as raised:
        model_store.get(s3, "no-such-bucket", "default/", str(tmp_path), lambda p: None)
    assert "NoSuchBucket" not in str(raised.value) and "no-such-bucket" not in str(raised.value)
    [line] = [entry for entry in logged(caplog) if entry["message"] == "model unavailable"]
    assert "NoSuchBucket" in line["error"]


def test_unloadable_model_logs_the_problem(s3, tmp_path, caplog):
    s3.put_object(Bucket="test-models", Key="default/model.npz", Body=b"junk")

    def loader(path):
        raise ValueError("manifest.json is missing")

    with logs.invocation(Context()), pytest.raises(ModelUnavailable, match="request id req-42"):
        model_store.get(s3, "test-models", "default/", str(tmp_path), loader)
    [line] = [entry for entry in logged(caplog) if entry["message"] == "model unavailable"]
    assert line["error"] == "manifest.json is missing"
