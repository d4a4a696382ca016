"""Search in a real browser: each language's search page finds pages in that language only."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect

from tests.browser.conftest import SWITCHER, Served

# Per language: a name every language's pages use, and that language's word for university.
QUERIES = {
    "en": ("imec", "university"),
    "nl": ("imec", "universiteit"),
    "fr": ("imec", "université"),
    "de": ("imec", "universität"),
}


@pytest.mark.parametrize("lang", sorted(QUERIES))
def test_search_finds_pages_only_in_the_visitors_language(
    lang: str, site: Served, browser: Browser
) -> None:
    english = (site.root / "en/search/index.html").read_text(encoding="utf-8")
    search_url = {code: url for url, code in SWITCHER.findall(english)}[lang]
    page = browser.new_page()
    try:
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(site.url(search_url))
        box = page.locator("#search-input")
        expect(box).to_be_visible()
        for word in QUERIES[lang]:
            box.fill(word)
            box.press("Enter")
            links = page.locator("#search-results li a")
            expect(links.first).to_be_visible(timeout=10_000)
            hrefs = links.evaluate_all("els => els.map(e => e.getAttribute('href'))")
            assert all(h.startswith(f"/{lang}/") for h in hrefs), (word, hrefs)
            assert page.locator("#search-results mark").count() > 0
            expect(page.locator("#search-status")).not_to_be_empty()
        assert not errors
    finally:
        page.close()


def test_search_page_without_javascript_offers_the_list_of_all_pages(
    site: Served, browser: Browser
) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(site.url("/nl/zoeken/"))
        expect(page.locator("#search-form")).to_be_hidden()
        index = page.locator(".site-index")
        expect(index.get_by_role("link", name="imec", exact=True)).to_have_attribute(
            "href", "/nl/partners/imec/"
        )
        assert index.locator("a").count() > 50
    finally:
        context.close()
