"""Browser fixtures: Debian's Chromium driven by Playwright against the deployed stack.

`deployed_stack` (tests/fixtures_stack.py) deploys the product to the local cloud and gives the
site's URL; every page here records its console errors and the URLs it requested, so tests can
assert that nothing failed and that nothing left for another origin.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 812}


@dataclass
class PageLog:
    """What a page did: console errors, uncaught exceptions and every requested URL."""

    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)

    def origins(self) -> set[str]:
        """Origins of every http(s) request the page made."""
        return {f"{u.scheme}://{u.netloc}" for u in map(urlsplit, self.requests) if u.scheme in ("http", "https")}


@dataclass
class Site:
    """The deployed site as the tests see it."""

    url: str
    api_url: str

    @property
    def origin(self) -> str:
        parts = urlsplit(self.url)
        return f"{parts.scheme}://{parts.netloc}"


@pytest.fixture(scope="session")
def site(deployed_stack) -> Site:
    """The deployed website and API URLs."""
    return Site(url=deployed_stack.website_url, api_url=deployed_stack.api_url.rstrip("/"))


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole session."""
    if not CHROMIUM.exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: install Debian's package (apt-get install chromium) "
                    "or set CHROMIUM to its path.", pytrace=False)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def _open(browser, viewport):
    context = browser.new_context(viewport=viewport)
    context.set_default_timeout(10_000)
    page = context.new_page()
    log = PageLog()
    page.on("console", lambda msg: log.console_errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: log.page_errors.append(str(exc)))
    page.on("request", lambda request: log.requests.append(request.url))
    page.log = log
    return context, page


@pytest.fixture
def page(browser):
    """A fresh desktop-sized page; `page.log` is its PageLog."""
    context, page = _open(browser, DESKTOP)
    yield page
    context.close()


@pytest.fixture
def phone_page(browser):
    """A fresh page at a phone's width (375 px)."""
    context, page = _open(browser, PHONE)
    yield page
    context.close()


@pytest.fixture
def shot(request):
    """Save a screenshot of a page under test-artifacts/screenshots/<test>-<state>.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    test = re.sub(r"^test_", "", request.node.name)

    def take(page, state: str, full_page: bool = True) -> Path:
        path = SCREENSHOTS / f"{test}-{state}.png"
        page.screenshot(path=str(path), full_page=full_page)
        return path

    return take
