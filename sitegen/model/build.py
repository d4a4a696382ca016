"""build_site(): turn checked pages into the frozen Site, resolving everything once."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from sitegen.diagnostics.diagnostic import Diagnostic
from sitegen.model.drafts import draft_previews
from sitegen.model.relations import resolve_relations
from sitegen.model.site import Page, Site, Version
from sitegen.model.translations import published_texts
from sitegen.model.urls import Claim, find_collisions, out_path, page_url
from sitegen.schema.config import SiteConfig
from sitegen.schema.validate import CheckedPage
from sitegen.schema.values import as_date


def _sort_key(page: CheckedPage) -> tuple[object, ...]:
    """News newest first; everything else by weight, then folder name."""
    date = as_date(page.data.get("date"))
    weight = page.data.get("weight")
    newest = (-date.year, -(date.month or 0), -(date.day or 0)) if date else (0, 0, 0)
    return (newest, weight if isinstance(weight, int) else 1000, page.path)


def _children(pages: Mapping[str, CheckedPage]) -> dict[str, list[str]]:
    children: dict[str, list[str]] = {path: [] for path in pages}
    for path in pages:
        if path:
            parent = path.rpartition("/")[0]
            if parent in children:
                children[parent].append(path)
    for kids in children.values():
        kids.sort(key=lambda p: _sort_key(pages[p]))
    return children


def build_site(
    pages: Mapping[str, CheckedPage],
    strings: Mapping[str, Mapping[str, str]],
    config: SiteConfig,
    drafts: bool = False,
) -> tuple[Site, list[Diagnostic]]:
    """Build the immutable model: URLs, versions, translations and relations.

    With `drafts` (serve's preview) the draft texts become versions of their own, outside
    every list, feed and relation (model/drafts.py).
    """
    published = {path: published_texts(page, config) for path, page in pages.items()}
    live = {path: page for path, page in pages.items() if published[path]}
    outgoing, incoming = resolve_relations(live)
    children = _children(live)
    # Each page's place among its siblings, so lists sort without searching.
    positions = {kid: i for kids in children.values() for i, kid in enumerate(kids)}
    versions: dict[tuple[str, str], Version] = {}
    claims: list[Claim] = []
    for path in sorted(live):
        for lang, text in published[path].items():
            url = page_url(path, lang, live, config.url_prefix)
            out = out_path(url, config.url_prefix)
            versions[(path, lang)] = Version(path, lang, url, out, text)
            src = text.src if text.lang == lang else f"{text.src} ({lang})"
            claims.append(Claim(out, src, text.slug_pos if text.slug else None))
    model_pages = {
        path: Page(
            path=path,
            kind=page.kind,
            template=page.kind + ".html",
            parent=path.rpartition("/")[0] if path else None,
            children=tuple(children[path]),
            data=page.data,
            files=page.files,
            translations=tuple(
                c for c in config.codes if c in page.texts and not page.texts[c].draft
            ),
            outgoing=MappingProxyType(outgoing.get(path, {})),
            incoming=MappingProxyType(incoming.get(path, {})),
            src_dir=page.src_dir,
            position=positions.get(path, 0),
        )
        for path, page in live.items()
    }
    draft_pages, draft_versions = draft_previews(pages, versions, model_pages, config, drafts)
    site = Site(
        config=config,
        strings=MappingProxyType({k: MappingProxyType(dict(v)) for k, v in strings.items()}),
        pages=MappingProxyType(dict(sorted(model_pages.items()))),
        versions=MappingProxyType(versions),
        draft_pages=MappingProxyType(draft_pages),
        drafts=MappingProxyType(draft_versions),
    )
    return site, find_collisions(claims)
