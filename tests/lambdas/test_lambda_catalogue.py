"""GET /products paging, search and filters; GET /metadata-schema."""
import pytest

from lambdas.errors import Malformed
from lambdas.logic import catalogue


def test_first_page_lists_everything_with_categories(model):
    page = catalogue.products_page(model, None)
    assert page["total"] == 7 and len(page["items"]) == 7
    assert page["categories"] == ["accounts", "cards", "investments", "loans", "pensions"]
    assert set(page["items"][0]) == {"item_id", "name", "category", "description"}


def test_offset_and_limit_page_through(model):
    page = catalogue.products_page(model, {"offset": "2", "limit": "3"})
    assert [i["item_id"] for i in page["items"]] == ["card-credit", "loan-home", "loan-personal"]
    assert (page["total"], page["offset"], page["limit"]) == (7, 2, 3)


def test_search_matches_name_or_description_case_insensitively(model):
    page = catalogue.products_page(model, {"search": "SAVINGS"})
    assert [i["item_id"] for i in page["items"]] == ["acc-savings", "funds"]


def test_category_filters(model):
    page = catalogue.products_page(model, {"category": "loans"})
    assert [i["item_id"] for i in page["items"]] == ["loan-home", "loan-personal"]


def test_a_category_the_catalogue_lacks_matches_nothing(model):
    page = catalogue.products_page(model, {"category": "boats"})
    assert page["items"] == [] and page["total"] == 0 and "loans" in page["categories"]


@pytest.mark.parametrize("params, words", [
    ({"limit": "0"}, "limit must be a whole number between 1 and 200; you sent '0'"),
    ({"limit": "201"}, "between 1 and 200"),
    ({"offset": "-1"}, "offset must be a whole number between 0 and 1000000"),
    ({"offset": "abc"}, "offset must be"),
    ({"limit": ""}, "limit must be"),
    ({"offset": "9" * 5000}, "offset must be"),
    ({"offset": "1000001"}, "between 0 and 1000000"),
    ({"search": "s" * 101}, "search is at most 100 characters"),
])
def test_bad_parameters_name_the_problem(model, params, words):
    with pytest.raises(Malformed, match=words):
        catalogue.products_page(model, params)


def test_metadata_schema_wraps_the_models_fields(model):
    assert [f["name"] for f in catalogue.metadata_schema(model)["fields"]] == ["AGE", "SEX"]
