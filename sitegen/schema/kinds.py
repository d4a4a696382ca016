"""What fields each kind of page takes: the one readable place for editors and tools.

Validation, `sitegen new` and the editors' guide all read these tables.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

PageKind = Literal["home", "section", "cluster", "partner", "initiative", "news", "page"]
PAGE_KINDS: tuple[PageKind, ...] = (
    "home",
    "section",
    "cluster",
    "partner",
    "initiative",
    "news",
    "page",
)
FieldType = Literal[
    "text", "int", "bool", "date", "url", "year", "refs", "sources", "file", "paths", "figures"
]


@dataclass(frozen=True, slots=True)
class Field:
    """One front matter or data.yaml field: its type, whether it is required, and why."""

    name: str
    type: FieldType
    help: str
    required: bool = False
    target: str | None = None
    example: str = ""


FRONT_MATTER: tuple[Field, ...] = (
    Field(
        "title",
        "text",
        "the page title, shown as heading and in search results",
        required=True,
        example="Page title",
    ),
    Field(
        "description",
        "text",
        "one sentence for search results and link previews",
        required=True,
        example="One sentence that says what this page is about.",
    ),
    Field("slug", "text", "the last part of this page's address in this language"),
    Field("template", "text", "a template in templates/ to use instead of the kind's own"),
    Field("draft", "bool", "true keeps the page out of the published site"),
    Field("image_alt", "text", "describes the page image (data.yaml 'image') for blind readers"),
)

COMMON_DATA: tuple[Field, ...] = (
    Field("weight", "int", "order in lists: smaller numbers come first", example="10"),
    Field("image", "file", "an image file in this page's folder"),
    Field(
        "sources",
        "sources",
        "where the page's facts come from: '- title: ...', 'url: ...', 'figures: [...]'",
    ),
    Field(
        "publish_email",
        "bool",
        "true allows mail addresses in this page's text (published addresses attract spam)",
    ),
    Field(
        "moved_from",
        "paths",
        "old content paths of this page, e.g. [partners/lasa-old]: their addresses redirect here",
    ),
)

# Diagrams the generator can draw on a page (render/diagram.py), named in data.yaml.
DIAGRAMS = ("quadruple-helix",)

KIND_DATA: dict[PageKind, tuple[Field, ...]] = {
    "home": (
        Field(
            "figures",
            "figures",
            "key numbers on the home page, each with 'value', 'year', 'label' in every "
            "language and 'source: {title: ..., url: https://...}'",
        ),
    ),
    "partner": (
        Field("website", "url", "the official website"),
        Field("founded", "year", "the year it was founded"),
        Field("clusters", "refs", "the clusters it belongs to", target="clusters", example="[]"),
    ),
    "initiative": (
        Field("website", "url", "the official website"),
        Field("diagram", "text", "a diagram the generator draws on the page: quadruple-helix"),
        Field("clusters", "refs", "the clusters it serves", target="clusters", example="[]"),
        Field("partners", "refs", "the partners behind it", target="partners", example="[]"),
    ),
    "news": (
        Field(
            "date",
            "date",
            "when it happened: YYYY-MM-DD, YYYY-MM or YYYY",
            required=True,
            example="2026-01-01",
        ),
        Field(
            "related", "refs", "content paths of related pages, e.g. partners/imec", example="[]"
        ),
    ),
}


def front_matter_fields() -> tuple[Field, ...]:
    """The same fields for every kind: kinds differ in their data.yaml, not front matter."""
    return FRONT_MATTER


def data_fields(kind: PageKind) -> tuple[Field, ...]:
    return COMMON_DATA + KIND_DATA.get(kind, ())


def suggest(word: str, options: Iterable[str], otherwise: str) -> str:
    """A 'did you mean' hint, or the fallback hint when nothing is close."""
    close = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else otherwise
