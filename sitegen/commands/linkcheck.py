"""`sitegen check --external`: is every source, website and link outside the site still there?

Every figure on the site cites a URL, and addresses rot. This asks each one, politely: HEAD
first (no body), GET when a server refuses HEAD, a time limit, one request at a time per host
and a few hosts at once, a retry after a pause when a server is busy, and answers remembered
for a day in `.sitegen-cache/`. Dead addresses are warnings at the line that holds them: the
site still builds, and an editor decides what replaces the source.

The standard library (urllib, concurrent.futures) does the work: a few hundred HEAD requests
need no HTTP library, and one more dependency would have to be locked and kept up to date.
"""

from __future__ import annotations

import json
import re
import socket
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from http.client import HTTPException
from pathlib import Path
from urllib.parse import urlsplit

from sitegen import __version__
from sitegen.diagnostics import codes
from sitegen.diagnostics.diagnostic import Diagnostic, warning
from sitegen.source.load import SiteSources
from sitegen.source.yamlpos import YamlDoc

CACHE_FILE = Path(".sitegen-cache/external.json")
CACHE_SECONDS = 24 * 3600
TIMEOUT_SECONDS = 15.0
HOSTS_AT_ONCE = 4
RETRIES = 2
MAX_PAUSE_SECONDS = 30.0
# A URL in Markdown text: up to a space, a quote, a bracket or an angle bracket.
BODY_URL = re.compile(r"https?://[^\s<>\"'()\[\]]+")
TRAILING = ".,;:!?*_"
# Answers after which a server may well answer a GET: HEAD not allowed, not implemented, or
# refused by servers that treat HEAD as a robot.
TRY_GET = frozenset({400, 403, 405, 406, 501})
BUSY = frozenset({429, 502, 503, 504})


@dataclass(frozen=True, slots=True)
class Found:
    """A URL at its place in the content: which file, line and column, and what it is."""

    url: str
    src: str
    line: int
    col: int
    what: str


@dataclass(frozen=True, slots=True)
class Outcome:
    """What asking a URL gave: '' when it is alive, else what is wrong, for the message."""

    problem: str
    checked: float


def _data_urls(src: str, doc: YamlDoc) -> Iterable[Found]:
    data = doc.value if isinstance(doc.value, dict) else {}
    website = data.get("website")
    if isinstance(website, str):
        yield Found(website.strip(), src, *doc.pos("website"), "website")
    sources = data.get("sources")
    for i, item in enumerate(sources if isinstance(sources, list) else []):
        if isinstance(item, dict) and isinstance(item.get("url"), str):
            yield Found(item["url"].strip(), src, *doc.pos("sources", i, "url"), "source")


def _body_urls(src: str, text: str, first_line: int) -> Iterable[Found]:
    for number, line in enumerate(text.splitlines(), start=first_line):
        for match in BODY_URL.finditer(line):
            url = match.group().rstrip(TRAILING)
            yield Found(url, src, number, match.start() + 1, "link")


def collect_urls(sources: SiteSources) -> list[Found]:
    """Every external URL in data.yaml (sources, website) and in the page texts."""
    found: list[Found] = []
    for page in sources.pages:
        if page.data is not None:
            found += _data_urls(page.data_src, page.data)
        for text in page.texts.values():
            found += _body_urls(text.src, text.body.read(), text.body_line)
    return [f for f in found if urlsplit(f.url).hostname]


def _same_site(first: str, final: str) -> bool:
    """Redirects within a site (http to https, adding 'www.') keep the source; others do not."""
    a, b = (urlsplit(u).hostname or "" for u in (first, final))
    return a.removeprefix("www.") == b.removeprefix("www.")


def _pause(error: urllib.error.HTTPError, attempt: int, backoff: float) -> float:
    after = error.headers.get("Retry-After", "") if error.headers else ""
    wait = float(after) if after.isdigit() else backoff * 2**attempt
    return min(wait, MAX_PAUSE_SECONDS)


def ask(
    url: str, timeout: float = TIMEOUT_SECONDS, backoff: float = 2.0, user_agent: str = ""
) -> str:
    """'' when the URL answers with a page on its own site, else what is wrong with it."""
    headers = {"User-Agent": user_agent or f"sitegen/{__version__} (link check)"}
    method = "HEAD"
    attempt = 0
    while True:
        request = urllib.request.Request(url, headers=headers, method=method)
        try:
            with urllib.request.urlopen(request, timeout=timeout) as reply:
                final = reply.geturl()
            if not _same_site(url, final):
                return f"redirects to another site: {final}"
            return ""
        except urllib.error.HTTPError as exc:
            exc.close()
            if method == "HEAD" and exc.code in TRY_GET:
                method = "GET"
                continue
            if exc.code in BUSY and attempt < RETRIES:
                time.sleep(_pause(exc, attempt, backoff))
                attempt += 1
                continue
            return f"answers {exc.code} {exc.reason}".rstrip()
        except urllib.error.URLError as exc:
            reason = exc.reason
            if isinstance(reason, socket.gaierror):
                return "its host name is not found (DNS)"
            if isinstance(reason, ConnectionRefusedError):
                return "the server refuses connections"
            if isinstance(reason, TimeoutError) and attempt < RETRIES:
                attempt += 1
                continue
            if isinstance(reason, TimeoutError):
                return f"no answer within {timeout:g} s"
            return f"cannot be reached: {reason}"
        except TimeoutError:
            if attempt < RETRIES:
                attempt += 1
                continue
            return f"no answer within {timeout:g} s"
        except (OSError, HTTPException, ValueError) as exc:
            return f"cannot be reached: {exc}"


def _load_cache(path: Path, now: float) -> dict[str, Outcome]:
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    out: dict[str, Outcome] = {}
    for url, entry in raw.items() if isinstance(raw, dict) else ():
        if isinstance(entry, dict) and isinstance(entry.get("checked"), int | float):
            if now - entry["checked"] < CACHE_SECONDS:
                out[str(url)] = Outcome(str(entry.get("problem", "")), float(entry["checked"]))
    return out


def _save_cache(path: Path, results: Mapping[str, Outcome]) -> None:
    doc = {url: {"problem": o.problem, "checked": o.checked} for url, o in sorted(results.items())}
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(doc, indent=1), encoding="utf-8")
    tmp.replace(path)


def check_urls(
    urls: Iterable[str],
    cache: Path | None,
    asker: Callable[[str], str] = ask,
    now: Callable[[], float] = time.time,
) -> dict[str, str]:
    """{url: problem} for every URL ('' when alive); one host's URLs one after the other."""
    started = now()
    known = _load_cache(cache, started) if cache is not None else {}
    todo: dict[str, list[str]] = {}
    for url in sorted(set(urls)):
        if url not in known:
            todo.setdefault(urlsplit(url).hostname or "", []).append(url)

    def one_host(host_urls: list[str]) -> list[tuple[str, str]]:
        return [(url, asker(url)) for url in host_urls]

    with ThreadPoolExecutor(max_workers=HOSTS_AT_ONCE) as pool:
        for answers in pool.map(one_host, todo.values()):
            for url, problem in answers:
                known[url] = Outcome(problem, now())
    if cache is not None:
        _save_cache(cache, known)
    return {url: outcome.problem for url, outcome in known.items()}


def external_warnings(
    sources: SiteSources, asker: Callable[[str], str] = ask, use_cache: bool = True
) -> tuple[list[Diagnostic], int]:
    """(a warning at each dead URL's line, how many distinct URLs were checked)."""
    found = collect_urls(sources)
    cache = sources.root / CACHE_FILE if use_cache else None
    problems = check_urls((f.url for f in found), cache, asker)
    diags = [
        warning(
            f.src,
            f.line,
            f.col,
            f"the {f.what} {f.url} {problems[f.url]}",
            "open it in a browser; replace it with the page's new address or an archived copy "
            "(web.archive.org), or remove it",
            codes.DEAD_EXTERNAL_LINK,
        )
        for f in found
        if problems.get(f.url)
    ]
    return diags, len({f.url for f in found})


def check_external(root: Path) -> tuple[list[Diagnostic], int]:
    """Read the site's content and check its external URLs (see external_warnings)."""
    from sitegen.source.load import load_sources

    return external_warnings(load_sources(root))
