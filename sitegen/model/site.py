"""The frozen site model that rendering reads and never changes."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from sitegen.schema.config import SiteConfig
from sitegen.schema.fields import Value
from sitegen.schema.kinds import PageKind
from sitegen.schema.validate import CheckedText


@dataclass(frozen=True, slots=True)
class Version:
    """A page as published in one language; its text may be a fallback."""

    path: str
    lang: str
    url: str
    out: str
    text: CheckedText

    @property
    def text_lang(self) -> str:
        return self.text.lang

    @property
    def is_fallback(self) -> bool:
        return self.text.lang != self.lang


@dataclass(frozen=True, slots=True)
class Page:
    """A language-neutral page: its place in the tree, its data and its relations."""

    path: str
    kind: PageKind
    template: str
    parent: str | None
    children: tuple[str, ...]
    data: Mapping[str, Value]
    files: tuple[tuple[str, Path], ...]
    translations: tuple[str, ...]
    outgoing: Mapping[str, tuple[str, ...]]
    incoming: Mapping[str, tuple[str, ...]]
    src_dir: str
    position: int = 0


@dataclass(frozen=True, slots=True)
class Site:
    """Everything a build publishes, resolved once by build_site()."""

    config: SiteConfig
    strings: Mapping[str, Mapping[str, str]]
    pages: Mapping[str, Page]
    versions: Mapping[tuple[str, str], Version]
    # `serve` only: draft texts to preview, kept out of pages, lists, feeds, sitemap, search.
    draft_pages: Mapping[str, Page] = field(default_factory=dict)
    drafts: Mapping[tuple[str, str], Version] = field(default_factory=dict)

    def version(self, path: str, lang: str) -> Version | None:
        return self.versions.get((path, lang))

    def link(self, path: str, lang: str) -> Version | None:
        """The version a link in `lang` should reach: that language's, else the original."""
        return self.versions.get((path, lang)) or self.versions.get(
            (path, self.config.default_language)
        )

    def alternates(self, path: str) -> list[Version]:
        """Real translations only, so no hreflang claims a fallback as a translation."""
        return [
            v
            for lang in self.config.codes
            if (v := self.versions.get((path, lang))) is not None and not v.is_fallback
        ]
