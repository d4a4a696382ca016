"""In a real browser: `sitegen serve` reloads the open pages an edit changed, and only those.

A broken edit lays the errors over the last good page; the fix clears them.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.conftest import write
from tests.test_serve import serving

if TYPE_CHECKING:
    from playwright.sync_api import Page

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
IMEC = "content/partners/imec/en.md"


def _require_browser() -> None:
    """Skip without Chromium or Playwright, except under CI where they must be installed."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing = "Playwright is not installed (pip install -e '.[test]')"
    else:
        missing = (
            "" if CHROMIUM.exists() else "Chromium is not installed (apt-get install chromium)"
        )
    if missing and os.environ.get("CI"):
        pytest.fail(f"{missing}; CI is set, so the browser test must run")
    if missing:
        pytest.skip(missing)


@pytest.fixture
def served(site: Path) -> Iterator[str]:
    _require_browser()
    with serving(site) as base:
        yield base


def listening(page: Page) -> None:
    """Mark the page (a reload forgets the mark) once its reload script is connected."""
    page.wait_for_function("sessionStorage.getItem('sitegen-last-event') !== null")
    page.evaluate("window.notReloaded = true")


def edit_break_and_fix(served: str, site: Path) -> None:
    """The editor's steps in Chromium: a broken link, then the fix."""
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            page = browser.new_page()
            page.goto(served + "/en/partners/imec/")
            listening(page)
            overlay = page.locator("#sitegen-errors")
            expect(overlay).to_have_count(0)
            text = (site / IMEC).read_text()
            broken = text.replace("See the [ICT cluster]", "See the [ICT](/clusters/itc)")
            write(site / IMEC, broken)
            expect(overlay).to_be_visible(timeout=20_000)
            assert page.evaluate("window.notReloaded") is None  # our script reloaded it
            expect(overlay).to_contain_text(f"{IMEC}:5:41: error: there is no page '/clusters/itc'")
            expect(overlay).to_contain_text("hint: did you mean '/clusters/ict'?")
            expect(overlay).to_contain_text("See the [ICT](/clusters/itc)")  # the line, and
            expect(overlay).to_contain_text(" " * 40 + "^")  # a caret under column 41
            expect(page.locator("main")).to_contain_text("imec was founded in 1984")
            write(site / IMEC, text.replace("founded in 1984", "founded in 1984 (fixed)"))
            expect(overlay).to_have_count(0, timeout=20_000)
            expect(page.locator("main")).to_contain_text("founded in 1984 (fixed)")
            page.goto(served + "/_status/")
            expect(page.locator("h1")).to_have_text("Translation status")
        finally:
            browser.close()


def test_overlay_appears_in_the_browser_after_a_broken_edit_and_clears_after_the_fix(
    served: str, site: Path
) -> None:
    # A thread of its own: Playwright's sync API refuses to start while another test's
    # session-wide Playwright is running in this thread.
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(edit_break_and_fix, served, site).result(timeout=180)


def edit_one_of_two_open_pages(served: str, site: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            context = browser.new_context()
            imec, vib = context.new_page(), context.new_page()
            imec.goto(served + "/en/partners/imec/index.html")
            vib.goto(served + "/en/partners/vib/")
            for page in (imec, vib):
                listening(page)
            text = (site / IMEC).read_text()
            write(site / IMEC, text.replace("founded in 1984", "founded in 1984 (edited)"))
            expect(imec.locator("main")).to_contain_text("(edited)", timeout=20_000)
            assert imec.evaluate("window.notReloaded") is None
            vib.wait_for_timeout(500)  # the same event reached both tabs; give it time to act
            assert vib.evaluate("window.notReloaded") is True
        finally:
            browser.close()


def test_only_the_open_page_an_edit_changed_reloads(served: str, site: Path) -> None:
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(edit_one_of_two_open_pages, served, site).result(timeout=180)
