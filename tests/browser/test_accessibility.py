"""axe-core finds no WCAG 2.2 A/AA problem, and the keyboard alone reaches every link."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Browser, Page

from tests.browser.conftest import AXE, LANGUAGES, SCREENSHOTS, WIDTHS, Served, require

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]


def axe_problems(page: Page, run_only: dict[str, object] | None = None) -> list[str]:
    """Run axe-core (already injected) in the page; one line per violation and its elements."""
    result: dict[str, Any] = page.evaluate(
        "runOnly => axe.run(document, {runOnly, resultTypes: ['violations']})",
        run_only or {"type": "tag", "values": AXE_TAGS},
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at "
        + ", ".join(" ".join(map(str, n["target"])) for n in v["nodes"][:5])
        for v in result["violations"]
    ]


def open_page(page: Page, url: str) -> None:
    """Load a page; a search page with a query only once Pagefind has shown its results."""
    page.goto(url)
    if "?q=" in url:
        page.locator("#search-results li").first.wait_for(timeout=10_000)


def audit(page: Page, url: str, shot: str | None = None, dark: bool = False) -> list[str]:
    """axe at every width, and in dark colours if asked, on one load of the page."""
    require(AXE.exists(), f"{AXE} is missing (run `npm ci` or `make test`)")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": WIDTHS[0], "height": 900})
    open_page(page, url)
    page.add_script_tag(path=str(AXE))
    problems: list[str] = []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        problems += [f"{url} at {width}px: {p}" for p in axe_problems(page)]
        if shot:
            page.screenshot(path=SCREENSHOTS / f"{shot}-{width}.png", full_page=True)
    if dark:
        page.emulate_media(color_scheme="dark")
        contrast = {"type": "rule", "values": ["color-contrast"]}
        problems += [f"{url} in dark colours: {p}" for p in axe_problems(page, contrast)]
        if shot:
            page.screenshot(path=SCREENSHOTS / f"{shot}-{WIDTHS[-1]}-dark.png", full_page=True)
        page.emulate_media(color_scheme="light")
    return problems


def test_every_page_type_in_every_language_has_no_axe_violations_at_both_widths(
    browser: Browser, site: Served, samples: dict[str, dict[str, str]]
) -> None:
    """English pages are also checked in dark colours; their screenshots go to reports/."""
    context = browser.new_context(reduced_motion="reduce")  # no colour fade while switching
    page = context.new_page()
    problems: list[str] = []
    addresses = [(kind, lang, url) for kind, urls in samples.items() for lang, url in urls.items()]
    for kind, lang, url in [*addresses, ("chooser", "all", "/")]:
        english = lang in ("en", "all")
        shot = f"{kind}-{lang}" if english or kind == "home" else None
        problems += audit(page, site.url(url), shot, dark=english)
    context.close()
    assert not problems, "\n".join(problems)


def test_untranslated_page_with_notice_has_no_axe_violations(
    browser: Browser, fallback_site: Served
) -> None:
    context = browser.new_context(reduced_motion="reduce")
    page = context.new_page()
    problems = audit(page, fallback_site.url("/de/partners/imec/"), "fallback-de", dark=True)
    assert page.locator(".notice").is_visible()
    context.close()
    assert not problems, "\n".join(problems)


FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  const box = el.getBoundingClientRect();
  return {
    key: el.getAttribute('href') + '|' + el.textContent.trim(),
    inMain: Boolean(el.closest('main')),
    outline: style.outlineStyle,
    width: parseFloat(style.outlineWidth),
    onScreen: box.width > 0 && box.height > 0 && box.bottom > 0 && box.top < innerHeight,
  };
}"""
REACHABLE = """() => [...document.querySelectorAll('a[href], button, input, select, textarea')]
  .filter(el => el.getClientRects().length && getComputedStyle(el).visibility !== 'hidden')
  .map(el => el.getAttribute('href') + '|' + el.textContent.trim())"""


@pytest.mark.parametrize("width", WIDTHS)
def test_keyboard_alone_reaches_every_link_with_a_visible_focus_ring(
    browser: Browser, site: Served, samples: dict[str, dict[str, str]], width: int
) -> None:
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    for kind in ("home", "cluster", "partner", "search"):
        open_page(page, site.url(samples[kind]["en"]))
        targets = page.evaluate(REACHABLE)
        wanted = set(targets)
        reached: list[dict[str, Any]] = []
        for _ in range(len(targets) + 3):
            page.keyboard.press("Tab")
            focused = page.evaluate(FOCUSED)
            if focused is None or (reached and focused["key"] == reached[0]["key"]):
                break
            reached.append(focused)
        assert reached[0]["onScreen"], "the skip link does not appear when focused"
        missing = wanted - {f["key"] for f in reached}
        assert not missing, f"{kind}: Tab never reaches {sorted(missing)[:5]}"
        no_ring = [f["key"] for f in reached if f["outline"] == "none" or f["width"] < 2]
        assert not no_ring, f"{kind}: no visible focus ring on {no_ring[:5]}"
        off_screen = [f["key"] for f in reached if not f["onScreen"]]
        assert not off_screen, f"{kind}: focused but scrolled out of view: {off_screen[:5]}"
    context.close()


def test_skip_link_moves_the_keyboard_to_the_content(
    browser: Browser, site: Served, samples: dict[str, dict[str, str]]
) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 800})
    page = context.new_page()
    for lang in LANGUAGES:
        page.goto(site.url(samples["partner"][lang]))
        page.keyboard.press("Tab")
        page.keyboard.press("Enter")
        page.keyboard.press("Tab")
        assert page.evaluate(FOCUSED)["inMain"], f"{lang}: Tab after the skip link left <main>"
    context.close()
