"""The built HTML is valid, works under a strict Content-Security-Policy and stays light."""

from __future__ import annotations

import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

from tests.browser.conftest import SWITCHER, VNU, require

BUDGET = 60 * 1024  # HTML + CSS + JS + fonts per page, uncompressed, images excluded


def html_files(root: Path) -> list[Path]:
    return sorted(root.rglob("*.html"))


def test_nu_html_checker_finds_no_errors_in_any_page(built: Path) -> None:
    java = shutil.which("java")
    require(java is not None, "java is missing (apt-get install default-jre-headless)")
    require(VNU.exists(), f"{VNU} is missing (run `npm ci` or `make test`)")
    files = html_files(built)
    done = subprocess.run(
        [str(java), "-jar", str(VNU), "--errors-only", "--format", "gnu", *map(str, files)],
        capture_output=True,
        text=True,
        check=False,
    )
    report = (done.stdout + done.stderr).replace(str(built) + "/", "")
    assert done.returncode == 0 and not report.strip(), report[:4000]
    assert len(files) > 100


class PageScan(HTMLParser):
    """Collects what a strict CSP would block, and the files a page makes the browser load."""

    def __init__(self) -> None:
        super().__init__()
        self.blocked: list[str] = []
        self.loads: list[str] = []
        self._in_inline_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if "style" in a:
            self.blocked.append(f'style="" on <{tag}>')
        self.blocked += [f"{name}= on <{tag}>" for name in a if name.startswith("on")]
        if tag == "style":
            self.blocked.append("<style> element")
        if tag == "script":
            if a.get("src"):
                self.loads.append(str(a["src"]))
            elif a.get("type") != "application/ld+json":
                self.blocked.append("inline <script>")
        rel = (a.get("rel") or "").split()
        if tag == "link" and a.get("href") and ({"stylesheet", "modulepreload"} & set(rel)):
            self.loads.append(str(a["href"]))
        if tag == "link" and "preload" in rel and a.get("as") in ("font", "script", "style"):
            self.loads.append(str(a["href"]))


def scan(path: Path) -> PageScan:
    parser = PageScan()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def test_pages_need_no_inline_script_or_style_so_a_strict_csp_holds(built: Path) -> None:
    blocked = [f"{p.relative_to(built)}: {b}" for p in html_files(built) for b in scan(p).blocked]
    assert not blocked, "\n".join(blocked[:20])


def page_weight(built: Path, page: Path) -> int:
    """Bytes of the HTML plus every stylesheet, script and font it loads (images excluded)."""
    loads = {url.split("?")[0].split("#")[0] for url in scan(page).loads}
    total = page.stat().st_size
    for url in loads:
        local = built / url.lstrip("/")
        assert local.is_file(), f"{page.relative_to(built)} loads {url}, which is not built"
        total += local.stat().st_size
    return total


def test_every_page_stays_within_the_60_kb_budget(built: Path) -> None:
    heavy = {
        str(p.relative_to(built)): weight
        for p in html_files(built)
        if (weight := page_weight(built, p)) > BUDGET
    }
    assert not heavy, f"over {BUDGET} bytes: {heavy}"


def switcher_targets(built: Path, page: Path) -> dict[str, str]:
    return {lang: url for url, lang in SWITCHER.findall(page.read_text(encoding="utf-8"))}


def test_every_language_switcher_link_leads_to_the_same_page(built: Path) -> None:
    """Each link lands on a page in that language whose own switcher offers the same pages."""
    wrong, checked = [], 0
    for page in html_files(built):
        links = switcher_targets(built, page)
        if not links or page.name == "404.html":
            continue
        checked += 1
        for lang, url in links.items():
            target = built / url.lstrip("/") / "index.html"
            html = target.read_text(encoding="utf-8") if target.is_file() else ""
            if f'<html lang="{lang}">' not in html or switcher_targets(built, target) != links:
                wrong.append(f"{page.relative_to(built)} -> {url}")
    assert not wrong, "\n".join(wrong[:20])
    assert checked > 100
