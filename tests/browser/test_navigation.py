"""Visitors without JavaScript, on small screens, or switching language stay on track."""

from __future__ import annotations

from playwright.sync_api import Browser, Page

from tests.browser.conftest import LANGUAGES, Served

SWITCHER_LINKS = ".langs a[hreflang]"


def switcher(page: Page) -> dict[str, str]:
    """Language code -> address of each link in the language switcher."""
    links = page.locator(SWITCHER_LINKS)
    return {
        str(links.nth(i).get_attribute("hreflang")): str(links.nth(i).get_attribute("href"))
        for i in range(links.count())
    }


def test_navigation_switcher_and_content_work_without_javascript(
    browser: Browser, site: Served
) -> None:
    context = browser.new_context(java_script_enabled=False, viewport={"width": 375, "height": 800})
    page = context.new_page()
    page.goto(site.url("/"))
    page.locator(".choices a[hreflang='nl']").click()
    assert page.url == site.url("/nl/") and page.locator("html").get_attribute("lang") == "nl"

    menu_item = page.locator(".menu a[href$='/partners/']")
    title = menu_item.inner_text()
    menu_item.click()
    assert page.locator("h1").inner_text() == title

    card = page.locator(".cards a[href$='/imec/']")
    card.click()
    assert page.url == site.url("/nl/partners/imec/")
    assert len(page.locator("article .prose").inner_text()) > 500
    assert page.locator(".facts a[href^='https://']").count() == 1

    page.locator(f"{SWITCHER_LINKS}[hreflang='fr']").click()
    assert page.url == site.url("/fr/partenaires/imec/")
    assert page.locator("html").get_attribute("lang") == "fr"
    page.locator(".crumbs a").last.click()
    assert page.url == site.url("/fr/partenaires/")
    context.close()


def test_language_switcher_keeps_the_visitor_on_the_same_page(
    browser: Browser, site: Served, samples: dict[str, dict[str, str]]
) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    for kind in ("home", "section", "partner", "news"):  # test_markup checks every page
        urls = samples[kind]
        page.goto(site.url(urls["en"]))
        same_page = switcher(page)
        for lang in (*LANGUAGES[1:], LANGUAGES[0]):  # en -> nl -> fr -> de -> en, by clicks
            page.locator(f"{SWITCHER_LINKS}[hreflang='{lang}']").click()
            assert page.url == site.url(same_page[lang]), f"{kind}: {lang} went elsewhere"
            assert page.locator("html").get_attribute("lang") == lang
            current = page.locator(f"{SWITCHER_LINKS}[aria-current]")
            assert current.get_attribute("hreflang") == lang
            assert switcher(page) == same_page, f"{kind} in {lang} switches to other pages"
    context.close()


def test_languages_are_named_in_their_own_language(
    browser: Browser, site: Served, samples: dict[str, dict[str, str]]
) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site.url(samples["partner"]["de"]))
    names = {
        str(a.get_attribute("lang")): a.inner_text() for a in page.locator(SWITCHER_LINKS).all()
    }
    assert names == {"en": "English", "nl": "Nederlands", "fr": "Français", "de": "Deutsch"}
    context.close()


def test_no_page_type_scrolls_sideways_at_320_pixels(
    browser: Browser, site: Served, samples: dict[str, dict[str, str]]
) -> None:
    context = browser.new_context(java_script_enabled=False, viewport={"width": 320, "height": 640})
    page = context.new_page()
    too_wide = []
    addresses = sorted({url for urls in samples.values() for url in urls.values()} | {"/"})
    for url in addresses:
        page.goto(site.url(url))
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 320:
            too_wide.append(f"{url}: {width}px")
    context.close()
    assert not too_wide, "wider than the screen: " + ", ".join(too_wide)
