"""Configuration checked once; logs are JSON lines carrying the request id."""
import json

import pytest
from lambda_fakes import ENV

from lambdas import logs
from lambdas.config import ConfigError, from_env


def test_settings_read_from_the_environment():
    settings = from_env(ENV)
    assert settings.results_table == "test-results" and settings.result_ttl_days == 7
    assert settings.max_body_bytes == 2048 and settings.model_dir == "/tmp/model"


@pytest.mark.parametrize("change, words", [
    ({"RESULTS_TABLE": ""}, "RESULTS_TABLE is not set"),
    ({"RESULT_TTL_DAYS": "soon"}, "RESULT_TTL_DAYS must be a whole number"),
    ({"MODEL_PREFIX": "default"}, "MODEL_PREFIX must end with a slash"),
    ({"RECOMMENDER_BACKEND": "magic"}, "RECOMMENDER_BACKEND must be builtin, personalize or both"),
])
def test_bad_settings_name_the_variable(change, words):
    with pytest.raises(ConfigError, match=words):
        from_env({**ENV, **change})


def test_log_lines_are_json_with_request_id(capsys):
    class Context:
        aws_request_id = "abc-1"
        function_name = "fn"

    logs.get_logger().handlers[0].stream = __import__("sys").stdout
    with logs.invocation(Context()):
        logs.log(20, "served", status=200)
    line = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert line["request_id"] == "abc-1" and line["function"] == "fn"
    assert line["message"] == "served" and line["status"] == 200 and line["level"] == "INFO"
