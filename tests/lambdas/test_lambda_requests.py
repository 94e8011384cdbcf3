"""Request checking: every bad input gets a message naming the problem."""
import json

import pytest
from lambda_fakes import FIVE

from lambdas.errors import ApiError, Malformed, NotFound, TooLarge, Unprocessable
from lambdas.logic import requests


def test_parse_body_accepts_a_json_object():
    assert requests.parse_body('{"mode": "products"}', False, 2048) == {"mode": "products"}


@pytest.mark.parametrize("body, kind, words", [
    ("", Malformed, "needs a JSON body"),
    ("{not json", Malformed, "not valid JSON"),
    ("[1, 2]", Malformed, "must be a JSON object"),
    ("[" * 1500 + "]" * 1500, Malformed, "nests too deeply"),
    ('{"mode": "products"}' + " " * 3000, TooLarge, "3,020 bytes; send at most 2,048"),
])
def test_parse_body_refuses_bad_bodies(body, kind, words):
    with pytest.raises(kind, match=words):
        requests.parse_body(body, False, 4096 if "[[" in body else 2048)


def test_parse_body_refuses_bytes_that_are_not_utf8():
    import base64
    with pytest.raises(Malformed, match="not UTF-8"):
        requests.parse_body(base64.b64encode(b'{"mode": "\xff\xfe"}').decode(), True, 2048)


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


@pytest.mark.parametrize("request_body, kind, field, words", [
    ({"mode": "products", "items": FIVE[:3]}, Malformed, "items", "choose exactly 5 products; you sent 3"),
    ({"mode": "products", "items": FIVE + ["pension"]}, Malformed, "items", "choose exactly 5 products; you sent 6"),
    ({"mode": "products", "items": FIVE[:4] + ["nope"]}, Unprocessable, "items", "unknown product id 'nope'"),
    ({"mode": "products", "items": FIVE[:4] + [FIVE[0]]}, Malformed, "items", "different products; acc-current appears"),
    ({"mode": "products", "items": FIVE[:4] + ["../etc"]}, Malformed, "items", "product ids are 1-128 letters"),
    ({"mode": "products", "items": FIVE[:4] + ["a\u0000b"]}, Malformed, "items", "product ids are"),
    ({"mode": "products", "items": FIVE[:4] + ["x" * 10_000_000]}, Malformed, "items", "'xxxxxxxx"),
    ({"mode": "products"}, Malformed, "items", "items must be a list of 5 product ids"),
    ({"mode": "sideways"}, Malformed, "mode", "mode must be one of products, metadata, both; you sent 'sideways'"),
    ({"mode": "metadata"}, Malformed, "metadata", "at least one metadata field"),
    ({"mode": "metadata", "metadata": {f"F{i}": 1 for i in range(10_000)}}, Malformed, "metadata",
     "10,000 fields; send at most 50"),
    ({"mode": "metadata", "metadata": {"AGE": {"a": {"b": 1}}}}, Malformed, "metadata.AGE", "string or a number"),
    ({"mode": "metadata", "metadata": {"AGE": 30.5}}, Unprocessable, "metadata.AGE", "AGE must be a whole number"),
    ({"mode": "metadata", "metadata": {"AGE": "old"}}, Unprocessable, "metadata.AGE", "AGE must be a number"),
    ({"mode": "metadata", "metadata": {"SEX": 3}}, Unprocessable, "metadata.SEX", "SEX takes text; you sent 3"),
    ({"mode": "metadata", "metadata": {"HEIGHT": 3}}, Unprocessable, "metadata.HEIGHT", "unknown metadata field 'HEIGHT'; known fields: AGE, SEX"),
    ({"mode": "metadata", "metadata": {"SEX": "F"}, "items": FIVE}, Malformed, "items", "mode metadata takes no field 'items'; use mode both"),
    ({"mode": "products", "items": FIVE, "metadata": {"SEX": "F"}}, Malformed, "metadata", "mode products takes no field 'metadata'"),
    ({"mode": "products", "items": FIVE, "k": 0}, Malformed, "k", "k must be a whole number between 1 and 50; you sent 0"),
    ({"mode": "products", "items": FIVE, "k": 10**100}, Malformed, "k", "k must be a whole number between 1 and 50"),
    ({"mode": "products", "items": FIVE, "k": True}, Malformed, "k", "k must be a whole number"),
    ({"mode": "products", "items": FIVE, "colour": 1}, Malformed, "colour", "takes no field 'colour'"),
])
def test_bad_recommendation_requests_name_the_problem_and_the_field(model, request_body, kind, field, words):
    with pytest.raises(ApiError) as caught:
        requests.recommendation_request(request_body, model)
    assert type(caught.value) is kind and caught.value.field == field
    assert words in caught.value.message and len(caught.value.message) < 300


def test_values_the_model_has_not_seen_are_not_errors(model):
    """A new category value counts as missing and a number beyond the training range as the nearest
    range, in the engine; the check lets both through."""
    clean = requests.recommendation_request({"mode": "metadata", "metadata": {"SEX": "X", "AGE": 150}}, model)
    assert clean["metadata"] == {"SEX": "X", "AGE": 150}


def test_a_both_request_needs_items_and_metadata(model):
    with pytest.raises(Malformed, match="items must be a list"):
        requests.recommendation_request({"mode": "both", "metadata": {"SEX": "F"}}, model)
    with pytest.raises(Malformed, match="at least one metadata field"):
        requests.recommendation_request({"mode": "both", "items": FIVE}, model)


@pytest.mark.parametrize("value", ["x", "../../etc/passwd", "A" * 32, "0" * 33, None])
def test_ids_that_cannot_be_stored_ones_are_not_found(value):
    with pytest.raises(NotFound, match="no recommendation with id"):
        requests.request_id(value)


def test_event_request_checks_every_field(model):
    good = {"request_id": "a" * 32, "item_id": "pension", "event_type": "like"}
    assert requests.event_request(good, model) == good
    for change, kind, words in (({"request_id": "x"}, Malformed, "32-hex"),
                                ({"event_type": "buy"}, Malformed, "event_type must be one of"),
                                ({"item_id": "a/b"}, Malformed, "item_id must be a product id"),
                                ({"item_id": "nope"}, Unprocessable, "unknown product id 'nope'")):
        with pytest.raises(kind, match=words):
            requests.event_request({**good, **change}, model)


def test_messages_survive_json_round_trip(model):
    """The workflow carries messages through JSON; they stay readable."""
    with pytest.raises(Malformed) as caught:
        requests.recommendation_request({"mode": "products", "items": []}, model)
    assert json.loads(json.dumps({"errorMessage": str(caught.value)}))["errorMessage"].startswith("choose exactly")
