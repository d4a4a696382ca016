"""Link previews and structured data for one page: Open Graph, Twitter card and JSON-LD.

Kept apart from views.py because these values are for crawlers and share dialogs, not readers.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from markupsafe import Markup

from sitegen.model.site import Site, Version


@dataclass(frozen=True, slots=True)
class Social:
    """What base.html puts in og:*, twitter:* and the JSON-LD block."""

    og_type: str
    url: str
    locale: str
    alternate_locales: tuple[str, ...]
    image: str
    image_alt: str
    twitter_card: str
    json_ld: Markup


def json_ld_text(data: dict[str, object]) -> Markup:
    """JSON that is safe inside <script type="application/ld+json">.

    '<', '>' and '&' are written as \\u escapes, so a title containing '</script>' cannot end
    the element early; JSON parsers read the escapes back as the same characters.
    """
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    for char, escape in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
        text = text.replace(char, escape)
    return Markup(text)


def structured_data(site: Site, version: Version, canonical: str) -> dict[str, object]:
    """schema.org data: a WebSite for a home page, an Organization for a partner, else none."""
    page = site.pages[version.path]
    text = version.text
    if page.kind == "home":
        return {
            "@context": "https://schema.org",
            "@type": "WebSite",
            "name": site.config.name,
            "url": canonical,
            "inLanguage": version.text_lang,
            "description": text.description,
        }
    if page.kind == "partner":
        website = page.data.get("website")
        founded = page.data.get("founded")
        data: dict[str, object] = {
            "@context": "https://schema.org",
            "@type": "Organization",
            "name": text.title,
            "description": text.description,
            "url": website if isinstance(website, str) else canonical,
            "mainEntityOfPage": canonical,
        }
        if isinstance(founded, str):
            data["foundingDate"] = founded
        return data
    return {}


def social_meta(site: Site, version: Version, canonical: str) -> Social:
    """Preview data in the language of the text, pointing at the canonical address."""
    config = site.config
    page = site.pages[version.path]
    locales = {lang.code: lang.locale for lang in config.languages}
    alternates = tuple(
        locales[v.lang] for v in site.alternates(page.path) if v.lang != version.text_lang
    )
    image = page.data.get("image")
    image_url = config.origin + version.url + image if isinstance(image, str) else ""
    data = structured_data(site, version, canonical)
    return Social(
        og_type="article" if page.kind == "news" else "website",
        url=canonical,
        locale=locales.get(version.text_lang, version.text_lang),
        alternate_locales=alternates,
        image=image_url,
        image_alt=version.text.image_alt or "" if image_url else "",
        twitter_card="summary_large_image" if image_url else "summary",
        json_ld=json_ld_text(data) if data else Markup(""),
    )
