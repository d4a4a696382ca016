"""Clean URLs per language, output paths, and collisions between them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sitegen.diagnostics import codes
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


@dataclass(frozen=True, slots=True)
class Claim:
    """A page version's output file, and where its slug is written if it has one."""

    out: str
    src: str
    slug: tuple[int, int] | None


def find_collisions(claims: list[Claim]) -> list[Diagnostic]:
    """Every output written twice, naming both source files; case-insensitive file systems too.

    The error points at the `slug:` line that made the clash when there is one (the change
    the editor made), else at the start of the later file.
    """
    seen: dict[str, Claim] = {}
    diags: list[Diagnostic] = []
    for claim in claims:
        key = claim.out.casefold()
        first = seen.get(key)
        if first is None:
            seen[key] = claim
            continue
        if first.src == claim.src:
            continue
        here, other = (first, claim) if first.slug and not claim.slug else (claim, first)
        line, col = here.slug or (1, 1)
        diags.append(
            error(
                here.src,
                line,
                col,
                f"this page writes {claim.out}, which {other.src} writes too",
                "give one of the two pages another 'slug:' or folder name",
                codes.DUPLICATE_OUTPUT,
            )
        )
    return diags
