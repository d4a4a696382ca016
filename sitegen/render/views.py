"""What templates see of a page: plain values in the visitor's language, never the model."""

from __future__ import annotations

from dataclasses import dataclass

from sitegen.model.site import Site, Version
from sitegen.render.environment import LangTools
from sitegen.values import PartialDate, Source, as_sources


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


@dataclass(frozen=True, slots=True)
class LanguageLink:
    code: str
    name: str
    url: str
    current: bool
    translated: bool


@dataclass(frozen=True, slots=True)
class Alternate:
    hreflang: str
    href: str


@dataclass(frozen=True, slots=True)
class PageView:
    """Everything base.html and the kind templates read."""

    kind: str
    path: str
    lang: str
    text_lang: str
    is_fallback: bool
    title: str
    description: str
    body: str
    url: str
    canonical: str
    alternates: tuple[Alternate, ...]
    languages: tuple[LanguageLink, ...]
    menu: tuple[Link, ...]
    breadcrumbs: tuple[Link, ...]
    children: tuple[Link, ...]
    related: dict[str, tuple[Link, ...]]
    website: str
    founded: str
    date: str
    iso_date: str
    sources: tuple[Source, ...]
    image: str
    image_alt: str
    site_name: str
    home_url: str
    feed_url: str


def link_to(site: Site, path: str, lang: str, tools: LangTools, current: str = "") -> Link | None:
    version = site.link(path, lang)
    if version is None:
        return None
    date = site.pages[path].data.get("date")
    return Link(
        title=version.text.title,
        url=version.url,
        description=version.text.description,
        lang=version.text_lang,
        kind=site.pages[path].kind,
        date=tools.date(date) if isinstance(date, PartialDate) else "",
        iso_date=date.iso() if isinstance(date, PartialDate) else "",
        current=path == current,
    )


def _links(
    site: Site, paths: tuple[str, ...] | list[str], lang: str, tools: LangTools, current: str = ""
) -> tuple[Link, ...]:
    return tuple(link for p in paths if (link := link_to(site, p, lang, tools, current)))


def related_links(
    site: Site, path: str, lang: str, tools: LangTools
) -> dict[str, tuple[Link, ...]]:
    """Pages linked in data.yaml either way, grouped by their kind ('partner', 'cluster'...)."""
    page = site.pages[path]
    linked = [p for paths in page.outgoing.values() for p in paths]
    linked += [p for paths in page.incoming.values() for p in paths]
    groups: dict[str, list[str]] = {}
    for p in dict.fromkeys(linked):
        groups.setdefault(site.pages[p].kind, []).append(p)
    return {
        kind: _links(site, sorted(paths, key=lambda p: _order(site, p)), lang, tools)
        for kind, paths in sorted(groups.items())
    }


def _order(site: Site, path: str) -> tuple[object, ...]:
    parent = site.pages[path].parent
    siblings = site.pages[parent].children if parent is not None else ()
    return (siblings.index(path) if path in siblings else 0, path)


def page_view(site: Site, version: Version, body: str, tools: LangTools) -> PageView:
    config = site.config
    page = site.pages[version.path]
    lang = version.lang
    original = site.version(version.path, version.text_lang) if version.is_fallback else version
    canonical_url = (original or version).url
    alternates = [Alternate(v.lang, config.origin + v.url) for v in site.alternates(page.path)]
    default = site.version(page.path, config.default_language)
    if alternates and default is not None:
        alternates.append(Alternate("x-default", config.origin + default.url))
    languages = []
    for language in config.languages:
        target = site.link(page.path, language.code)
        if target is not None:
            languages.append(
                LanguageLink(
                    language.code,
                    language.name,
                    target.url,
                    language.code == lang,
                    not target.is_fallback,
                )
            )
    crumbs: list[str] = []
    parent = page.parent
    while parent is not None:
        crumbs.insert(0, parent)
        parent = site.pages[parent].parent if parent in site.pages else None
    date = page.data.get("date")
    sources = page.data.get("sources")
    website = page.data.get("website")
    founded = page.data.get("founded")
    image = page.data.get("image")
    home = site.link("", lang)
    return PageView(
        kind=page.kind,
        path=page.path,
        lang=lang,
        text_lang=version.text_lang,
        is_fallback=version.is_fallback,
        title=version.text.title,
        description=version.text.description,
        body=body,
        url=version.url,
        canonical=config.origin + canonical_url,
        alternates=tuple(alternates),
        languages=tuple(languages),
        menu=_links(site, list(config.menu), lang, tools, page.path),
        breadcrumbs=_links(site, crumbs, lang, tools),
        children=_links(site, page.children, lang, tools),
        related=related_links(site, page.path, lang, tools),
        website=website if isinstance(website, str) else "",
        founded=founded if isinstance(founded, str) else "",
        date=tools.date(date) if isinstance(date, PartialDate) else "",
        iso_date=date.iso() if isinstance(date, PartialDate) else "",
        sources=as_sources(sources),
        image=image if isinstance(image, str) else "",
        image_alt=version.text.image_alt or "",
        site_name=config.name,
        home_url=home.url if home else config.url_prefix,
        feed_url=f"{config.url_prefix}{lang}/feed.xml",
    )
