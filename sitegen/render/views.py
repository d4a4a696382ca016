"""What templates see of a page: plain values in the visitor's language, never the model."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import PurePosixPath

from markupsafe import Markup

from sitegen.model.site import Site, Version
from sitegen.render.alternates import alternates as hreflang_links
from sitegen.render.diagram import cluster_graph, quadruple_helix
from sitegen.render.environment import LangTools
from sitegen.render.figures import FigureView, figure_views
from sitegen.render.images import RASTER, ImageProcessor
from sitegen.render.linktable import Link, Links, LinkTable
from sitegen.render.seo import Social, social_meta
from sitegen.schema.values import PartialDate, Source, as_sources


@dataclass(frozen=True, slots=True)
class ExternalLink:
    """An official website from data.yaml, named by the page that gives it."""

    title: str
    url: str
    lang: str


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
    locale: str
    data_lang: str  # the language data.yaml text (source titles) is written in
    clusters: tuple[Link, ...]  # the home page's entry points; empty elsewhere
    official: tuple[ExternalLink, ...]
    search: Link | None  # the page at content path 'search', if the site has one
    social: Social
    picture: str = ""
    site_index: tuple[IndexGroup, ...] = ()
    figures: tuple[FigureView, ...] = ()  # the home page's "in figures" band
    invest: Link | None = None  # the page at content path 'invest': every investor's next step
    diagram: str = ""  # inline SVG drawn for this page (render/diagram.py), or ""


def _links(links: Links, paths: Iterable[str], lang: str, current: str = "") -> tuple[Link, ...]:
    return tuple(link for p in paths if (link := links.get(p, lang, current)))


def menu_links(
    site: Site, links: Links, lang: str, tools: LangTools, current: str = ""
) -> tuple[Link, ...]:
    """The main menu in one language; also used by the 404 pages, which have no PageView.

    A page's short label from strings.yaml ('menu.<path>') replaces its title, so the menu
    stays on one line where a title is long (the brand page in French).
    """
    found = []
    for path in site.config.menu:
        link = links.get(path, lang, current)
        label = tools.strings.get(f"menu.{path}", {}).get(lang)
        if link is not None:
            found.append(replace(link, title=label, lang=lang) if label else link)
    return tuple(found)


def pages_of_kind(site: Site, kind: str) -> list[str]:
    """Every page of one kind in the order its section lists them."""
    paths = [p for p, page in site.pages.items() if page.kind == kind]
    return sorted(paths, key=lambda p: (site.pages[p].parent or "", site.pages[p].position, p))


FOOTER_WEBSITES = 24


def official_websites(site: Site, lang: str) -> tuple[ExternalLink, ...]:
    """The websites in data.yaml of partners, then initiatives: the footer's official links.

    Capped, so the footer of every page stays small however many partners the site grows.
    """
    links: list[ExternalLink] = []
    for kind in ("partner", "initiative"):
        for section in sections_of_kind(site, kind):
            for path in site.pages[section].children:
                website = site.pages[path].data.get("website")
                version = site.link(path, lang)
                if isinstance(website, str) and version is not None:
                    links.append(ExternalLink(version.text.title, website, version.text_lang))
                    if len(links) == FOOTER_WEBSITES:
                        return tuple(links)
    return tuple(links)


def sections_of_kind(site: Site, kind: str) -> list[str]:
    """The section folders whose pages are of one kind, in the order of site.yaml."""
    return [name for name, k in site.config.sections.items() if k == kind and name in site.pages]


SEARCH_TEMPLATE = "search"


def is_search_page(version: Version) -> bool:
    """The search page is the one whose front matter asks for templates/search.html."""
    return (version.text.template or "").removesuffix(".html") == SEARCH_TEMPLATE


@dataclass(frozen=True, slots=True)
class IndexGroup:
    """A top-level page and every page below it: the search page's list without JavaScript."""

    section: Link
    pages: tuple[Link, ...]


def _descendants(site: Site, path: str) -> list[str]:
    found: list[str] = []
    for child in site.pages[path].children:
        found += [child, *_descendants(site, child)]
    return found


def site_index(site: Site, links: Links, lang: str, skip: str) -> tuple[IndexGroup, ...]:
    """Every page published in `lang`, grouped under its top-level page, menu order first."""
    home = site.pages.get("")
    if home is None:
        return ()
    menu = [p for p in site.config.menu if p in home.children]
    groups = []
    for top in menu + [p for p in home.children if p not in menu]:
        section = links.get(top, lang)
        if top == skip or section is None or site.version(top, lang) is None:
            continue
        below = [p for p in _descendants(site, top) if site.version(p, lang) is not None]
        groups.append(IndexGroup(section, _links(links, below, lang)))
    return tuple(groups)


def page_picture(site: Site, version: Version, images: ImageProcessor | None) -> str:
    """The data.yaml image as responsive <picture> HTML, or "" when there is none."""
    page = site.pages[version.path]
    name = page.data.get("image")
    files = dict(page.files)
    if images is None or not isinstance(name, str) or name not in files:
        return ""
    alt = version.text.image_alt or ""
    suffix = PurePosixPath(name).suffix.lower()
    if suffix in RASTER:
        return Markup(images.picture_html(files[name], f"{page.src_dir}/{name}", alt))
    if suffix == ".svg":
        return Markup(images.svg_html(files[name], version.url + name, alt))
    return ""


@dataclass(frozen=True, slots=True)
class SiteWide:
    """What pages show of other pages, computed once per build.

    A page that shows the footer depends on its values, not on every page read to find
    them: renaming a partner the footer does not show re-renders no footer. `links` is
    every page's link in every language (linktable.py says why it is packed)."""

    official: Mapping[str, tuple[ExternalLink, ...]]
    links: Links


def footers(site: Site) -> dict[str, tuple[ExternalLink, ...]]:
    """Each language's official websites, the footer's links."""
    return {lang.code: official_websites(site, lang.code) for lang in site.config.languages}


def site_wide_views(site: Site, links: Site | None = None) -> SiteWide:
    """The footer from `site`; links from `links` (the draft preview's site), else `site`."""
    return SiteWide(footers(site), LinkTable(links or site))


INVEST = "invest"


def page_diagram(
    site: Site, version: Version, related: dict[str, tuple[Link, ...]], tools: LangTools
) -> str:
    """A cluster's graph of partners and initiatives, or the diagram data.yaml names."""
    page = site.pages[version.path]
    if page.kind == "cluster":
        partners = [link.title for link in related.get("partner", ())]
        initiatives = [link.title for link in related.get("initiative", ())]
        if not partners and not initiatives:
            return ""
        headings = (tools.t("partners"), tools.t("initiatives"))
        return cluster_graph(version.text.title, partners, initiatives, headings)
    if page.data.get("diagram") == "quadruple-helix":
        actors = ("helix_knowledge", "helix_companies", "helix_government", "helix_public")
        return quadruple_helix(
            [tools.t(key) for key in actors],
            tools.t("helix_centre"),
            tools.t("helix_title"),
            tools.t("helix_description"),
        )
    return ""


def page_view(
    site: Site,
    version: Version,
    body: str,
    tools: LangTools,
    images: ImageProcessor | None = None,
    wide: SiteWide | None = None,
) -> PageView:
    wide = wide or site_wide_views(site)
    links = wide.links
    config = site.config
    page = site.pages[version.path]
    lang = version.lang
    original = site.version(version.path, version.text_lang) if version.is_fallback else version
    canonical_url = (original or version).url
    alternates = [Alternate(lang, href) for lang, href in hreflang_links(site, page.path)]
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
    related = links.related(page.path, lang)
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
        menu=menu_links(site, links, lang, tools, page.path),
        breadcrumbs=tuple(
            replace(c, title=tools.t("home"), lang=lang) if c.kind == "home" else c
            for c in _links(links, crumbs, lang)
        ),
        children=_links(links, page.children, lang),
        related=related,
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
        locale=config.language(lang).locale,
        data_lang=config.default_language,
        clusters=_links(links, pages_of_kind(site, "cluster"), lang) if page.kind == "home" else (),
        official=wide.official[lang],
        search=links.get("search", lang, page.path),
        social=social_meta(site, version, config.origin + canonical_url),
        picture=page_picture(site, version, images),
        site_index=site_index(site, links, lang, page.path) if is_search_page(version) else (),
        figures=figure_views(page.data.get("figures"), lang, config.language(lang).locale),
        invest=links.get(INVEST, lang, page.path),
        diagram=page_diagram(site, version, related, tools),
    )
