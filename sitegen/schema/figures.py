"""The home page's 'figures:' list: key numbers, each with its year and its source.

A figure is the same fact in every language (only its label is translated), so it lives in
data.yaml rather than in the four page texts, where the versions could drift apart.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from sitegen.schema.config import web_address
from sitegen.source.yamlpos import shorten

YEAR = re.compile(r"^\d{4}$")
FIELDS = ("value", "label", "year", "source")

Fail = Callable[[tuple[str | int, ...], str, str], None]


@dataclass(frozen=True, slots=True)
class FigureSource:
    """Where a figure comes from: the document's own title and its address."""

    title: str
    url: str


@dataclass(frozen=True, slots=True)
class Figure:
    """One key number: its value, a label per language, the year it refers to, its source."""

    value: int | float
    label: Mapping[str, str]
    year: str
    source: FigureSource


def check_figures(
    name: str, value: object, languages: tuple[str, ...], fail: Fail
) -> tuple[Figure, ...]:
    """Every item needs a number, a label in each language, a year and a source."""
    example = "write '- value: 9981', 'year: \"2023\"', 'label: {en: ...}', 'source: {...}'"
    if not isinstance(value, list):
        fail((name,), f"'{name}' must be a list", example)
        return ()
    out: list[Figure] = []
    for i, item in enumerate(value):
        if not isinstance(item, dict):
            fail((name, i), "each figure needs a 'value', 'label', 'year' and 'source'", example)
            continue
        before = _Counter(fail)
        for key in sorted(set(item) - set(FIELDS), key=str):
            fail(
                (name, i, str(key), "__key__"),
                f"unknown field '{shorten(key)}' in a figure",
                "remove it; allowed: " + ", ".join(FIELDS),
            )
        for key in FIELDS:
            if item.get(key) is None:
                before.fail((name, i), f"this figure has no '{key}'", f"add '{key}: ...'")
        number = item.get("value")
        if number is not None and (not isinstance(number, int | float) or isinstance(number, bool)):
            before.fail(
                (name, i, "value"),
                f"'value' must be a number, not '{shorten(number)}'",
                "write digits only, without separators or units: 'value: 9981'",
            )
        year = str(item.get("year", "")).strip()
        if item.get("year") is not None and not YEAR.match(year):
            before.fail(
                (name, i, "year"),
                f"'year' must be a year like 2023, not '{shorten(item['year'])}'",
                "give the year the figure was measured or published",
            )
        label = item.get("label")
        labels: dict[str, str] = {}
        if label is not None:
            if not isinstance(label, dict):
                before.fail(
                    (name, i, "label"),
                    "'label' must give the text in every language",
                    "write it as 'label: {en: ..., nl: ..., fr: ..., de: ...}'",
                )
            else:
                for lang in languages:
                    text = label.get(lang)
                    if not isinstance(text, str) or not text.strip():
                        before.fail(
                            (name, i, "label"),
                            f"this figure's label has no text for '{lang}'",
                            f"add '{lang}: ...' to the label",
                        )
                    else:
                        labels[lang] = text.strip()
        source = item.get("source")
        url = source.get("url") if isinstance(source, dict) else None
        title = source.get("title") if isinstance(source, dict) else None
        if source is not None and not (
            isinstance(url, str)
            and url.startswith(("http://", "https://"))
            and web_address(url.strip())
            and isinstance(title, str)
            and title.strip()
        ):
            before.fail(
                (name, i, "source"),
                "a figure's source needs a 'title' and a 'url' (https://...)",
                "write 'source: {title: Name of the document, url: https://...}'",
            )
        if before.count == 0 and isinstance(number, int | float) and isinstance(url, str):
            out.append(Figure(number, labels, year, FigureSource(str(title).strip(), url.strip())))
    return tuple(out)


class _Counter:
    """Passes failures on and counts them, so a broken figure is left out of the page."""

    def __init__(self, fail: Fail) -> None:
        self._fail, self.count = fail, 0

    def fail(self, key: tuple[str | int, ...], message: str, hint: str) -> None:
        self.count += 1
        self._fail(key, message, hint)
