"""Every page's link in every language, and every page's related pages, packed once a build.

Why packed: a render worker is a fork of the process that loaded the model, and reading an
object there writes its reference count, which copies the memory page it sits on. Deep pages
list some 40 related pages each; read from the model, each link touched eight objects on
scattered pages, so at 10,000 folders a worker had copied 48 MB after about 80 pages and was
replaced, 482 times a build (parallel.py). Here a link is one slice of one bytes object and
a few numbers in arrays: reading it makes new objects in the worker and writes nothing the
parent owns. What a link shows and the order of related pages are the same as reading the
model would give (tests/test_linktable.py compares them on every page of a site).
"""

from __future__ import annotations

from array import array
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Protocol

from sitegen.model.site import Site, Version
from sitegen.render.environment import LangTools
from sitegen.schema.values import PartialDate

SEP = "\0"  # never in a field: YAML text cannot hold it, nor can a file or folder name
NO_LINK = -1


@dataclass(frozen=True, slots=True)
class Link:
    """A link to another page, titled in the visitor's language."""

    title: str
    url: str
    description: str
    lang: str
    kind: str
    date: str
    iso_date: str
    current: bool = False


class Links(Protocol):
    """How rendering reads links to pages: a LinkTable, or one that notes what was read."""

    def get(self, path: str, lang: str, current: str = "") -> Link | None: ...

    def related(self, path: str, lang: str) -> dict[str, tuple[Link, ...]]: ...


def _fresh(text: str) -> str:
    """A new copy, made next to the table's other objects (the model's copy is elsewhere)."""
    return (text + ".")[:-1]


class LinkTable:
    """Links by page path and language, as `Site.link` finds them (the language's version,
    else the original), with the visitor's date format; related pages grouped by kind."""

    __slots__ = (
        "_blob",
        "_bounds",
        "_slot",
        "_reach",
        "_kind",
        "_kinds",
        "_langs",
        "_number",
        "_paths",
        "_rel",
        "_rel_start",
        "default",
    )

    def __init__(self, site: Site) -> None:
        config = site.config
        self.default = config.default_language
        self._langs = {lang.code: i for i, lang in enumerate(config.languages)}
        tools = [LangTools(lang.code, lang.locale, {}) for lang in config.languages]
        self._paths = [_fresh(path) for path in site.pages]
        self._number = {path: n for n, path in enumerate(self._paths)}
        self._kinds = tuple(sorted({page.kind for page in site.pages.values()}))
        kind_code = {kind: i for i, kind in enumerate(self._kinds)}
        self._kind = array("B", [kind_code[page.kind] for page in site.pages.values()])
        self._slot = array("i")
        self._reach = array("b")  # per (page, language): 0 its own version, 1 the original's
        records: list[bytes] = []
        dates: dict[tuple[PartialDate, int], str] = {}
        for path, page in site.pages.items():
            date = page.data.get("date")
            for i, lang in enumerate(config.languages):
                own = site.versions.get((path, lang.code))
                version = own or site.versions.get((path, self.default))
                self._reach.append(0 if own is not None else 1)
                if version is None:
                    self._slot.append(NO_LINK)
                    continue
                shown = iso = ""
                if isinstance(date, PartialDate):
                    if (date, i) not in dates:  # one Babel call per date and language
                        dates[date, i] = tools[i].date(date)
                    shown, iso = dates[date, i], date.iso()
                self._slot.append(len(records))
                records.append(_record(version, shown, iso))
        self._blob = SEP.encode().join(records)
        self._bounds = _bounds(records)
        self._rel, self._rel_start = _related(site, self._number, self._kind)

    def get(self, path: str, lang: str, current: str = "") -> Link | None:
        n = self._number.get(path)
        if n is None:
            return None
        return self._link(n, self._langs[lang], path == current)

    def reached(self, path: str, lang: str) -> str | None:
        """The language of the version a link reaches: `lang`, the original's, or None."""
        n = self._number.get(path)
        if n is None:
            return None
        at = self._at(n, self._langs[lang])
        if self._slot[at] == NO_LINK:
            return None
        return lang if self._reach[at] == 0 else self.default

    def related_paths(self, path: str) -> Iterator[str]:
        n = self._number[path]
        paths = self._paths
        return (paths[r] for r in self._rel[self._rel_start[n] : self._rel_start[n + 1]])

    def related(self, path: str, lang: str) -> dict[str, tuple[Link, ...]]:
        """Pages linked in data.yaml either way, by kind, in the order of their section; a
        kind whose pages have no link in `lang` is there with no links."""
        n = self._number[path]
        li = self._langs[lang]
        groups: dict[str, list[Link]] = {}
        kinds, kind = self._kinds, self._kind
        for r in self._rel[self._rel_start[n] : self._rel_start[n + 1]]:
            links = groups.setdefault(kinds[kind[r]], [])
            link = self._link(r, li, False)
            if link is not None:
                links.append(link)
        return {k: tuple(links) for k, links in groups.items()}

    def _at(self, n: int, li: int) -> int:
        """Where page n in language number li is in the per-(page, language) arrays."""
        return n * len(self._langs) + li

    def _link(self, n: int, li: int, current: bool) -> Link | None:
        e = self._slot[self._at(n, li)]
        if e == NO_LINK:
            return None
        bounds = self._bounds
        title, url, description, lang, date, iso = (
            self._blob[bounds[e] : bounds[e + 1] - 1].decode().split(SEP)
        )
        return Link(title, url, description, lang, self._kinds[self._kind[n]], date, iso, current)


def _record(version: Version, date: str, iso: str) -> bytes:
    text = version.text
    fields = (text.title, version.url, text.description, text.lang, date, iso)
    if any(SEP in field for field in fields):  # not from YAML or a file name: a bug upstream
        raise ValueError(f"a NUL character in the link to {version.path!r}")
    return SEP.join(fields).encode()


def _bounds(records: list[bytes]) -> array[int]:
    """Where each record starts in the blob, and where one past the last would start."""
    bounds = array("L", [0])
    at = 0
    for record in records:
        at += len(record) + 1  # the separator after it (the last one's is implied)
        bounds.append(at)
    return bounds


def _related(
    site: Site, number: Mapping[str, int], kind: array[int]
) -> tuple[array[int], array[int]]:
    """Each page's related pages as numbers: by kind name, then as their section orders them."""
    pages = site.pages
    order = sorted(pages, key=lambda p: (pages[p].position, p))
    rank = {number[p]: i for i, p in enumerate(order)}
    size = len(order)
    rel, start = array("L"), array("L", [0])
    for page in pages.values():
        linked = [p for paths in page.outgoing.values() for p in paths]
        linked += [p for paths in page.incoming.values() for p in paths]
        numbers = [number[p] for p in dict.fromkeys(linked)]
        rel.extend(sorted(numbers, key=lambda r: kind[r] * size + rank[r]))
        start.append(len(rel))
    return rel, start
