"""What a page read while it rendered: the model keys its dependencies are made of.

A page renders through a Site whose `pages` and `versions` mappings note every key looked
up, and through links that note the keys reading the model for them would have looked up.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TypeVar

from sitegen.render.linktable import Link, LinkTable

K = TypeVar("K")
V = TypeVar("V")
Dep = tuple[str, object]
EVERY_KEY = "*keys"
EVERYTHING: Dep = ("*", "*")


class Recorder(Mapping[K, V]):
    """A read-only mapping that notes each key looked up (and whether all keys were listed)."""

    __slots__ = ("_inner", "_seen", "_tag")

    def __init__(self, inner: Mapping[K, V], seen: set[Dep], tag: str) -> None:
        self._inner, self._seen, self._tag = inner, seen, tag

    def __getitem__(self, key: K) -> V:
        self._seen.add((self._tag, key))
        return self._inner[key]

    def __contains__(self, key: object) -> bool:
        self._seen.add((self._tag, key))
        return key in self._inner

    def __iter__(self) -> Iterator[K]:
        self._seen.add((self._tag, EVERY_KEY))
        return iter(self._inner)

    def __len__(self) -> int:
        self._seen.add((self._tag, EVERY_KEY))
        return len(self._inner)


class NotedLinks:
    """A LinkTable that notes what `Site.link` and the page of each link would have read in
    the model: the version in the visitor's language, the original's when there is none,
    and the page, once a link is found. The dependencies stay those of reading the model."""

    __slots__ = ("_table", "_seen")

    def __init__(self, table: LinkTable, seen: set[Dep]) -> None:
        self._table, self._seen = table, seen

    def get(self, path: str, lang: str, current: str = "") -> Link | None:
        self._note(path, lang)
        return self._table.get(path, lang, current)

    def related(self, path: str, lang: str) -> dict[str, tuple[Link, ...]]:
        for other in self._table.related_paths(path):  # their kind and order, then a link
            self._seen.add(("p", other))
            self._note(other, lang)
        return self._table.related(path, lang)

    def _note(self, path: str, lang: str) -> None:
        seen = self._seen
        reached = self._table.reached(path, lang)
        seen.add(("v", (path, lang)))
        if reached != lang:
            seen.add(("v", (path, self._table.default)))
        if reached is not None:
            seen.add(("p", path))


def in_order(seen: set[Dep]) -> tuple[Dep, ...]:
    """The same order in every process (a set's order changes with the hash seed). Keys are
    strings or (path, language) pairs, sorted apart; anything else a template looked up
    goes by its repr."""
    try:
        return tuple(sorted(seen, key=lambda d: (d[0], isinstance(d[1], tuple), d[1])))
    except TypeError:
        return tuple(sorted(seen, key=lambda d: (d[0], repr(d[1]))))
