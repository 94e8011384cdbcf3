"""The carousel at MovieLens scale (1,682 items): paged from the API, searchable, filterable.

The deployed default catalogue holds about two dozen products, so here `/products` answers from
a 1,682-item catalogue built in the test, honouring the contract's search, category, offset and
limit; everything else (the page, the other routes) is the deployed stack.
"""
from __future__ import annotations

import json
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from pageflow import open_site

pytestmark = [pytest.mark.browser, pytest.mark.slow]

GENRES = ["Drama", "Comedy", "Action", "Thriller", "Romance", "Adventure", "Sci-Fi", "Horror"]
CATALOGUE = [{"item_id": str(i), "name": f"Film {i:04d}", "category": GENRES[i % len(GENRES)],
              "description": f"{1930 + i % 68} · {GENRES[i % len(GENRES)]}"} for i in range(1, 1683)]


def serve_catalogue(asked: list[dict]):
    """A route handler answering GET /products from CATALOGUE; records each query."""
    def handle(route):
        query = {k: v[0] for k, v in parse_qs(urlsplit(route.request.url).query).items()}
        asked.append(query)
        search, category = query.get("search", "").lower(), query.get("category", "")
        offset, limit = int(query.get("offset", 0)), int(query.get("limit", 50))
        hits = [p for p in CATALOGUE if (not category or p["category"] == category)
                and (not search or search in p["name"].lower() or search in p["description"].lower())]
        route.fulfill(status=200, content_type="application/json", body=json.dumps({
            "items": hits[offset:offset + limit], "total": len(hits), "offset": offset, "limit": limit,
            "categories": GENRES}))
    return handle


def test_large_catalogue_is_paged_searched_and_filtered(site, page, shot):
    asked: list[dict] = []
    page.route(re.compile(r"/products(\?|$)"), serve_catalogue(asked))
    open_site(page, site.url)
    status = page.locator("#catalogue-status")
    expect(status).to_contain_text("of 1,682 products")
    first_page = page.locator("#track .card[data-item-id]").count()
    assert 0 < first_page <= 200 and all(1 <= int(q["limit"]) <= 200 for q in asked)

    for _ in range(12):
        page.locator("#next").click()
        if page.locator("#track .card[data-item-id]").count() > first_page:
            break
        page.wait_for_timeout(300)
    assert page.locator("#track .card[data-item-id]").count() > first_page, "scrolling on loads the next page"
    assert int(asked[-1]["offset"]) == first_page

    page.get_by_label("Category").select_option("Horror")
    expect(status).to_contain_text(f"of {sum(p['category'] == 'Horror' for p in CATALOGUE)} products")
    expect(page.locator("#track .card[data-item-id] .badge").first).to_have_text("Horror")

    page.get_by_label("Search products").fill("film 16")
    expected = sum(p["category"] == "Horror" and "film 16" in p["name"].lower() for p in CATALOGUE)
    expect(status).to_have_text(f"Showing {expected} products.")
    assert asked[-1]["search"] == "film 16" and asked[-1]["category"] == "Horror" and asked[-1]["offset"] == "0"
    shot(page, "filtered", full_page=False)

    page.get_by_label("Search products").fill("no such film")
    expect(page.locator("#track")).to_contain_text('No products match "no such film"')
