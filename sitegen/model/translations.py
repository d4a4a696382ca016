"""Which language versions of a page exist, following the site's fallback policy."""

from __future__ import annotations

from sitegen.schema.config import SiteConfig
from sitegen.schema.validate import CheckedPage, CheckedText


def published_texts(page: CheckedPage, config: SiteConfig) -> dict[str, CheckedText]:
    """Map each language a page is published in to the text it shows there.

    A draft counts as missing. With `fallback: publish` a missing language shows the default
    language's text; with `fallback: omit` it is left out and links go to the original.
    """
    own = {lang: t for lang, t in page.texts.items() if not t.draft}
    original = own.get(config.default_language)
    if original is None:
        return {}
    out: dict[str, CheckedText] = {}
    for lang in config.codes:
        if lang in own:
            out[lang] = own[lang]
        elif config.fallback == "publish":
            out[lang] = original
    return out
