"""The API document: valid OpenAPI 3.0, every error declared, limits equal to the ones the code enforces."""
import pytest
from openapi_document import render
from openapi_spec_validator import validate

from lambdas.errors import STATUS
from lambdas.logic import catalogue, requests

ERROR_REF = "#/components/schemas/Error"


def test_the_rendered_document_is_valid_openapi_3_0():
    document = render()
    assert document["openapi"].startswith("3.0.")
    validate(document)  # raises naming the first problem (e.g. `type: [string, number]` is not 3.0)


def _operations(document):
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if method in ("get", "post"):
                yield path, method, operation


def test_every_error_status_answers_the_error_schema():
    document = render()
    responses = document["components"]["responses"]
    for path, method, operation in _operations(document):
        for status, response in operation["responses"].items():
            if status.startswith(("4", "5")):
                resolved = responses[response["$ref"].rsplit("/", 1)[1]]
                assert resolved["content"]["application/json"]["schema"]["$ref"] == ERROR_REF, (path, status)
    assert set(document["components"]["schemas"]["Error"]["properties"]["code"]["enum"]) == set(STATUS)


@pytest.mark.parametrize("path, method, statuses", [
    ("/products", "get", {"200", "400", "429", "500", "503"}),
    ("/recommendations", "post", {"200", "400", "413", "422", "429", "500", "502", "503", "504"}),
    ("/recommendations/{request_id}", "get", {"200", "404", "429", "500"}),
    ("/events", "post", {"202", "400", "413", "422", "429", "500", "503"}),
])
def test_each_route_declares_what_it_can_answer(path, method, statuses):
    assert set(render()["paths"][path][method]["responses"]) == statuses


def test_every_path_sends_other_methods_to_the_function_that_answers_405():
    for path, item in render()["paths"].items():
        assert item["x-amazon-apigateway-any-method"]["x-amazon-apigateway-integration"]["type"] == "aws_proxy", path
        assert "options" in item, path


def test_the_modes_are_one_of_three_shapes_chosen_by_mode():
    schemas = render()["components"]["schemas"]
    request = schemas["RecommendationRequest"]
    assert request["discriminator"]["propertyName"] == "mode"
    shapes = {name: schemas[name] for name in ("ProductsRequest", "MetadataRequest", "BothRequest")}
    assert {s["properties"]["mode"]["enum"][0]: set(s["required"]) for s in shapes.values()} == {
        "products": {"mode", "items"}, "metadata": {"mode", "metadata"}, "both": {"mode", "items", "metadata"}}
    assert all(s["additionalProperties"] is False for s in shapes.values())


def test_the_limits_are_the_ones_the_code_enforces():
    document = render()
    schemas = document["components"]["schemas"]
    chosen, metadata, k, product = schemas["ChosenItems"], schemas["Metadata"], schemas["K"], schemas["ProductId"]
    assert chosen["minItems"] == chosen["maxItems"] == requests.CHOSEN_ITEMS and chosen["uniqueItems"]
    assert (k["minimum"], k["maximum"], k["default"]) == (1, requests.MAX_K, requests.DEFAULT_K)
    assert product["maxLength"] == requests.MAX_ID_LENGTH
    assert product["pattern"] == f"^{requests.PRODUCT_ID.pattern}$"
    assert metadata["maxProperties"] == requests.MAX_METADATA_FIELDS
    assert metadata["additionalProperties"]["oneOf"][0]["maxLength"] == requests.MAX_VALUE_LENGTH
    params = {p["name"]: p["schema"] for p in document["paths"]["/products"]["get"]["parameters"]}
    assert params["limit"]["maximum"] == catalogue.MAX_LIMIT and params["offset"]["maximum"] == catalogue.MAX_OFFSET
    assert params["search"]["maxLength"] == params["category"]["maxLength"] == catalogue.MAX_QUERY_LENGTH
    rid = document["paths"]["/recommendations/{request_id}"]["parameters"][0]["schema"]["pattern"]
    assert rid == f"^{requests.REQUEST_ID.pattern}$"
    from lambdas.config import from_env
    limit = from_env({"RESULTS_TABLE": "r", "EVENTS_TABLE": "e", "MODELS_BUCKET": "m", "MODEL_PREFIX": "p/"})
    assert f"{limit.max_body_bytes:,} bytes" in document["components"]["responses"]["TooLarge"]["description"]


def test_a_created_recommendation_links_to_reading_it_back():
    link = render()["paths"]["/recommendations"]["post"]["responses"]["200"]["links"]["GetRecommendation"]
    assert link == {"operationId": "getRecommendation", "parameters": {"request_id": "$response.body#/request_id"}}
