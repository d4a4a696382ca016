"""The real site built once, served on 127.0.0.1, and Debian's Chromium driven by Playwright.

A missing tool (Chromium, Java, the npm packages) skips these tests on a developer's machine but
fails them under CI, where .ci/run and `make test` install everything.
"""

from __future__ import annotations

import functools
import os
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from playwright.sync_api import Browser, sync_playwright

from tests.conftest import REPO, copy_site

CHROMIUM = Path("/usr/bin/chromium")
NODE_MODULES = REPO / "node_modules"
AXE = NODE_MODULES / "axe-core" / "axe.min.js"
VNU = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
SCREENSHOTS = REPO / "reports" / "screenshots"
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
LANGUAGES = ("en", "nl", "fr", "de")
WIDTHS = (375, 1280)
# One page of each type, by its English address; other languages are found via the switcher.
SAMPLES = {
    "home": "en/",
    "section": "en/partners/",
    "timeline": "en/timeline/",
    "cluster": "en/clusters/ict/",
    "partner": "en/partners/imec/",
    "initiative": "en/initiatives/eit-health/",
    "news": "en/timeline/2016-iminds-merges-into-imec/",
    "page": "en/invest/",
    "search": "en/search/",
}
# Samples opened with a query, so that the checks cover what a visitor sees after searching.
QUERIES = {"search": "?q=imec"}
SWITCHER = re.compile(r'<a href="([^"]+)" hreflang="([\w-]+)" lang="[\w-]+"')


def require(present: bool, reason: str) -> None:
    """Skip when a tool is absent, unless CI is set: there a missing tool is a failure."""
    if present:
        return
    if os.environ.get("CI"):
        pytest.fail(f"{reason}; CI is set, so the browser tests must run")
    pytest.skip(reason)


def build_into(site: Path, out: Path) -> Path:
    """Build with the CLI, as a user would; a failed build fails the test with its messages."""
    done = subprocess.run(
        [sys.executable, "-m", "sitegen", "build", "--site", str(site), "--out", str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return out


@dataclass(frozen=True, slots=True)
class Served:
    """A built site and the address it is served at."""

    root: Path
    base: str

    def url(self, path: str) -> str:
        return f"{self.base}/{path.lstrip('/')}"


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        """Keep the test output clean."""


def serve(root: Path) -> Iterator[Served]:
    handler = functools.partial(QuietHandler, directory=str(root))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Served(root, f"http://127.0.0.1:{server.server_address[1]}")
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real site (content/, templates/, assets/) built once for all browser tests."""
    return build_into(REPO, tmp_path_factory.mktemp("real") / "build")


@pytest.fixture(scope="session")
def site(built: Path) -> Iterator[Served]:
    yield from serve(built)


@pytest.fixture(scope="session")
def fallback_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """The small test site, whose German imec page is an English fallback with a notice."""
    source = copy_site("basic", tmp_path_factory.mktemp("basic") / "site")
    yield from serve(build_into(source, source / "build"))


@pytest.fixture(scope="session")
def samples(built: Path) -> dict[str, dict[str, str]]:
    """Page type -> language -> address path, read from each sample's language switcher."""
    found: dict[str, dict[str, str]] = {}
    for kind, path in SAMPLES.items():
        html = (built / path / "index.html").read_text(encoding="utf-8")
        query = QUERIES.get(kind, "")
        found[kind] = {lang: url + query for url, lang in SWITCHER.findall(html)}
        assert set(found[kind]) == set(LANGUAGES), f"{path} does not offer every language"
    found["not-found"] = {lang: f"/{lang}/404.html" for lang in LANGUAGES}
    return found


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    require(CHROMIUM.exists(), f"{CHROMIUM} is missing (apt-get install chromium)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        yield chromium
        chromium.close()
