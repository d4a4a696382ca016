"""Search in a real browser: each language's search page finds pages in that language only."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from sitegen import pipeline
from sitegen.render import search_parts
from tests.browser.conftest import SWITCHER, Served, serve
from tests.conftest import REPO

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


# What the index holds of each page Pagefind returns for a query: its full indexed text.
INDEXED_TEXT = """async ([bundle, query]) => {
  const pagefind = await import(bundle + 'pagefind.js');
  await pagefind.options({ baseUrl: '/', bundlePath: bundle });
  const search = await pagefind.search(query);
  const pages = await Promise.all(search.results.map((r) => r.data()));
  return Object.fromEntries(pages.map((p) => [p.url, p.content]));
}"""
# The page's own text, and the boxes and lists around it that a search must not quote.
OWN_TEXT = "main h1, main .lead, main .prose"
CHROME = (
    "main .eyebrow, main .notice, main .facts dd li, main .facts dd:not(:has(li)), "
    "main .links li a, main .cards h3, main .cards p, main .timeline h3"
)
CHROME_TEXT = f"""() => {{
  const own = [...document.querySelectorAll('{OWN_TEXT}')].map((e) => e.innerText).join(' ');
  return [...document.querySelectorAll('{CHROME}')]
    .map((e) => e.innerText.trim())
    .filter((text) => text && !own.includes(text));
}}"""


def test_search_quotes_only_the_pages_own_text_not_its_facts_or_link_lists(
    site: Served, browser: Browser
) -> None:
    page = browser.new_page()
    try:
        page.goto(site.url("/en/search/"))
        bundle = page.locator("#search-form").get_attribute("data-bundle")
        indexed: dict[str, str] = page.evaluate(INDEXED_TEXT, [bundle, "imec"])
        checked = {"/en/", "/en/partners/", "/en/partners/imec/", "/en/initiatives/leuven-genk/"}
        checked.add("/en/timeline/2016-iminds-merges-into-imec/")
        assert checked <= set(indexed), sorted(indexed)
        quoted: list[str] = []
        chrome_seen = 0
        for url in sorted(checked):
            page.goto(site.url(url))
            chrome: list[str] = page.evaluate(CHROME_TEXT)
            chrome_seen += len(chrome)
            # the index holds the text without the invisible word joiners typography adds
            assert page.locator("h1").inner_text().replace("\u2060", "") in indexed[url]
            quoted += [f"{url}: {text!r}" for text in chrome if text in indexed[url]]
        assert chrome_seen > 20, "the sample pages lost their facts boxes and link lists"
        assert not quoted, "\n".join(quoted)
    finally:
        page.close()


@pytest.fixture(scope="module")
def split_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """The real site with each language's index in parts of at most 20 pages, as a site
    with more than PAGES_PER_INDEX pages in one language gets them."""
    out = tmp_path_factory.mktemp("split") / "build"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(search_parts, "PAGES_PER_INDEX", 20)
        result = pipeline.build(REPO, out)
    assert result.ok, [d.format() for d in result.diagnostics]
    yield from serve(out)


def found(page: Page, url: str, query: str) -> tuple[str, set[str]]:
    """What the search page says after a search, and the addresses of the results shown."""
    page.goto(url)
    page.locator("#search-input").fill(query)
    page.locator("#search-input").press("Enter")
    expect(page.locator("#search-results li a").first).to_be_visible(timeout=10_000)
    hrefs = page.locator("#search-results li a").evaluate_all(
        "els => els.map(e => e.getAttribute('href'))"
    )
    return page.locator("#search-status").inner_text(), set(hrefs)


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_an_index_in_parts_finds_what_one_index_finds(
    lang: str, site: Served, split_site: Served, browser: Browser
) -> None:
    english = (site.root / "en/search/index.html").read_text(encoding="utf-8")
    search_url = {code: url for url, code in SWITCHER.findall(english)}[lang]
    split_page = (split_site.root / search_url.strip("/") / "index.html").read_text()
    assert "data-parts=" in split_page, "the split build has no parts to merge"
    page = browser.new_page()
    try:
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        for word in (*QUERIES[lang], "Gasthuisberg"):
            whole = found(page, site.url(search_url), word)
            merged = found(page, split_site.url(search_url), word)
            # "Pages found: N", the same N; the top 20 may come in another order, since
            # each part weighs a word by its own pages
            assert merged[0] == whole[0], word
            if word == "Gasthuisberg":  # fewer than 20 pages: all of them are shown
                assert len(whole[1]) < 20
                assert merged[1] == whole[1], word
        assert not errors
    finally:
        page.close()
