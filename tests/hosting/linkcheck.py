"""A link checker: crawl a served site from its front page and report every broken internal link.

It follows what a browser or a search engine would: anchors, stylesheets, scripts, images,
icons, canonical and hreflang alternates, feeds, the sitemap named in robots.txt, and url() in
CSS. Links to other origins are counted, not fetched. A link to a page's #fragment must find
that id on the page.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit

from tests.hosting.server import Response

Fetch = Callable[[str], Response]
URL_ATTRIBUTES = {"href", "src", "poster", "action", "data-src"}
SRCSET_ATTRIBUTES = {"srcset", "imagesrcset"}
META_URLS = {"og:image", "og:url", "twitter:image", "og:image:secure_url"}
CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)""")
XML_URL = re.compile(r"""(?:<loc>\s*([^<\s]+)\s*</loc>|\bhref=["']([^"']+)["'])""")
ROBOTS_SITEMAP = re.compile(r"^sitemap:\s*(\S+)", re.IGNORECASE | re.MULTILINE)
SKIPPED_SCHEMES = ("mailto:", "tel:", "data:", "javascript:")


class _Links(HTMLParser):
    """The URLs one HTML page points at, and the ids it offers as #fragments."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []
        self.ids: set[str] = set()
        self.base: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if "id" in values:
            self.ids.add(values["id"])
        if tag == "a" and "name" in values:
            self.ids.add(values["name"])
        if tag == "base" and values.get("href"):
            self.base = values["href"]
        if tag == "form" and values.get("method", "get").lower() != "get":
            return
        for name, value in values.items():
            if name in URL_ATTRIBUTES and value:
                self.urls.append(value)
            elif name in SRCSET_ATTRIBUTES and value:
                self.urls += [part.strip().split()[0] for part in value.split(",") if part.strip()]
        if tag == "meta" and values.get("property", values.get("name", "")) in META_URLS:
            self.urls.append(values.get("content", ""))


@dataclass(slots=True)
class Report:
    """What a crawl found: every URL fetched, and the links that did not work."""

    fetched: dict[str, int] = field(default_factory=dict)
    broken: list[tuple[str, str, str]] = field(default_factory=list)
    external: set[str] = field(default_factory=set)
    links: int = 0

    def summary(self) -> str:
        pages = sum(1 for url in self.fetched if url.endswith("/"))
        return (
            f"{len(self.fetched)} URLs fetched ({pages} pages), {self.links} internal links "
            f"checked, {len(self.external)} external links not followed, "
            f"{len(self.broken)} broken"
        )


def _kind(response: Response) -> str:
    return response.header("content-type").split(";")[0].strip().lower()


def _extract(url: str, response: Response) -> tuple[list[str], set[str]]:
    """(URLs the document points at, resolved; ids it offers)."""
    kind = _kind(response)
    text = response.body.decode("utf-8", errors="replace")
    if kind == "text/html":
        parser = _Links()
        parser.feed(text)
        base = urljoin(url, parser.base) if parser.base else url
        return [urljoin(base, u.strip()) for u in parser.urls if u.strip()], parser.ids
    if kind == "text/css":
        return [urljoin(url, m.group(2).strip()) for m in CSS_URL.finditer(text)], set()
    if kind.endswith("xml"):
        found = [m.group(1) or m.group(2) for m in XML_URL.finditer(text)]
        return [urljoin(url, u) for u in found], set()
    if url.endswith("/robots.txt"):
        return [urljoin(url, m.group(1)) for m in ROBOTS_SITEMAP.finditer(text)], set()
    return [], set()


def crawl(start: Iterable[str], fetch: Fetch, limit: int = 20000) -> Report:
    """Fetch everything reachable on the start URLs' origin; each URL once, redirects noted."""
    queue = deque((url, "(start)") for url in start)
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(queue[0][0]))
    report = Report()
    ids: dict[str, set[str] | None] = {}
    fragments: list[tuple[str, str, str]] = []
    while queue and len(report.fetched) < limit:
        url, source = queue.popleft()
        if url in report.fetched:
            continue
        response = fetch(url)
        report.fetched[url] = response.status
        if response.status in (301, 302, 303, 307, 308):
            target = urljoin(url, response.header("location"))
            if source != "(start)":
                report.broken.append((source, url, f"{response.status} to {target}"))
            queue.append((target, url))
            continue
        if response.status != 200:
            report.broken.append((source, url, str(response.status)))
            continue
        found, page_ids = _extract(url, response)
        ids[url] = page_ids if _kind(response) == "text/html" else None
        for link in found:
            if link.startswith(SKIPPED_SCHEMES):
                continue
            if not link.startswith(origin + "/"):
                report.external.add(link)
                continue
            report.links += 1
            target, fragment = urldefrag(link)
            if fragment:
                fragments.append((url, target, fragment))
            if target not in report.fetched:
                queue.append((target, url))
    for source, target, fragment in fragments:
        offered = ids.get(target)
        if offered is not None and fragment not in offered:
            report.broken.append((source, f"{target}#{fragment}", "no element with that id"))
    return report
