"""Personalize CSV round trip and schema conformance."""
import dataclasses
import gzip
import json

import numpy as np
import pytest

from recommender import Dataset, FieldSpec, load_dataset, write_dataset
from recommender.synthetic.generator import generate_bank


@pytest.fixture(scope="module")
def small():
    return generate_bank(n_train=400, n_test=100, seed=7)


def assert_same(a: Dataset, b: Dataset):
    for f in dataclasses.fields(Dataset):
        x, y = getattr(a, f.name), getattr(b, f.name)
        if isinstance(x, dict):
            assert x.keys() == y.keys(), f.name
            for key in x:
                if isinstance(x[key], np.ndarray):
                    np.testing.assert_array_equal(x[key], y[key], err_msg=f"{f.name}[{key}]")
                else:
                    assert x[key] == y[key], f"{f.name}[{key}]"
        elif x is None:
            assert y is None, f.name
        else:
            np.testing.assert_array_equal(x, y, err_msg=f.name)


@pytest.mark.parametrize("compress", [False, True])
def test_write_then_load_gives_the_same_dataset(small, tmp_path, compress):
    write_dataset(small.train, tmp_path, compress=compress)

    loaded = load_dataset(tmp_path)

    assert_same(small.train, loaded)
    assert (tmp_path / ("Users.csv.gz" if compress else "Users.csv")).exists()


def test_gzip_output_is_byte_identical_across_writes(small, tmp_path):
    write_dataset(small.train, tmp_path / "a", compress=True)
    write_dataset(small.train, tmp_path / "b", compress=True)

    for name in ("Users.csv.gz", "Items.csv.gz", "Interactions.csv.gz"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    assert gzip.decompress((tmp_path / "a" / "Users.csv.gz").read_bytes()).startswith(b"USER_ID,AGE,")


def test_files_follow_the_personalize_layout(small, tmp_path):
    write_dataset(small.train, tmp_path)

    headers = {name: (tmp_path / f"{name}.csv").read_text().splitlines()[0].split(",")
               for name in ("Users", "Items", "Interactions")}
    assert headers["Users"] == ["USER_ID", "AGE", "CUSTOMER_TENURE", "INCOME", "SEX", "SEGMENT", "PROVINCE"]
    assert headers["Items"] == ["ITEM_ID", "NAME", "CATEGORY", "DESCRIPTION"]
    assert headers["Interactions"] == ["USER_ID", "ITEM_ID", "TIMESTAMP", "EVENT_TYPE"]
    for name, header in headers.items():
        schema = json.loads((tmp_path / f"{name}.schema.json").read_text())
        assert schema["type"] == "record" and schema["name"] == name
        assert schema["namespace"] == "com.amazonaws.personalize.schema" and schema["version"] == "1.0"
        assert [f["name"] for f in schema["fields"]] == header
    users = {f["name"]: f for f in json.loads((tmp_path / "Users.schema.json").read_text())["fields"]}
    assert users["AGE"]["type"] == "int" and users["SEX"] == {
        "name": "SEX", "type": "string", "categorical": True, "doc": "F or M"}
    inter = {f["name"]: f["type"] for f in json.loads((tmp_path / "Interactions.schema.json").read_text())["fields"]}
    assert inter["TIMESTAMP"] == "long"


def test_without_schema_files_numbers_are_inferred(small, tmp_path):
    write_dataset(small.train, tmp_path)
    for schema in tmp_path.glob("*.schema.json"):
        schema.unlink()

    loaded = load_dataset(tmp_path)

    assert loaded.user_schema["AGE"].kind == "numeric" and loaded.user_schema["AGE"].integer
    assert loaded.user_schema["SEGMENT"].kind == "categorical"
    np.testing.assert_array_equal(loaded.user_fields["INCOME"], small.train.user_fields["INCOME"])


def test_nullable_item_number_and_event_values_round_trip(tmp_path):
    dataset = Dataset(
        user_ids=np.array(["1", "2"]), user_fields={"AGE": np.array([20.0, 30.0])},
        user_schema={"AGE": FieldSpec("AGE", "numeric", minimum=20.0, maximum=30.0, integer=True)},
        item_ids=np.array(["a", "b"]),
        item_fields={"TITLE": np.array(["Heat, The", "Up"], dtype=object), "YEAR": np.array(["1995", ""], dtype=object)},
        item_schema={"TITLE": FieldSpec("TITLE", "categorical"),
                     "YEAR": FieldSpec("YEAR", "numeric", minimum=1995.0, maximum=1995.0, integer=True)},
        inter_user=np.array([0, 1], dtype=np.int32), inter_item=np.array([1, 0], dtype=np.int32),
        inter_timestamp=np.array([10, 20], dtype=np.int64), inter_event_type=np.array(["rating", "rating"]),
        inter_event_value=np.array([4.0, 2.5]))

    write_dataset(dataset, tmp_path)
    loaded = load_dataset(tmp_path)

    assert_same(dataset, loaded)
