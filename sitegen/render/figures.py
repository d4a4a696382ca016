"""The home page's "Leuven in figures" band: numbers written the way each language writes them."""

from __future__ import annotations

from dataclasses import dataclass

from babel.numbers import format_decimal

from sitegen.schema.figures import Figure


@dataclass(frozen=True, slots=True)
class FigureView:
    """One figure as the band shows it: the number, its label, year and source."""

    value: str
    label: str
    year: str
    source_title: str
    source_url: str


def figure_views(value: object, lang: str, locale: str) -> tuple[FigureView, ...]:
    """The checked figures in one language: 9,981 in English, 9.981 in Dutch, 9 981 in French."""
    if not isinstance(value, tuple):
        return ()
    return tuple(
        FigureView(
            format_decimal(f.value, locale=locale),
            f.label.get(lang, ""),
            f.year,
            f.source.title,
            f.source.url,
        )
        for f in value
        if isinstance(f, Figure)
    )
