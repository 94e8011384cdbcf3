"""Each mode end to end in Chromium against the deployed stack, exactly-5, swap, keyboard only."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from pageflow import (api_get, choose_products, fill_field, open_site, select_mode, shown_results,
                      submit_and_wait, valid_value)

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def schema(site) -> list[dict]:
    """The metadata fields the deployed model knows."""
    fields = api_get(site.api_url, "/metadata-schema")["fields"]
    assert fields, "the deployed model should know at least one metadata field"
    return fields


def assert_matches_stored(site, page, mode: str) -> dict:
    """The list on the page is the one the API stored under the request id shown."""
    request_id = page.locator(".request-id code").inner_text()
    stored = api_get(site.api_url, f"/recommendations/{request_id}")
    assert stored["mode"] == mode
    shown = shown_results(page)
    assert [r["item_id"] for r in shown] == [r["item_id"] for r in stored["recommendations"]]
    assert all(r["reason"].strip() for r in shown), "every recommendation shows its reason"
    widths = [r["bar"] for r in shown]
    assert widths == sorted(widths, reverse=True) and widths[0] == pytest.approx(100), widths
    return stored


def test_products_mode_end_to_end(site, page, shot):
    open_site(page, site.url)
    shot(page, "start")
    chosen = choose_products(page, 5)
    expect(page.locator("#counter")).to_have_text("5 of 5 chosen")
    expect(page.locator("#missing")).to_contain_text("Ready")
    shot(page, "chosen")

    submit_and_wait(page)

    stored = assert_matches_stored(site, page, "products")
    assert stored["items"] == chosen
    assert not set(chosen) & {r["item_id"] for r in shown_results(page)}, "chosen products are never recommended"
    shot(page, "results")


def test_metadata_mode_end_to_end(site, page, shot, schema):
    open_site(page, site.url)
    select_mode(page, "Provide Metadata")
    expect(page.locator("#products-section")).to_be_hidden()
    for field in schema:
        expect(page.get_by_label(field["label"] or field["name"], exact=True)).to_be_visible()
    expect(page.locator("#submit")).to_be_disabled()
    expect(page.locator("#missing")).to_contain_text("fill in at least one customer detail")

    field = schema[0]
    fill_field(page, field, valid_value(field))
    expect(page.locator("#submit")).to_be_enabled()
    shot(page, "form")
    submit_and_wait(page)

    stored = assert_matches_stored(site, page, "metadata")
    assert list(stored["metadata"]) == [field["name"]]
    shot(page, "results")


def test_both_mode_then_swap_shows_how_the_list_changes(site, page, shot, schema):
    open_site(page, site.url)
    select_mode(page, "Both")
    chosen = choose_products(page, 5)
    expect(page.locator("#missing")).to_contain_text("fill in at least one customer detail")
    fill_field(page, schema[0], valid_value(schema[0]))
    submit_and_wait(page)
    first = assert_matches_stored(site, page, "both")
    assert first["items"] == chosen

    page.get_by_role("button", name=f"Swap {page.locator('.chip__name').first.inner_text()} for another product").click()
    expect(page.locator("#chosen-hint")).to_contain_text("Pick a product in the carousel to replace")
    replacement = page.locator('#track .pick[aria-pressed="false"]').first
    new_id = replacement.get_attribute("data-item-id")
    replacement.click()

    expect(page.locator(".results__compare")).to_contain_text("After swapping")
    expect(page.locator(".request-id code")).not_to_have_text(first["request_id"])
    second = assert_matches_stored(site, page, "both")
    assert second["items"] == [new_id] + chosen[1:]
    assert page.locator("#results-section .result .change").count() == len(second["recommendations"])
    shot(page, "swapped")


def test_exactly_five_products_can_be_chosen(site, page, shot):
    open_site(page, site.url)
    choose_products(page, 3)
    expect(page.locator("#counter")).to_have_text("3 of 5 chosen")
    expect(page.locator("#missing")).to_have_text("To get recommendations, choose 2 more products.")
    expect(page.locator("#submit")).to_be_disabled()

    choose_products(page, 2)
    expect(page.locator("#submit")).to_be_enabled()
    expect(page.locator('#track .pick[aria-pressed="true"]')).to_have_count(5)
    unchosen = page.locator('#track .pick[aria-pressed="false"]')
    assert unchosen.count() > 0, "the catalogue should hold more than 5 products"
    for index in range(unchosen.count()):
        expect(unchosen.nth(index)).to_be_disabled()
    shot(page, "full")

    page.locator('#track .pick[aria-pressed="true"]').first.click()
    expect(page.locator("#counter")).to_have_text("4 of 5 chosen")
    expect(page.locator("#submit")).to_be_disabled()
    expect(unchosen.first).to_be_enabled()


def tab_until(page, selector: str, limit: int = 60) -> None:
    """Press Tab until the focused element matches `selector`."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement && document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def test_keyboard_only_through_products_mode(site, page, shot):
    open_site(page, site.url)
    tab_until(page, 'input[name="mode"]:checked')
    page.keyboard.press("ArrowRight")
    expect(page.locator("#metadata-section")).to_be_visible()
    expect(page.locator("#products-section")).to_be_hidden()
    page.keyboard.press("ArrowLeft")
    expect(page.locator("#products-section")).to_be_visible()

    for picked in range(1, 6):
        tab_until(page, '#track .pick[aria-pressed="false"]')
        outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
        assert outline != "none", "a focused button shows a focus ring"
        page.keyboard.press("Enter")
        expect(page.locator("#counter")).to_have_text(f"{picked} of 5 chosen")
    tab_until(page, "#submit")
    shot(page, "ready", full_page=False)
    page.keyboard.press("Enter")

    expect(page.locator("#results-section .result").first).to_be_visible()
    expect(page.locator("#results-heading")).to_be_focused()
    shot(page, "results")
