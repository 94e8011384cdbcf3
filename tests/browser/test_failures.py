"""What a person sees when things go wrong, on a phone, and what the page must never do."""
from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from pageflow import api_get, choose_products, fill_field, open_site, select_mode, submit_and_wait, valid_value

pytestmark = [pytest.mark.browser, pytest.mark.slow]

RECOMMENDATIONS = re.compile(r"/recommendations$")
PRODUCTS = re.compile(r"/products(\?|$)")


def test_metadata_form_validation(site, page, shot):
    fields = api_get(site.api_url, "/metadata-schema")["fields"]
    whole = [f for f in fields if f["type"] == "integer"]
    assert whole, "the schema should have a whole-number field"
    field = whole[0]
    label = field["label"] or field["name"]
    open_site(page, site.url)
    select_mode(page, "Provide Metadata")
    control = page.locator(f"#md-{field['name']}")

    fill_field(page, field, "34.5")
    expect(page.locator(f"#md-{field['name']}-error")).to_contain_text(f"{label} must be a whole number")
    expect(control).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#submit")).to_be_disabled()
    expect(page.locator("#missing")).to_contain_text("correct the detail marked in red")
    shot(page, "invalid")

    fill_field(page, field, valid_value(field))
    expect(page.locator(f"#md-{field['name']}-error")).to_have_text("")
    expect(control).to_have_attribute("aria-invalid", "false")
    expect(page.locator("#submit")).to_be_enabled()


def test_api_rejection_shows_the_apis_message(site, page, shot):
    def break_first_item(route):
        body = json.loads(route.request.post_data)
        body["items"][0] = "no-such-product-id"
        route.continue_(post_data=json.dumps(body))

    open_site(page, site.url)
    choose_products(page, 5)
    page.route(RECOMMENDATIONS, break_first_item)
    with page.expect_response(RECOMMENDATIONS) as answer:
        page.get_by_role("button", name="Get Recommendations").click()
    assert answer.value.status == 422
    message = answer.value.json()["message"]

    notice = page.locator("#notice")
    expect(notice).to_be_visible()
    expect(notice).to_contain_text("The service could not use this request")
    expect(notice).to_contain_text(message)
    expect(page.locator("#submit")).to_be_enabled()
    shot(page, "notice", full_page=False)


def test_api_unreachable_is_explained_and_recoverable(site, page, shot):
    page.route(PRODUCTS, lambda route: route.abort("connectionrefused"))
    page.goto(site.url)
    expect(page.locator(".card--error")).to_contain_text("Products could not be loaded")
    expect(page.locator(".card--error")).to_contain_text("cannot be reached")
    shot(page, "products")

    page.unroute(PRODUCTS)
    page.get_by_role("button", name="Try again").click()
    expect(page.locator("#track .card[data-item-id]").first).to_be_visible()

    choose_products(page, 5)
    page.route(RECOMMENDATIONS, lambda route: route.abort("connectionrefused"))
    page.get_by_role("button", name="Get Recommendations").click()
    expect(page.locator("#notice")).to_contain_text("The recommendation service cannot be reached")
    expect(page.locator("#submit")).to_be_enabled()
    shot(page, "recommendations", full_page=False)


def test_slow_answer_shows_loading_then_a_notice(site, page, shot):
    held = []
    open_site(page, site.url)
    choose_products(page, 5)
    page.route(RECOMMENDATIONS, lambda route: held.append(route))
    page.get_by_role("button", name="Get Recommendations").click()

    expect(page.locator("#submit")).to_be_disabled()
    expect(page.locator("#submit")).to_have_text("Finding…")
    expect(page.locator("#status")).to_have_text("Finding recommendations…")
    expect(page.locator("#status")).to_contain_text("taking longer than usual", timeout=6000)
    shot(page, "waiting", full_page=False)

    held[0].continue_()
    # the held request now really runs (maybe the session's first, cold, recommendation): wait as
    # long as the page itself would (api.js TIMEOUT_MS), not expect's default 5 s
    expect(page.locator("#results-section .result").first).to_be_visible(timeout=30_000)
    expect(page.locator("#status")).to_have_text("")
    expect(page.locator("#submit")).to_have_text("Get Recommendations")


def test_missing_api_address_is_explained(site, page, shot):
    def placeholder(route):
        response = route.fetch()
        html = re.sub(r'(<meta name="api-url" content=")[^"]*(")', r"\1__API_URL__\2", response.text())
        route.fulfill(response=response, body=html)

    page.route(re.compile(re.escape(site.url) + "$"), placeholder)
    page.goto(site.url)
    expect(page.locator("#notice")).to_contain_text("does not know where the recommendation service is")
    expect(page.locator("#submit")).to_be_disabled()
    shot(page, "notice", full_page=False)


def test_happy_path_has_no_console_errors_and_stays_on_the_sites_origin(site, page):
    open_site(page, site.url)
    select_mode(page, "Both")
    choose_products(page, 5)
    field = api_get(site.api_url, "/metadata-schema")["fields"][0]
    fill_field(page, field, valid_value(field))
    submit_and_wait(page)
    page.locator("#results-section .feedback__button").first.click()
    expect(page.locator("#results-section .feedback__status").first).to_have_text("Thanks!")

    assert page.log.console_errors == []
    assert page.log.page_errors == []
    assert page.log.origins() == {site.origin}, page.log.origins()


def test_phone_width_fits_and_works(site, phone_page, shot):
    page = phone_page
    overflow = "document.documentElement.scrollWidth - window.innerWidth"
    open_site(page, site.url)
    assert page.evaluate(overflow) <= 0
    shot(page, "start")
    choose_products(page, 5)
    submit_and_wait(page)
    assert page.evaluate(overflow) <= 0
    shot(page, "results")
    select_mode(page, "Provide Metadata")
    assert page.evaluate(overflow) <= 0
    shot(page, "metadata")


def test_the_site_sends_the_shared_security_headers_and_nothing_breaks_them(site, page):
    """The same values CloudFront's response headers policy sends (terraform/modules/website/security_headers.json)."""
    spec = json.loads((Path(__file__).resolve().parents[2] / "terraform" / "modules" / "website"
                       / "security_headers.json").read_text())
    api_origin = "{0.scheme}://{0.netloc}".format(urlsplit(site.api_url))
    violations = []
    page.on("console", lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None)
    with page.expect_response(site.url) as first:
        open_site(page, site.url)
    headers = first.value.headers
    csp = headers["content-security-policy"]
    assert csp == spec["content_security_policy"].replace("{api_origin}", api_origin)
    assert "'unsafe-inline'" not in csp and "frame-ancestors 'none'" in csp
    assert headers["x-content-type-options"] == "nosniff" and headers["x-frame-options"] == "DENY"
    assert headers["strict-transport-security"].startswith(
        f"max-age={spec['strict_transport_security']['max_age_seconds']}")
    assert headers["referrer-policy"] == spec["referrer_policy"]
    choose_products(page, 5)
    submit_and_wait(page)
    assert violations == [] and page.log.console_errors == []
    inline = page.evaluate("""() => ({
        scripts: [...document.scripts].filter(s => !s.src).length,
        styled: document.querySelectorAll('[style]').length - document.querySelectorAll('.bar__fill').length})""")
    assert inline == {"scripts": 0, "styled": 0}, inline
