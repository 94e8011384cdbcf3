"""Every bad request is a ValueError naming the field and what is allowed."""
import pytest

from recommender.training import train
from test_model import tiny_dataset


@pytest.fixture(scope="module")
def model():
    return train(tiny_dataset(n_users=60))


@pytest.mark.parametrize("request_kwargs, words", [
    ({"items": ["zz"]}, ["unknown item id 'zz'"]),
    ({"items": "a0"}, ["items must be a list"]),
    ({"items": [3]}, ["items", "strings"]),
    ({"items": ["a0", "a0"]}, ["'a0' is given twice"]),
    ({"exclude": ["nope"]}, ["exclude", "unknown item id 'nope'"]),
    ({"metadata": {"HEIGHT": 180}}, ["unknown metadata field 'HEIGHT'", "AGE, SEX"]),
    ({"metadata": {"AGE": "thirty"}}, ["'AGE'", "must be a number", "str"]),
    ({"metadata": {"AGE": True}}, ["'AGE'", "must be a number"]),
    ({"metadata": {"SEX": ["F"]}}, ["'SEX'", "takes text"]),
    ({"metadata": {"AGE": float("nan")}}, ["'AGE'", "finite"]),
    ({"metadata": ["SEX", "F"]}, ["metadata must be a dict"]),
    ({"k": 0}, ["k must be", "at least 1"]),
    ({"k": "3"}, ["k must be"]),
    ({"category": "Delta"}, ["category 'Delta'", "Alpha, Beta, Gamma"]),
])
def test_bad_input_names_the_problem(model, request_kwargs, words):
    with pytest.raises(ValueError) as err:
        model.recommend(**request_kwargs)
    for word in words:
        assert word in str(err.value)


def test_a_missing_or_null_field_is_fine(model):
    assert model.recommend(metadata={"SEX": "F", "AGE": None}, k=3)
    assert model.recommend(metadata={}, k=3) == model.recommend(k=3)


def test_a_value_never_seen_in_training_counts_as_missing(model):
    assert model.recommend(metadata={"SEX": "X", "AGE": 30}, k=3) == model.recommend(metadata={"AGE": 30}, k=3)
    assert model.recommend(metadata={"SEX": 1}, k=3) == model.recommend(k=3)


def test_a_number_outside_the_training_range_falls_in_the_edge_bucket(model):
    assert model.recommend(metadata={"AGE": 150}, k=3) == model.recommend(metadata={"AGE": 99}, k=3)
    assert model.recommend(metadata={"AGE": "40"}, k=3) == model.recommend(metadata={"AGE": 40}, k=3)


def test_numeric_reasons_read_as_people_write_numbers():
    from recommender.serving.features import FieldEncoder

    income = FieldEncoder("INCOME", "numeric", 0, edges=(20000.0, 93000.0), minimum=5000.0, maximum=1_250_000.0,
                          integer=True)
    assert income.feature_phrases() == ["income is 5000–19,999", "income is 20,000–92,999",
                                        "income is 93,000–1,250,000"]
    rate = FieldEncoder("RATE", "numeric", 0, edges=(2.5,), minimum=0.25, maximum=12000.5)
    assert rate.bucket_labels() == ["0.25–2.5", "2.5–12,000"]   # 12000.5 rounds to the nearest whole
    year = FieldEncoder("YEAR", "numeric", 0, edges=(1990.0,), minimum=None, maximum=None, integer=True)
    assert year.bucket_labels() == ["up to 1989", "1990 or more"]
