"""Clean URLs per language, output paths, and collisions between them."""

from __future__ import annotations

from collections.abc import Mapping

from sitegen.diagnostics.diagnostic import Diagnostic, error
from sitegen.schema.validate import CheckedPage


def segment(page: CheckedPage, lang: str) -> str:
    """The last URL segment: the translation's slug, else the folder name."""
    text = page.texts.get(lang)
    if text is not None and text.slug:
        return text.slug
    return page.path.rsplit("/", 1)[-1]


def page_url(path: str, lang: str, pages: Mapping[str, CheckedPage], prefix: str) -> str:
    """`/<prefix>/<lang>/<slug>/.../` built from each ancestor's slug in that language."""
    parts = [lang]
    if path:
        names = path.split("/")
        for depth in range(1, len(names) + 1):
            ancestor = pages.get("/".join(names[:depth]))
            parts.append(segment(ancestor, lang) if ancestor else names[depth - 1])
    return prefix + "/".join(parts) + "/"


def out_path(url: str, prefix: str) -> str:
    """The file a clean URL is served from, relative to the build folder."""
    return url.removeprefix(prefix) + "index.html"


def find_collisions(claims: list[tuple[str, str]]) -> list[Diagnostic]:
    """Every output written twice, naming both source files; case-insensitive file systems too."""
    seen: dict[str, tuple[str, str]] = {}
    diags: list[Diagnostic] = []
    for out, src in claims:
        key = out.casefold()
        if key in seen:
            first_out, first_src = seen[key]
            if first_src == src:
                continue
            diags.append(
                error(
                    src,
                    1,
                    1,
                    f"this page writes {out}, which {first_src} writes too",
                    "give one of the two pages another 'slug:' or folder name",
                )
            )
        else:
            seen[key] = (out, src)
    return diags
