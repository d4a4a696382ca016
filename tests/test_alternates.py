"""One x-default per cluster of alternates, the same in every page's head and in the sitemap."""

from __future__ import annotations

import re
from pathlib import Path

from tests.conftest import Run

LINK = re.compile(r'<link rel="alternate" hreflang="([\w-]+)" href="([^"]+)">')
URL = re.compile(r"<url><loc>([^<]+)</loc>(.*?)</url>", re.S)
XLINK = re.compile(r'<xhtml:link rel="alternate" hreflang="([\w-]+)" href="([^"]+)"/>')


def build(run: Run, site: Path, *extra: str) -> Path:
    code, _, err = run("build", "--site", site, "--no-search", *extra)
    assert code == 0, err
    return site / "build"


def heads(out: Path, origin: str, prefix: str = "/") -> dict[str, dict[str, str]]:
    """Each built page's address and the alternates its head names (404 pages have none)."""
    found = {}
    for file in sorted(out.rglob("index.html")):
        rel = file.parent.relative_to(out).as_posix()
        url = origin + prefix + ("" if rel == "." else rel + "/")
        head = file.read_text(encoding="utf-8").split("</head>")[0]
        found[url] = dict(LINK.findall(head))
    return found


def sitemap(out: Path) -> dict[str, dict[str, str]]:
    text = (out / "sitemap.xml").read_text(encoding="utf-8")
    return {loc: dict(XLINK.findall(body)) for loc, body in URL.findall(text)}


def test_home_pages_and_the_chooser_name_the_chooser_as_x_default(run: Run, site: Path) -> None:
    pages = heads(build(run, site), "https://example.org")
    for url in (
        "https://example.org/",
        *(f"https://example.org/{c}/" for c in "en nl fr de".split()),
    ):
        assert pages[url]["x-default"] == "https://example.org/", url


def test_other_pages_name_their_default_language_version(run: Run, site: Path) -> None:
    pages = heads(build(run, site), "https://example.org")
    assert pages["https://example.org/nl/partners/imec/"]["x-default"] == (
        "https://example.org/en/partners/imec/"
    )


def test_the_chooser_is_in_the_sitemap_with_the_home_pages_alternates(run: Run, site: Path) -> None:
    entries = sitemap(build(run, site))
    chooser = entries["https://example.org/"]
    assert chooser == entries["https://example.org/en/"] == entries["https://example.org/de/"]
    assert chooser["x-default"] == "https://example.org/"
    assert chooser["fr"] == "https://example.org/fr/"


def test_every_head_and_the_sitemap_agree(run: Run, site: Path) -> None:
    out = build(run, site)
    pages, entries = heads(out, "https://example.org"), sitemap(out)
    disagree = [
        f"{url}: head {pages.get(url)} / sitemap {links}"
        for url, links in entries.items()
        if pages.get(url) != links
    ]
    assert not disagree, "\n".join(disagree)
    # and every real translation is in the sitemap (a fallback names the others, not itself)
    missing = [url for url, links in pages.items() if url in links.values() and url not in entries]
    assert not missing


def test_one_x_default_per_cluster(run: Run, site: Path) -> None:
    entries = sitemap(build(run, site))
    clusters: dict[frozenset[str], set[str]] = {}
    for links in entries.values():
        members = frozenset(href for lang, href in links.items() if lang != "x-default")
        clusters.setdefault(members, set()).add(links.get("x-default", ""))
    several = {tuple(sorted(m)): d for m, d in clusters.items() if len(d) != 1}
    assert not several


def test_chooser_under_a_path_prefix_is_the_x_default(run: Run, site: Path) -> None:
    out = build(run, site, "--base-url", "https://example.org/sub/")
    pages = heads(out, "https://example.org", "/sub/")
    assert pages["https://example.org/sub/nl/"]["x-default"] == "https://example.org/sub/"
    assert "https://example.org/sub/" in sitemap(out)
