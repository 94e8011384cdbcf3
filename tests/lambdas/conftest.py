"""Fixtures for the Lambda unit tests: moto in-process, a tiny model with known answers."""
from __future__ import annotations

import boto3
import pytest
from moto import mock_aws

from lambda_fakes import ENV, TinyModel

from lambdas.config import from_env
from lambdas.dal import model_store


@pytest.fixture
def model():
    return TinyModel()


@pytest.fixture
def settings(tmp_path):
    return from_env({**ENV, "MODEL_DIR": str(tmp_path / "model")})


@pytest.fixture
def aws():
    with mock_aws():
        yield


@pytest.fixture
def dynamodb(aws):
    client = boto3.client("dynamodb", region_name="us-east-1")
    for table, key in (("test-results", "request_id"), ("test-events", "event_id")):
        client.create_table(TableName=table, BillingMode="PAY_PER_REQUEST",
                            AttributeDefinitions=[{"AttributeName": key, "AttributeType": "S"}],
                            KeySchema=[{"AttributeName": key, "KeyType": "HASH"}])
    return client


@pytest.fixture
def s3(aws):
    client = boto3.client("s3", region_name="us-east-1")
    client.create_bucket(Bucket="test-models")
    return client


@pytest.fixture(autouse=True)
def _fresh_model_cache():
    model_store.forget()
    yield
    model_store.forget()
