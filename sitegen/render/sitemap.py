"""sitemap.xml with hreflang alternates, robots.txt, and an Atom feed per language."""

from __future__ import annotations

from html import escape as _escape

from sitegen.model.site import Site
from sitegen.render.alternates import HOME, alternates, root_url
from sitegen.schema.values import PartialDate


def escape(text: str) -> str:
    """XML text: &, < and > escaped, as xml.sax.saxutils does. (That module imports
    urllib.request, ssl and email: 0.01 s of every run for three replacements.)"""
    return _escape(text, quote=False)


def quoteattr(value: str) -> str:
    """An XML attribute value with its quotes, exactly as xml.sax.saxutils.quoteattr."""
    value = escape(value).replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;")
    if '"' not in value:
        return f'"{value}"'
    if "'" not in value:
        return f"'{value}'"
    return '"{}"'.format(value.replace('"', "&quot;"))


def render_sitemap(site: Site) -> bytes:
    """Every real translation, each listing all its alternates (fallbacks are not listed).

    The language chooser at the root comes first: it is the home pages' x-default, so it is
    listed with their alternates (render/alternates.py)."""
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:xhtml="http://www.w3.org/1999/xhtml">',
    ]
    entries = [(root_url(site), alternates(site, HOME))] if site.alternates(HOME) else []
    for path in site.pages:
        links = alternates(site, path)
        entries += [(href, links) for lang, href in links if lang != "x-default"]
    for loc, links in entries:
        lines.append(f"  <url><loc>{escape(loc)}</loc>")
        for lang, href in links:
            lines.append(
                f'    <xhtml:link rel="alternate" hreflang="{lang}" href={quoteattr(href)}/>'
            )
        lines.append("  </url>")
    lines.append("</urlset>")
    return ("\n".join(lines) + "\n").encode()


def render_robots(site: Site) -> bytes:
    return f"User-agent: *\nAllow: /\n\nSitemap: {site.config.base_url}sitemap.xml\n".encode()


def _stamp(date: PartialDate) -> str:
    return date.first_day().isoformat() + "T00:00:00Z"


def render_feed(site: Site, lang: str, title: str) -> bytes:
    """Atom feed of the news pages in one language, newest first; stable ids per page."""
    origin = site.config.origin
    items = []
    for path, page in site.pages.items():
        date = page.data.get("date")
        version = site.version(path, lang)
        if page.kind == "news" and isinstance(date, PartialDate) and version is not None:
            items.append((date, path, version))
    items.sort(key=lambda item: (item[0].key(), item[1]), reverse=True)
    home = site.link("", lang)
    home_url = origin + (home.url if home else site.config.url_prefix)
    feed_url = f"{origin}{site.config.url_prefix}{lang}/feed.xml"
    updated = _stamp(items[0][0]) if items else "1970-01-01T00:00:00Z"
    out = [
        '<?xml version="1.0" encoding="utf-8"?>',
        f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="{lang}">',
        f"  <title>{escape(title)}</title>",
        f"  <id>{escape(feed_url)}</id>",
        f'  <link rel="self" href={quoteattr(feed_url)}/>',
        f'  <link rel="alternate" type="text/html" href={quoteattr(home_url)}/>',
        f"  <updated>{updated}</updated>",
        f"  <author><name>{escape(site.config.name)}</name></author>",
    ]
    for date, _path, version in items:
        url = origin + version.url
        out += [
            "  <entry>",
            f"    <title>{escape(version.text.title)}</title>",
            f'    <link rel="alternate" type="text/html" href={quoteattr(url)}/>',
            f"    <id>{escape(url)}</id>",
            f"    <updated>{_stamp(date)}</updated>",
            f"    <summary>{escape(version.text.description)}</summary>",
            "  </entry>",
        ]
    out.append("</feed>")
    return ("\n".join(out) + "\n").encode()
