"""The link checker finds no broken internal link on the served site, and does find broken ones."""

from __future__ import annotations

from tests.hosting.conftest import Hosted
from tests.hosting.linkcheck import crawl
from tests.hosting.server import Response, get


def test_crawl_from_the_front_page_finds_no_broken_internal_link(served: Hosted) -> None:
    report = crawl([served.url(), served.url("robots.txt")], get)
    print(f"\n{served.name} ({served.base}): {report.summary()}")
    assert report.broken == []
    unreached = [p for p in served.pages() if served.url(p) not in report.fetched]
    assert unreached == [], "every page should be reachable by links from the front page"
    assets = [
        p.relative_to(served.build).as_posix()
        for p in (served.build / "assets").rglob("*")
        if p.is_file() and p.suffix not in (".br", ".gz")
    ]
    assert [a for a in assets if served.url(a) in report.fetched], "assets are checked too"


def _fake_site(files: dict[str, tuple[str, str]]) -> tuple[list[str], dict[str, int]]:
    """Crawl an in-memory site; returns (broken links as 'source -> url: why', fetch counts)."""
    calls: dict[str, int] = {}

    def fetch(url: str) -> Response:
        calls[url] = calls.get(url, 0) + 1
        path = url.removeprefix("http://test")
        if path in files:
            kind, body = files[path]
            if kind == "redirect":
                return Response(301, {"location": body}, b"")
            return Response(200, {"content-type": kind}, body.encode())
        return Response(404, {"content-type": "text/html"}, b"")

    report = crawl(["http://test/"], fetch)
    broken = [f"{s.removeprefix('http://test')} -> {u.removeprefix('http://test')}: {why}"
              for s, u, why in report.broken]  # fmt: skip
    return broken, calls


def test_crawler_reports_missing_pages_assets_fragments_and_redirected_links() -> None:
    html = "text/html"
    broken, calls = _fake_site(
        {
            "/": (
                html,
                '<link rel="stylesheet" href="/s.css"><link rel="canonical" href="http://test/">'
                '<a href="/ok/#here">ok</a> <a href="/ok/#gone">gone</a> <a href="/nope/">x</a>'
                '<a href="/moved">m</a> <a href="https://elsewhere.example/">e</a>'
                '<img srcset="/a.png 1x, /b.png 2x">',
            ),
            "/s.css": ("text/css", 'body{background:url("img/bg.png")}'),
            "/ok/": (html, '<h2 id="here">Here</h2><a href="../">home</a>'),
            "/moved": ("redirect", "/ok/"),
            "/a.png": ("image/png", ""),
        }
    )
    assert sorted(broken) == [
        "/ -> /b.png: 404",
        "/ -> /moved: 301 to http://test/ok/",
        "/ -> /nope/: 404",
        "/ -> /ok/#gone: no element with that id",
        "/s.css -> /img/bg.png: 404",
    ]
    assert max(calls.values()) == 1, "each URL is fetched once"
    assert "https://elsewhere.example/" not in calls
