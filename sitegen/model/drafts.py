"""Draft texts as previews for `serve`: shown at their own address, listed nowhere.

A draft version is never in `Site.versions`, so menus, section lists, relations, feeds, the
sitemap and the search index (all built from the published versions) cannot show it; `build`
never asks for previews at all.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from sitegen.model.site import Page, Version
from sitegen.model.urls import out_path, page_url
from sitegen.schema.config import SiteConfig
from sitegen.schema.validate import CheckedPage


def draft_previews(
    pages: Mapping[str, CheckedPage],
    versions: Mapping[tuple[str, str], Version],
    published: Mapping[str, Page],
    config: SiteConfig,
    wanted: bool,
) -> tuple[dict[str, Page], dict[tuple[str, str], Version]]:
    """The pages that exist only as drafts, and a version per draft text whose address is
    free (a draft translation of a published page whose fallback shows there is not one)."""
    draft_pages: dict[str, Page] = {}
    drafts: dict[tuple[str, str], Version] = {}
    if not wanted:
        return draft_pages, drafts
    for path in sorted(pages):
        page = pages[path]
        texts = {lang: t for lang, t in page.texts.items() if t.draft}
        for lang, text in sorted(texts.items()):
            if (path, lang) in versions:
                continue
            url = page_url(path, lang, pages, config.url_prefix)
            drafts[(path, lang)] = Version(path, lang, url, out_path(url, config.url_prefix), text)
        if path not in published and any(key[0] == path for key in drafts):
            draft_pages[path] = Page(
                path=path,
                kind=page.kind,
                template=page.kind + ".html",
                parent=path.rpartition("/")[0] if path else None,
                children=(),
                data=page.data,
                files=page.files,
                translations=tuple(sorted(texts)),
                outgoing=MappingProxyType({}),
                incoming=MappingProxyType({}),
                src_dir=page.src_dir,
            )
    return draft_pages, drafts
