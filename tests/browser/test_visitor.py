"""What the four visitors of issue 14 ran into: a phone in German, a desktop in French, no
JavaScript in Dutch, the keyboard in English; and the investor's way to the next step."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page

from tests.browser.conftest import LANGUAGES, Served
from tests.browser.test_accessibility import audit

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1440, "height": 900}
HEADER_LIMIT = 120


def test_phone_header_is_under_120_pixels_in_every_language(
    browser: Browser, site: Served, samples: dict[str, dict[str, str]]
) -> None:
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    tall = []
    for kind in ("home", "partner", "search"):
        for lang, url in samples[kind].items():
            page.goto(site.url(url))
            height = page.locator(".masthead").bounding_box()
            assert height is not None
            if height["height"] >= HEADER_LIMIT:
                tall.append(f"{kind} {lang}: {height['height']:.0f}px")
    context.close()
    assert not tall, "phone header too tall: " + ", ".join(tall)


def test_menu_fits_one_row_at_1440_pixels_in_every_language(
    browser: Browser, site: Served, samples: dict[str, dict[str, str]]
) -> None:
    context = browser.new_context(viewport=DESKTOP, java_script_enabled=False)
    page = context.new_page()
    for lang, url in samples["home"].items():
        page.goto(site.url(url))
        tops = {round(box["y"]) for box in _boxes(page, ".menu li")}
        assert len(tops) == 1, f"{lang}: the menu wraps onto {len(tops)} rows"
    context.close()


def test_home_page_shows_the_way_to_the_invest_page_on_a_phone_without_scrolling(
    browser: Browser, site: Served, samples: dict[str, dict[str, str]]
) -> None:
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    for lang, url in samples["home"].items():
        page.goto(site.url(url))
        invest = samples["page"][lang]
        link = page.locator(f"main a[href='{invest}']").first
        box = link.bounding_box()
        assert box is not None, f"{lang}: the home page has no link to {invest}"
        assert box["y"] + box["height"] <= PHONE["height"], f"{lang}: the link is below the fold"
    context.close()


def _boxes(page: Page, selector: str) -> list[dict[str, float]]:
    return page.eval_on_selector_all(
        selector,
        "els => els.map(e => { const b = e.getBoundingClientRect();"
        " return {x: b.x, y: b.y + scrollY, width: b.width, height: b.height}; })",
    )


@pytest.mark.parametrize("width", [700, 1280])
def test_no_card_is_alone_on_the_last_row(browser: Browser, site: Served, width: int) -> None:
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    lone = []
    for url in ("/en/partners/", "/en/clusters/", "/en/initiatives/", "/de/partner/", "/en/"):
        page.goto(site.url(url))
        boxes = _boxes(page, ".cards > li")
        rows: dict[int, int] = {}
        for box in boxes:
            rows[round(box["y"])] = rows.get(round(box["y"]), 0) + 1
        if len(boxes) > 1 and rows[max(rows)] == 1:
            lone.append(f"{url} ({len(boxes)} cards)")
    context.close()
    assert not lone, f"a lone card on the last row at {width}px: " + ", ".join(lone)


def test_footer_ends_at_the_bottom_of_a_short_page(browser: Browser, site: Served) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    page = context.new_page()
    for lang in LANGUAGES:
        page.goto(site.url(f"/{lang}/404.html"))
        box = page.locator("body > .footer").bounding_box()
        assert box is not None
        gap = 1000 - (box["y"] + box["height"])
        assert abs(gap) < 1, f"{lang}: the footer ends {gap:.0f}px above the bottom"
    context.close()


def test_404_page_menu_offers_search(
    browser: Browser, site: Served, samples: dict[str, dict[str, str]]
) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    for lang in LANGUAGES:
        page.goto(site.url(f"/{lang}/404.html"))
        search = samples["search"][lang].split("?")[0]
        assert page.locator(f".menu a[href='{search}']").count() == 1, f"{lang}: no Search"
    context.close()


def test_switching_language_on_the_search_page_keeps_the_query(
    browser: Browser, site: Served, samples: dict[str, dict[str, str]]
) -> None:
    context = browser.new_context()
    page = context.new_page()
    page.goto(site.url(samples["search"]["en"]))  # ?q=imec
    page.locator("#search-results li").first.wait_for(timeout=10_000)
    page.locator(".langs a[hreflang='nl']").click()
    page.wait_for_load_state()
    assert page.url.endswith("?q=imec"), page.url
    assert page.locator("#search-input").input_value() == "imec"
    page.locator("#search-input").fill("vib")
    page.locator("#search-form button").click()
    page.locator("#search-results li").first.wait_for(timeout=10_000)
    page.locator(".langs a[hreflang='fr']").click()
    page.wait_for_load_state()
    assert page.url.endswith("?q=vib"), page.url
    context.close()


def test_cluster_graph_has_its_links_as_text_and_the_page_passes_axe(
    browser: Browser, site: Served, samples: dict[str, dict[str, str]]
) -> None:
    context = browser.new_context(reduced_motion="reduce")
    page = context.new_page()
    problems: list[str] = []
    for lang, url in samples["cluster"].items():
        problems += audit(page, site.url(url))
        svg = page.locator(".graph svg.graph-svg")
        assert svg.get_attribute("aria-hidden") == "true", f"{lang}: the graph is not hidden"
        nodes = page.locator(".graph-svg rect.node").count()
        links = page.locator(".graph-list a")
        assert nodes > 0 and links.count() == nodes, f"{lang}: {nodes} nodes, {links.count()} links"
        assert all(links.nth(i).is_visible() for i in range(links.count()))
    helix = samples["initiative"]["en"].replace("eit-health", "strategic-platform")
    problems += audit(page, site.url(helix))
    image = page.locator("figure.helix svg[role='img']")
    assert image.count() == 1 and (image.locator("title").text_content() or "").strip()
    context.close()
    assert not problems, "\n".join(problems)


def test_every_figure_has_a_year_and_a_source_link_in_every_language(
    browser: Browser, site: Served, samples: dict[str, dict[str, str]]
) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    sources = {}
    for lang, url in samples["home"].items():
        page.goto(site.url(url))
        figures = page.locator(".figures li.figure")
        assert figures.count() >= 3, f"{lang}: the figures band has {figures.count()} figures"
        found = []
        for i in range(figures.count()):
            figure = figures.nth(i)
            year = figure.locator("time").inner_text()
            link = figure.locator("a[href^='http']")
            assert year.isdigit() and len(year) == 4, f"{lang}: figure {i + 1} has no year"
            assert link.count() == 1, f"{lang}: figure {i + 1} has no source link"
            found.append(
                (figure.locator(".figure-value").inner_text(), year, link.get_attribute("href"))
            )
        sources[lang] = [(y, h) for _, y, h in found]
    context.close()
    assert all(s == sources["en"] for s in sources.values()), "the languages show other figures"


def test_cluster_and_partner_pages_lead_to_the_invest_page(
    browser: Browser, site: Served, samples: dict[str, dict[str, str]]
) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    for kind in ("cluster", "partner"):
        for lang, url in samples[kind].items():
            page.goto(site.url(url))
            box = page.locator(".next-step")
            assert box.count() == 1, f"{kind} {lang}: no next step"
            assert box.locator(f"a[href='{samples['page'][lang]}']").count() == 1
            assert box.locator("a[href='https://www.flandersinvestmentandtrade.com']").count() == 1
    context.close()
