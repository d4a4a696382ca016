"""A page's hreflang alternates and its one x-default, the same in its head and in the sitemap.

A cluster of alternates names one x-default. For the home pages it is the language chooser at
the site root: it is there for a visitor whose language the site does not have, which is what
x-default means, so the chooser is in the sitemap too, with the home pages' alternates. Every
other page has no chooser of its own; its x-default is the version in the site's default
language (English), the text the others are translated from.
"""

from __future__ import annotations

from sitegen.model.site import Site

HOME = ""


def root_url(site: Site) -> str:
    """The chooser's address: the site root."""
    return site.config.origin + site.config.url_prefix


def x_default(site: Site, path: str) -> str | None:
    """The absolute address every alternate of `path` names as x-default, if it has alternates."""
    if not site.alternates(path):
        return None
    if path == HOME:
        return root_url(site)
    default = site.version(path, site.config.default_language)
    return site.config.origin + default.url if default is not None else None


def alternates(site: Site, path: str) -> tuple[tuple[str, str], ...]:
    """(hreflang, absolute address) for every real translation of `path`, then x-default."""
    origin = site.config.origin
    links = [(v.lang, origin + v.url) for v in site.alternates(path)]
    default = x_default(site, path)
    if default is not None:
        links.append(("x-default", default))
    return tuple(links)
