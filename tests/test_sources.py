"""Every source a page names: a title, a clean public address, and not a copy of someone else's.

Sources live in each page folder's `data.yaml` under `sources:`. An address with a session or
tracking parameter (`?token=`, `utm_…`) is one visitor's link, not the document's; a known mirror
host republishes other sites' pages, so the fact sheet's official page is the better source.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest
import yaml

REPO = Path(__file__).resolve().parent.parent
CONTENT = REPO / "content"
DATA_FILES = sorted(CONTENT.rglob("data.yaml"))

# Query keys (or prefixes ending in _) that identify a visit, never the document.
TRACKING = ("token", "utm_", "sessionid", "sid", "phpsessid", "jsessionid", "fbclid", "gclid")
# Hosts that republish encyclopedia articles and documents from elsewhere.
MIRRORS = (
    "infomutt.com",
    "docslib.org",
    "vdocuments.us",
    "vdocuments.net",
    "vdocuments.mx",
    "vdocuments.site",
    "fdocuments.net",
    "documents.pub",
    "dokumen.pub",
    "pdfslide.net",
    "silo.tips",
    "docplayer.net",
    "wikiwand.com",
    "everybodywiki.com",
    "wikizero.com",
    "infogalactic.com",
    "alchetron.com",
    "dbpedia.org",
    "en-academic.com",
    "de-academic.com",
    "fr-academic.com",
    "nl-academic.com",
)


def sources() -> list[tuple[str, int, dict[str, object]]]:
    """(data.yaml path, line of the entry, the entry) for every source of every page."""
    found = []
    for file in DATA_FILES:
        text = file.read_text(encoding="utf-8")
        data = yaml.safe_load(text) or {}
        rel = file.relative_to(REPO).as_posix()
        lines = text.splitlines()
        for entry in data.get("sources") or []:
            entry = entry if isinstance(entry, dict) else {"title": entry}
            url = str(entry.get("url", ""))
            line = next((n for n, t in enumerate(lines, 1) if url and url in t), 1)
            found.append((rel, line, entry))
    return found


def tracking_keys(url: str) -> list[str]:
    parts = urlsplit(url)
    keys = [k for k, _ in parse_qsl(parts.query, keep_blank_values=True)]
    keys += [p.split("=", 1)[0] for p in parts.path.split(";")[1:]]  # ;jsessionid=...
    return [k for k in keys if k.lower().startswith(TRACKING)]


def mirror(url: str) -> str:
    host = (urlsplit(url).hostname or "").lower()
    return next((m for m in MIRRORS if host == m or host.endswith("." + m)), "")


def test_pages_have_sources() -> None:
    assert len(sources()) > 50


def test_every_source_has_a_title_and_a_web_address() -> None:
    bad = []
    for rel, line, entry in sources():
        title, url = entry.get("title"), str(entry.get("url", ""))
        parts = urlsplit(url)
        if not isinstance(title, str) or not title.strip():
            bad.append(f"{rel}:{line}: source without a title ({url or 'no url'})")
        if parts.scheme not in ("http", "https") or not parts.hostname:
            bad.append(f"{rel}:{line}: '{url}' is not an http(s) address")
    assert not bad, "\n".join(bad)


def test_no_source_address_carries_a_session_or_tracking_parameter() -> None:
    bad = [
        f"{rel}:{line}: {entry['url']} ({', '.join(keys)})"
        for rel, line, entry in sources()
        if (keys := tracking_keys(str(entry.get("url", ""))))
    ]
    assert not bad, "remove the parameters, keep the document's own address:\n" + "\n".join(bad)


# Mirror copies the fact sheet itself gives as the only public source of a fact: kept until an
# official copy is found ("prefer the official page where the fact sheet has one").
ONLY_PUBLIC_COPY = {
    "https://docslib.org/doc/6145697/ku-leuven-2014": "KU Leuven's 2014 brochure",
    "https://vdocuments.us/david-fj-campbell-usp-david-fj-campbell-faculty-for-interdisciplinary-"
    "studies.html": "Carayannis and Campbell's 2009 article (the 2012 book is cited by DOI)",
}
FACT_SHEET = REPO.parent / "shared" / "facts" / "leuven-facts.yaml"


def test_no_source_is_a_known_mirror_copy() -> None:
    weak = sorted(
        f"{rel}:{line}: {host} (weak copy): {entry['url']}"
        for rel, line, entry in sources()
        if (host := mirror(str(entry.get("url", ""))))
        and str(entry.get("url", "")) not in ONLY_PUBLIC_COPY
    )
    assert not weak, "cite the official page (../shared/facts) instead:\n" + "\n".join(weak)


@pytest.mark.parametrize(
    ("url", "keys"),
    [
        ("https://www.leuvenmindgate.be/en/about?token=abc123", ["token"]),
        ("https://x.example/a?utm_source=n&utm_medium=m&id=4", ["utm_source", "utm_medium"]),
        ("https://x.example/a?fbclid=IwAR0", ["fbclid"]),
        ("https://x.example/a;jsessionid=1A2B?x=1", ["jsessionid"]),
        ("https://x.example/a?PHPSESSID=9&page=2", ["PHPSESSID"]),
        ("https://www.imec-int.com/en/articles/merger?id=2016", []),
    ],
)
def test_tracking_parameters_are_recognised(url: str, keys: list[str]) -> None:
    assert tracking_keys(url) == keys


@pytest.mark.skipif(not FACT_SHEET.exists(), reason="the shared fact sheet is not beside the repo")
def test_every_accepted_mirror_is_the_fact_sheets_only_source_for_its_fact() -> None:
    facts = FACT_SHEET.read_text(encoding="utf-8")
    for url in ONLY_PUBLIC_COPY:
        assert f'source: "{url}"' in facts, (
            f"{url} is not a fact-sheet source: cite the official page"
        )


def test_mirror_hosts_are_recognised() -> None:
    assert mirror("http://infomutt.com/k/ka/katholieke_universiteit_leuven.html") == "infomutt.com"
    assert mirror("https://www.docslib.org/doc/1") == "docslib.org"
    assert mirror("https://www.kuleuven.be/") == ""
    assert mirror("https://notdocslib.org/") == ""
