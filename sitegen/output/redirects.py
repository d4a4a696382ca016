"""Redirects as files: a small page at each old address, and the manifest's record of them.

GitHub Pages reads neither `_redirects` nor an nginx config, so each old address also gets an
HTML page that sends the visitor on (meta refresh), tells search engines where the page lives
now (canonical, noindex) and shows a link for anyone whose browser does not follow. These pages
are not in the model, so the sitemap, the feeds and the search never list them.
"""

from __future__ import annotations

from html import escape

from sitegen.model.redirects import Redirect, site_redirects
from sitegen.model.site import Site
from sitegen.model.urls import out_path
from sitegen.output.hosting import hosting_outputs


def redirect_page(site: Site, redirect: Redirect) -> bytes:
    """The page at an old address; no script or style, so it passes the site's CSP."""
    version = site.versions[(redirect.path, redirect.lang)]
    new = escape(redirect.new)
    title = escape(version.text.title)
    html = (
        "<!doctype html>\n"
        f'<html lang="{redirect.lang}">\n'
        "<head>\n"
        '<meta charset="utf-8">\n'
        f"<title>{title}</title>\n"
        '<meta name="robots" content="noindex">\n'
        f'<link rel="canonical" href="{escape(site.config.origin)}{new}">\n'
        f'<meta http-equiv="refresh" content="0; url={new}">\n'
        "</head>\n"
        f'<body><p><a href="{new}">{title}</a></p></body>\n'
        "</html>\n"
    )
    return html.encode()


def host_outputs(site: Site) -> list[tuple[str, bytes]]:
    """`_headers`, `_redirects` and a page at every old address, as build outputs."""
    redirects, _ = site_redirects(site)
    prefix = site.config.url_prefix
    pages = [(out_path(r.old, prefix), redirect_page(site, r)) for r in redirects]
    return hosting_outputs(site.config, redirects) + pages


def manifest_redirects(site: Site) -> dict[str, str]:
    """{old page file: new address}: a deploy guard counts these pages as moved, not removed."""
    prefix = site.config.url_prefix
    return {out_path(r.old, prefix): r.new for r in site_redirects(site)[0]}
