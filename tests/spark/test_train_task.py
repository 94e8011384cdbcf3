"""invoke train's engine and target options refuse what cannot work, saying what to do, before any training."""
from __future__ import annotations

import pytest
from invoke import Exit

from devtasks import spark as spark_task
from recommender.training.spark.session import SparkUnavailable, local_session


@pytest.mark.parametrize("engine, target, words", [
    ("mapreduce", "", "unknown engine 'mapreduce': choose local"),
    ("local", "cloud", "unknown target 'cloud': choose local or aws"),
    ("local", "aws", "--target aws trains on EMR Serverless: add --engine spark"),
])
def test_bad_engine_or_target_is_refused_with_what_to_do(engine, target, words):
    with pytest.raises(Exit, match=words.replace("(", r"\(")):
        spark_task.check(engine, target)


def test_a_target_with_nothing_deployed_is_refused_before_training(monkeypatch, tmp_path):
    stack = spark_task.Stack
    monkeypatch.setattr(spark_task, "Stack", lambda target: stack(target, tmp_path))   # an empty state root
    with pytest.raises(Exit, match="nothing is deployed on aws: run `invoke deploy --target aws` first"):
        spark_task.check("spark", "aws")


def test_spark_without_java_says_which_package_to_install(monkeypatch, tmp_path):
    monkeypatch.setenv("JAVA_HOME", str(tmp_path / "no-java"))
    with pytest.raises(SparkUnavailable, match="openjdk-17-jre-headless"):
        local_session()
