"""Pages served by nginx, with its Content-Security-Policy, work in Chromium without violations."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from sitegen.output.hosting import CONTENT_SECURITY_POLICY
from tests.hosting.conftest import Hosted
from tests.hosting.server import require_tool

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext, ConsoleMessage, Page, Request
    from playwright.sync_api import Response as PwResponse

CHROMIUM = Path("/usr/bin/chromium")
LANGS = ("en", "nl", "fr", "de")
# Records what the browser blocked; added through the DevTools protocol, so the CSP allows it.
WATCH_CSP = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) =>
  window.__violations.push(`${e.effectiveDirective} blocked ${e.blockedURI || "inline"}`
    + ` at ${e.sourceFile}:${e.lineNumber}`));
"""

# Whether any stylesheet with rules was applied (one the policy blocked has none to read).
STYLED = """[...document.styleSheets].some((s) => {
  try { return s.cssRules.length > 0; } catch { return false; }
})"""


InBrowser = Callable[[Callable[["BrowserContext"], None]], None]


@pytest.fixture(scope="module")
def in_browser() -> InBrowser:
    """Run a check in a fresh context of Debian's Chromium, driven by Playwright.

    Each run gets a thread of its own: Playwright's sync API refuses to start in a thread where
    another test module's Playwright is still running.
    """
    require_tool(
        str(CHROMIUM) if CHROMIUM.exists() else None, "chromium", "apt-get install chromium"
    )
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        require_tool(None, "playwright", "pip install -e '.[test]'")
        raise

    def run(check: Callable[[BrowserContext], None]) -> None:
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=str(CHROMIUM),
                args=[
                    "--headless",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-background-networking",
                    "--disable-dev-shm-usage",  # containers give /dev/shm only 64 MB
                ],
            )
            try:
                context = browser.new_context()
                context.add_init_script(WATCH_CSP)
                check(context)
            finally:
                browser.close()

    def in_thread(check: Callable[[BrowserContext], None]) -> None:
        with ThreadPoolExecutor(max_workers=1) as pool:
            pool.submit(run, check).result()

    return in_thread


def _sample(site: Hosted) -> list[str]:
    """The chooser; per language its home and 404 page; in English every section and a page
    in each (the other languages use the same templates)."""
    paths = [""]
    for lang in LANGS:
        paths += [f"{lang}/", f"{lang}/no-such-page/"]
    for section in sorted(p for p in (site.build / "en").iterdir() if p.is_dir()):
        paths.append(f"en/{section.name}/")
        child = next((c for c in sorted(section.iterdir()) if (c / "index.html").is_file()), None)
        if child is not None:
            paths.append(f"en/{section.name}/{child.name}/")
    return paths


class _Watcher:
    """Collects, for the page being loaded, what went wrong in it."""

    def __init__(self, page: Page) -> None:
        self.url = ""
        self.problems: list[str] = []
        page.on("console", self._console)
        page.on("pageerror", lambda exc: self.problems.append(f"script error: {exc}"))
        page.on("requestfailed", self._failed)
        page.on("response", self._response)

    def _console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.problems.append(f"console error: {message.text}")

    def _failed(self, request: Request) -> None:
        # Leaving a page aborts what it was still loading (often the icon); that is no fault.
        if request.failure != "net::ERR_ABORTED":
            self.problems.append(f"request failed ({request.failure}): {request.url}")

    def _response(self, response: PwResponse) -> None:
        if response.status >= 400 and response.url != self.url:
            self.problems.append(f"{response.status}: {response.url}")

    def visit(self, page: Page, url: str) -> list[str]:
        """Load url; every CSP violation, script error, console error and failed request."""
        self.url, self.problems = url, []
        page.goto(url, wait_until="load")
        if not page.evaluate(STYLED):
            self.problems.append("no stylesheet was applied")
        return self.problems + page.evaluate("window.__violations")


def test_pages_work_under_the_content_security_policy(
    hosted: dict[str, Hosted], in_browser: InBrowser
) -> None:
    """Every kind of page under a subpath: nothing blocked by the policy, nothing broken.

    On the 404 pages the console reports the 404 itself; that one is expected.
    """
    site = hosted["sub"]
    found: dict[str, list[str]] = {}

    def check(context: BrowserContext) -> None:
        page = context.new_page()
        watcher = _Watcher(page)
        for path in _sample(site):
            problems = watcher.visit(page, site.url(path))
            if "no-such-page" in path:
                problems = [p for p in problems if "404" not in p]
            if problems:
                found[path] = problems

    in_browser(check)
    assert found == {}


def test_inline_script_and_style_would_be_reported(in_browser: InBrowser) -> None:
    """The check above can fail: a page with inline code under our policy shows violations."""
    url = "http://127.0.0.1:9/inline/"
    body = (
        "<!doctype html><html><head><style>p{color:red}</style></head>"
        "<body><script>document.title='x'</script><p style='color:blue'>x</p></body></html>"
    )
    problems: list[str] = []

    def check(context: BrowserContext) -> None:
        context.route(
            url,
            lambda route: route.fulfill(
                body=body,
                content_type="text/html",
                headers={"Content-Security-Policy": CONTENT_SECURITY_POLICY},
            ),
        )
        page = context.new_page()
        problems.extend(_Watcher(page).visit(page, url))

    in_browser(check)
    blocked = " ".join(problems)
    assert "script-src-elem blocked inline" in blocked
    assert "style-src-elem blocked inline" in blocked
    assert "style-src-attr blocked inline" in blocked


def test_search_runs_under_the_content_security_policy(
    hosted: dict[str, Hosted], in_browser: InBrowser
) -> None:
    """The search page runs a script that loads WebAssembly; under the policy it finds pages."""
    site = hosted["sub"]
    search = next(
        (p for p in site.pages() if p.startswith("en/") and b'id="search-form"' in
         (site.build / p / "index.html").read_bytes()),
        None,
    )  # fmt: skip
    if search is None:
        pytest.skip("the site has no search page")
    problems: list[str] = []
    hrefs: list[str] = []

    def check(context: BrowserContext) -> None:
        from playwright.sync_api import expect

        page = context.new_page()
        page.on("pageerror", lambda exc: problems.append(f"script error: {exc}"))
        page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        page.goto(site.url(search))
        box = page.locator("#search-input")
        expect(box).to_be_visible()
        box.fill("imec")
        box.press("Enter")
        links = page.locator("#search-results li a")
        expect(links.first).to_be_visible(timeout=10_000)
        hrefs.extend(links.evaluate_all("els => els.map(e => e.getAttribute('href'))"))
        problems.extend(page.evaluate("window.__violations"))

    in_browser(check)
    assert hrefs and all(h.startswith(f"{site.prefix}en/") for h in hrefs), hrefs
    assert problems == []
