"""recommender_backend = both in Chromium: each mode shows our engine's list and Amazon Personalize's side by side."""
from __future__ import annotations

import pytest
import requests
from playwright.sync_api import expect

from pageflow import api_get, choose_products, fill_field, open_site, select_mode, submit_and_wait, valid_value

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.stack]


@pytest.fixture(scope="module")
def both_site(both_stack):
    """The site and API of the stack answering with both backends, its functions warmed by one request
    (their first start loads the model and Personalize's clients: seconds on a busy machine)."""
    api_url = both_stack.api_url.rstrip("/")
    body = {"mode": "both", "items": ["current_account", "payroll_account", "credit_card", "mortgage",
                                      "short_term_deposit"], "metadata": {"AGE": 40}}
    warmed = requests.post(f"{api_url}/recommendations", json=body, timeout=60)
    assert warmed.status_code == 200, warmed.text
    return both_stack.website_url, api_url


def _columns(page) -> list[dict]:
    return page.eval_on_selector_all(".compare__column", """cols => cols.map(c => ({
        backend: c.dataset.backend, title: c.querySelector('.compare__title').textContent,
        items: [...c.querySelectorAll('[data-item-id]')].map(r => r.dataset.itemId)}))""")


@pytest.mark.parametrize("mode", ["Select Products", "Provide Metadata", "Both"])
def test_each_mode_shows_the_two_rankings_side_by_side(both_site, page, shot, mode):
    url, api_url = both_site
    open_site(page, url)
    select_mode(page, mode)
    chosen = choose_products(page, 5) if mode != "Provide Metadata" else []
    if mode != "Select Products":
        field = api_get(api_url, "/metadata-schema")["fields"][0]
        fill_field(page, field, valid_value(field))
    submit_and_wait(page)

    expect(page.locator(".compare__column")).to_have_count(2)
    engine, personalize = _columns(page)
    assert (engine["backend"], engine["title"]) == ("builtin", "Our engine")
    assert (personalize["backend"], personalize["title"]) == ("personalize", "Amazon Personalize")
    stored = api_get(api_url, f"/recommendations/{page.locator('.request-id code').inner_text()}")
    assert engine["items"] == [r["item_id"] for r in stored["recommendations"]]
    assert personalize["items"] == [r["item_id"] for r in stored["compare"]["recommendations"]]
    assert len(personalize["items"]) == 10 and not set(chosen) & set(personalize["items"])
    assert not page.log.console_errors and not page.log.page_errors
    shot(page, mode.lower().replace(" ", "-"))


def test_side_by_side_stacks_on_a_phone(both_site, phone_page):
    url, _ = both_site
    open_site(phone_page, url)
    choose_products(phone_page, 5)
    submit_and_wait(phone_page)
    # one evaluation, in page coordinates: the results scroll into view smoothly meanwhile
    (top1, height1), (top2, _) = phone_page.eval_on_selector_all(".compare__column", """cols => cols.map(c => {
        const box = c.getBoundingClientRect(); return [box.top + window.scrollY, box.height]; })""")
    assert top2 >= top1 + height1 - 1, "the columns stack at a phone's width"
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, "nothing overflows the screen"
