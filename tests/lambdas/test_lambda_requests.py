"""Request checking: every bad input gets a message naming the problem."""
import json

import pytest
from lambda_fakes import FIVE

from lambdas.errors import ValidationError
from lambdas.logic import requests


def test_parse_body_accepts_a_json_object():
    assert requests.parse_body('{"mode": "products"}', False, 2048) == {"mode": "products"}


@pytest.mark.parametrize("body, words", [
    ("", "needs a JSON body"),
    ("{not json", "not valid JSON"),
    ("[1, 2]", "must be a JSON object"),
    ('{"mode": "products"}' + " " * 3000, "3,020 bytes; send at most 2,048"),
])
def test_parse_body_refuses_bad_bodies(body, words):
    with pytest.raises(ValidationError, match=words):
        requests.parse_body(body, False, 2048)


def test_parse_body_decodes_base64():
    import base64
    encoded = base64.b64encode(b'{"k": 3}').decode()
    assert requests.parse_body(encoded, True, 2048) == {"k": 3}


def test_products_mode_normalises_a_valid_request(model):
    clean = requests.recommendation_request({"mode": "products", "items": FIVE}, model)
    assert clean == {"mode": "products", "items": FIVE, "metadata": {}, "k": 10}


def test_both_mode_keeps_items_and_checked_metadata(model):
    clean = requests.recommendation_request(
        {"mode": "both", "items": FIVE, "metadata": {"AGE": 40.0, "SEX": "F"}, "k": 3}, model)
    assert clean["metadata"] == {"AGE": 40, "SEX": "F"} and isinstance(clean["metadata"]["AGE"], int)
    assert clean["k"] == 3


@pytest.mark.parametrize("request_body, words", [
    ({"mode": "products", "items": FIVE[:3]}, "choose exactly 5 products; you sent 3"),
    ({"mode": "products", "items": FIVE + ["pension"]}, "choose exactly 5 products; you sent 6"),
    ({"mode": "products", "items": FIVE[:4] + ["nope"]}, "unknown product id 'nope'"),
    ({"mode": "products", "items": FIVE[:4] + [FIVE[0]]}, "different products; acc-current appears"),
    ({"mode": "products"}, "items must be a list of 5 product ids"),
    ({"mode": "sideways"}, "mode must be one of products, metadata, both; you sent 'sideways'"),
    ({"mode": "metadata"}, "at least one metadata field"),
    ({"mode": "metadata", "metadata": {"AGE": 150}}, "AGE must be between 18 and 100; you sent 150"),
    ({"mode": "metadata", "metadata": {"AGE": 30.5}}, "AGE must be a whole number"),
    ({"mode": "metadata", "metadata": {"AGE": "old"}}, "AGE must be a number"),
    ({"mode": "metadata", "metadata": {"SEX": "X"}}, "SEX must be one of F, M; you sent 'X'"),
    ({"mode": "metadata", "metadata": {"HEIGHT": 3}}, "unknown metadata field 'HEIGHT'; known fields: AGE, SEX"),
    ({"mode": "metadata", "metadata": {"SEX": "F"}, "items": FIVE}, "mode metadata takes no items"),
    ({"mode": "products", "items": FIVE, "metadata": {"SEX": "F"}}, "mode products takes no metadata"),
    ({"mode": "products", "items": FIVE, "k": 0}, "k must be a whole number between 1 and 50; you sent 0"),
    ({"mode": "products", "items": FIVE, "k": True}, "k must be a whole number"),
    ({"mode": "products", "items": FIVE, "colour": 1}, "unknown field 'colour'"),
])
def test_bad_recommendation_requests_name_the_problem(model, request_body, words):
    with pytest.raises(ValidationError) as caught:
        requests.recommendation_request(request_body, model)
    assert words in str(caught.value)


def test_event_request_checks_every_field(model):
    good = {"request_id": "a" * 32, "item_id": "pension", "event_type": "like"}
    assert requests.event_request(good, model) == good
    for change, words in (({"request_id": "x"}, "32-hex"), ({"event_type": "buy"}, "event_type must be one of"),
                          ({"item_id": "nope"}, "unknown product id 'nope'")):
        with pytest.raises(ValidationError, match=words):
            requests.event_request({**good, **change}, model)


def test_messages_survive_json_round_trip(model):
    """The workflow carries messages through JSON; they stay readable."""
    with pytest.raises(ValidationError) as caught:
        requests.recommendation_request({"mode": "products", "items": []}, model)
    assert json.loads(json.dumps({"errorMessage": str(caught.value)}))["errorMessage"].startswith("choose exactly")
