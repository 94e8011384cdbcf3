"""Open the site in Chromium, pick five products, ask for recommendations; print how many were shown
and save a screenshot. Run as a script (`python site_in_chromium.py URL PNG`): in its own process,
so it works beside a test session's running Playwright."""
import json
import os
import sys

from playwright.sync_api import expect, sync_playwright

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")


def main(url: str, png: str) -> None:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.set_default_timeout(20_000)
            errors = []
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.goto(url)
            for _ in range(5):
                page.locator('#track .pick[aria-pressed="false"]:not([disabled])').first.click()
            page.get_by_role("button", name="Get Recommendations").click()
            # the first request after an apply meets cold functions (several seconds on a busy machine)
            expect(page.locator("#results-section .result").first).to_be_visible(timeout=60_000)
            page.screenshot(path=png, full_page=True)
            print(json.dumps({"shown": page.locator("#results-section .result").count(), "errors": errors}))
        finally:
            browser.close()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
