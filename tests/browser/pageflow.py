"""Steps the browser tests share: open the site, pick a mode, choose products, fill the form."""
from __future__ import annotations

import json
import urllib.request

from playwright.sync_api import Page, expect


def api_get(api_url: str, path: str) -> dict:
    """GET a path of the deployed API and decode its JSON answer."""
    with urllib.request.urlopen(f"{api_url}{path}", timeout=10) as response:
        return json.loads(response.read())


def open_site(page: Page, url: str) -> None:
    """Load the site and wait until the first products are on show."""
    page.goto(url)
    expect(page.locator("#track .card[data-item-id]").first).to_be_visible()


def select_mode(page: Page, label: str) -> None:
    """Pick a mode by its visible name (Select Products, Provide Metadata, Both)."""
    page.get_by_label(label, exact=False).check()


def choose_products(page: Page, count: int) -> list[str]:
    """Choose the first `count` products not yet chosen; return their ids."""
    chosen = []
    for _ in range(count):
        button = page.locator('#track .pick[aria-pressed="false"]:not([disabled])').first
        chosen.append(button.get_attribute("data-item-id"))
        button.click()
    return chosen


def valid_value(field: dict) -> str:
    """A value the API accepts for a metadata field, as typed into the form."""
    if field["type"] == "categorical":
        return str(field["values"][0])
    low = field.get("minimum")
    high = field.get("maximum")
    if low is not None and high is not None:
        middle = (low + high) / 2
        return str(int(middle)) if field["type"] == "integer" else str(round(middle, 2))
    return str(low if low is not None else high if high is not None else 1)


def fill_field(page: Page, field: dict, value: str) -> None:
    """Enter one value into the metadata form and leave the field."""
    control = page.locator(f"#md-{field['name']}")
    if control.evaluate("element => element.tagName") == "SELECT":
        control.select_option(value)
    else:
        control.fill(value)
        control.blur()


def submit_and_wait(page: Page) -> None:
    """Press Get Recommendations and wait for the ranked list."""
    before = page.locator(".request-id code").all_inner_texts()
    page.get_by_role("button", name="Get Recommendations").click()
    expect(page.locator("#results-section .result").first).to_be_visible()
    if before:
        expect(page.locator(".request-id code")).not_to_have_text(before[0])


def shown_results(page: Page) -> list[dict]:
    """The ranked list as shown: item id, name, reason and bar width of each row."""
    return page.eval_on_selector_all("#results-section .result", """rows => rows.map(r => ({
        item_id: r.dataset.itemId,
        name: r.querySelector('.result__name').textContent,
        reason: r.querySelector('.result__reason').textContent,
        bar: parseFloat(r.querySelector('.bar__fill').style.width),
    }))""")
