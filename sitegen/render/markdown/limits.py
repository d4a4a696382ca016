"""Limits that keep Markdown conversion within seconds, whatever the text.

Python-Markdown rescans the rest of a paragraph for every '[' and '<' and tries every
abbreviation on every word, so a hostile text of a few hundred kilobytes could take hours.
The limits are far above what real pages use, and each one is named in its message.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree

from markdown import Markdown
from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor

from sitegen.diagnostics.diagnostic import Diagnostic, error

MAX_TEXT_CHARS = 100_000
# (what each match contains once, the pattern, the most matches a text may have, their name):
# counting the literal is cheap and never finds fewer than the pattern, so most texts are
# through with one count.
MAX_MARKS: tuple[tuple[str, re.Pattern[str], int, str], ...] = (
    ("[", re.compile(r"\["), 1_000, "'[' characters"),
    ("<", re.compile(r"<"), 1_000, "'<' characters"),
    (">", re.compile(r">"), 1_000, "'>' characters"),
    ("*[", re.compile(r"^ {0,3}\*\[", re.MULTILINE), 50, "abbreviations ('*[...]: ...' lines)"),
)
# Emphasis marks in a row: three make bold italics; thousands nest elements thousands deep.
MAX_MARK_RUN = 100
TOO_LONG_RUNS = ("*" * (MAX_MARK_RUN + 1), "_" * (MAX_MARK_RUN + 1))
MARK_RUN = re.compile(rf"\*{{{MAX_MARK_RUN + 1},}}|_{{{MAX_MARK_RUN + 1},}}")
LINK_WINDOW = 1_000  # a link's [text](address) may be at most this long


def _at(body: str, index: int, body_line: int) -> tuple[int, int]:
    line = body_line + body.count("\n", 0, index)
    return line, index - (body.rfind("\n", 0, index) + 1) + 1


def check_limits(body: str, src: str, body_line: int) -> list[Diagnostic]:
    """Refuse a text that would take the converter too long, pointing at where it passes."""
    if len(body) > MAX_TEXT_CHARS:
        return [
            error(
                src,
                *_at(body, MAX_TEXT_CHARS, body_line),
                f"the text is {len(body)} characters long; a page text may have at most "
                f"{MAX_TEXT_CHARS}",
                "split the text over several pages",
            )
        ]
    if any(r in body for r in TOO_LONG_RUNS) and (run := MARK_RUN.search(body)):
        return [
            error(
                src,
                *_at(body, run.start(), body_line),
                f"the text has {len(run.group())} '{run.group()[0]}' characters in a row; "
                f"at most {MAX_MARK_RUN} may follow each other",
                "emphasis takes one to three: *italic*, **bold**, ***bold italic***",
            )
        ]
    for literal, pattern, limit, what in MAX_MARKS:
        if body.count(literal) <= limit:
            continue
        for count, match in enumerate(pattern.finditer(body), start=1):
            if count > limit:
                return [
                    error(
                        src,
                        *_at(body, match.start(), body_line),
                        f"the text has more than {limit} {what}, the most a page text may have",
                        "split the text over several pages",
                    )
                ]
    return []


Match = tuple[etree.Element | str | None, int | None, int | None]


class _Windowed:
    """A link pattern that looks at most LINK_WINDOW characters ahead of each '['."""

    def __init__(self, processor: InlineProcessor) -> None:
        self.handle = processor.handleMatch

    def __call__(self, m: re.Match[str], data: str) -> Match:
        return self.handle(m, data[: m.end(0) + LINK_WINDOW])


class LinkWindow(Extension):
    """Bound how far Python-Markdown scans for the end of a link, so '[' costs a constant."""

    NAMES = (
        "reference",
        "link",
        "image_link",
        "image_reference",
        "short_reference",
        "short_image_ref",
    )

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Markdown's API name)
        for name in self.NAMES:
            if name in md.inlinePatterns:
                processor = md.inlinePatterns[name]
                if isinstance(processor, InlineProcessor):
                    processor.handleMatch = _Windowed(processor)  # type: ignore[method-assign]
