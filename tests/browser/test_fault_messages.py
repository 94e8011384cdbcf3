"""What the page says when a step of the service fails, times out or is throttled, and that it recovers."""
from __future__ import annotations

import pytest
from fault_drills import arm, disarm
from playwright.sync_api import expect

from pageflow import choose_products, open_site, submit_and_wait

pytestmark = [pytest.mark.browser, pytest.mark.stack, pytest.mark.slow]

FAULTS = {
    "a step fails": ({"service": "lambda", "kind": "error", "function": "recommend"},
                     "A step of the recommendation workflow failed; nothing was stored"),
    "a step times out": ({"service": "lambda", "kind": "timeout", "function": "recommend"},
                         "The recommendation took too long; nothing was stored"),
    "the store is throttled": ({"service": "dynamodb", "kind": "throttle", "operation": "TransactWriteItems"},
                               "The service is busy; nothing was stored"),
}


@pytest.mark.parametrize("name", list(FAULTS))
def test_the_page_says_what_happened_and_the_next_try_works(deployed_stack, site, page, shot, name):
    rule, lead = FAULTS[name]
    if "function" in rule:
        rule = dict(rule, function=deployed_stack.outputs["function_names"][rule["function"]])
    open_site(page, site.url)
    choose_products(page, 5)
    arm(deployed_stack, count=-1, **rule)
    try:
        page.get_by_role("button", name="Get Recommendations").click()
        notice = page.locator("#notice")
        expect(notice).to_contain_text(lead, timeout=20_000)
        expect(notice).to_contain_text("request id")
        expect(page.locator("#submit")).to_be_enabled()
        shot(page, "notice", full_page=False)
    finally:
        disarm(deployed_stack)
    submit_and_wait(page)
    expect(notice).to_be_hidden()
