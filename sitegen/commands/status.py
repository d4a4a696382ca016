"""Translation status: each page by language, ok, missing or stale, unit by unit.

Staleness is decided by content: each page folder's committed translations.yaml records, per
language, a hash of every English unit the translation was made from (source/record.py). A unit
whose English text is no longer the recorded one needs review; edits to the translation alone
never change that. `--accept` records the current English as translated (a typo fix that needs
no translation, or a translation brought up to date by hand).

The earlier English text of a changed unit, for the word-by-word diff, comes from git history
(read-only); without it, the new text is shown whole.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from sitegen.commands.worddiff import Words, earlier_texts, word_diff, words_text
from sitegen.diagnostics import codes
from sitegen.diagnostics.diagnostic import Diagnostic, error
from sitegen.schema.config import SITE_SRC, SiteConfig, parse_config
from sitegen.source.load import SiteSources, SourcePage, load_sources
from sitegen.source.record import (
    RECORD_NAME,
    Alignment,
    Entry,
    align,
    entries,
    parse_record,
)
from sitegen.source.segments import Segment, cut_segments
from sitegen.source.textfile import load_yaml_file, read_text

State = Literal["source", "present", "missing", "stale"]
ChangeState = Literal["changed", "new", "removed", "unrecorded"]


@dataclass(frozen=True, slots=True)
class Change:
    """One English unit that needs review in one translation, with its words marked."""

    kind: str
    line: int  # in the English file; 0 for a unit that was removed
    state: ChangeState
    words: Words


@dataclass(frozen=True, slots=True)
class Cell:
    """One page in one language; for a stale one, the units that changed in English since."""

    state: State
    src: str
    draft: bool = False
    since: str = ""
    lines: tuple[tuple[int, int], ...] = ()
    diff: str = ""
    changes: tuple[Change, ...] = ()
    units: int = 0


@dataclass(frozen=True, slots=True)
class Row:
    path: str
    source: str
    cells: Mapping[str, Cell]


@dataclass(frozen=True, slots=True)
class Status:
    """The whole matrix; `method` is how staleness was decided (always the record now)."""

    method: Literal["record"]
    default: str
    languages: tuple[str, ...]
    fallback: str
    rows: tuple[Row, ...]

    def count(self, state: State) -> int:
        return sum(1 for row in self.rows for c in row.cells.values() if c.state == state)


@dataclass(frozen=True, slots=True)
class PageText:
    """One file of a page: its text and units."""

    src: str
    text: str
    segments: tuple[Segment, ...]
    draft: bool


@dataclass(frozen=True, slots=True)
class PageTexts:
    """A page's English file, its translations and its record, read for status and XLIFF."""

    page: SourcePage
    english: PageText
    translations: Mapping[str, PageText]
    records: Mapping[str, tuple[Entry, ...]]
    record_src: str

    def alignment(self, lang: str) -> Alignment:
        own = self.translations.get(lang)
        kinds = [s.kind for s in own.segments] if own is not None else []
        return align(entries(self.english.segments), self.records.get(lang), kinds)


def _is_draft(page: SourcePage, lang: str) -> bool:
    text = page.texts[lang]
    value = text.front.value if text.front is not None else None
    return isinstance(value, dict) and value.get("draft") is True


def read_pages(
    root: Path, sources: SiteSources, config: SiteConfig, diags: list[Diagnostic]
) -> list[PageTexts]:
    """Every page with a default-language file, its units cut and its record read."""
    found = []
    for page in sources.pages:
        if config.default_language not in page.texts:
            continue
        files: dict[str, PageText] = {}
        for lang, source in page.texts.items():
            text = read_text(root / source.src, source.src, diags)
            if text is not None and lang in config.codes:
                files[lang] = PageText(source.src, text, cut_segments(text), _is_draft(page, lang))
        english = files.pop(config.default_language, None)
        if english is None:
            continue
        record_src = f"{page.src_dir}/{RECORD_NAME}"
        records, problems = parse_record(
            page.record, record_src, config.codes, config.default_language
        )
        diags.extend(problems)
        found.append(PageTexts(page, english, files, records, record_src))
    return found


def load_pages(root: Path) -> tuple[SiteConfig | None, list[PageTexts], list[Diagnostic]]:
    sources = load_sources(root)
    config, diags = parse_config(sources.site)
    diags = list(sources.diagnostics) + diags
    if config is None:
        return None, [], diags
    return config, read_pages(root, sources, config, diags), diags


def language_problem(config: SiteConfig, langs: Sequence[str], hint: str) -> tuple[str, str] | None:
    """(message, hint) for the first of `langs` that is not a translation language, if any."""
    others = [c for c in config.codes if c != config.default_language]
    for lang in langs:
        if lang not in others:
            message = f"'{lang}' is not a translation language of site.yaml ({', '.join(others)})"
            return message, hint
    return None


def language_error(root: Path, message: str, hint: str) -> Diagnostic:
    """A language asked for on the command line that site.yaml does not have: reported at
    site.yaml's `languages`, where it would be added."""
    doc = load_yaml_file(root / SITE_SRC, SITE_SRC, [])
    line, col = doc.pos("languages") if doc is not None else (1, 1)
    return error(SITE_SRC, line, col, message, hint, codes.UNKNOWN_LANGUAGE)


# --- the earlier English text, from git ---------------------------------------------------


def _spans(numbers: Sequence[int]) -> tuple[tuple[int, int], ...]:
    spans: list[tuple[int, int]] = []
    for number in sorted(set(n for n in numbers if n > 0)):
        if spans and number == spans[-1][1] + 1:
            spans[-1] = (spans[-1][0], number)
        else:
            spans.append((number, number))
    return tuple(spans)


def _changes(pt: PageTexts, lang: str, earlier: Mapping[str, str]) -> tuple[Change, ...]:
    english = pt.english.segments
    found = pt.alignment(lang)
    record = pt.records.get(lang, ())
    changes: list[Change] = []
    if not found.recorded:
        return tuple(Change(s.kind, s.line, "unrecorded", (("=", s.text),)) for s in english)
    for index, state in enumerate(found.states):
        if state == "final":
            continue
        seg = english[index]
        before = found.made_from[index]
        old = earlier.get(record[before][1]) if before is not None else None
        if state == "review" and old is not None:
            changes.append(Change(seg.kind, seg.line, "changed", word_diff(old, seg.text)))
        elif state == "review":
            changes.append(Change(seg.kind, seg.line, "changed", (("+", seg.text),)))
        else:
            changes.append(Change(seg.kind, seg.line, "new", (("+", seg.text),)))
    for j in found.removed:
        kind, gone = record[j]
        text = earlier.get(gone, "(the earlier English text is not in the git history)")
        changes.append(Change(kind, 0, "removed", (("-", text),)))
    return tuple(changes)


def _cell(root: Path, pt: PageTexts, lang: str) -> Cell:
    own = pt.translations.get(lang)
    if own is None or own.draft:
        src = own.src if own is not None else f"{pt.page.src_dir}/{lang}.md"
        return Cell("missing", src, draft=own is not None)
    found = pt.alignment(lang)
    if found.up_to_date:
        return Cell("present", own.src, units=len(pt.english.segments))
    record = pt.records.get(lang, ())
    wanted = {record[j][1] for j in found.made_from if j is not None}
    wanted |= {record[j][1] for j in found.removed}
    wanted -= {s.digest for s in pt.english.segments}
    changes = _changes(pt, lang, earlier_texts(root, pt.english.src, wanted))
    since = "recorded" if found.recorded else "unrecorded"
    diff = "\n".join(
        f"line {c.line}, {c.kind}: {words_text(c.words)}"
        if c.line
        else f"removed {c.kind}: {words_text(c.words)}"
        for c in changes
        if c.state != "unrecorded"
    )
    lines = _spans([c.line for c in changes])
    return Cell("stale", own.src, False, since, lines, diff, changes, len(pt.english.segments))


def translation_status(root: Path) -> tuple[Status | None, list[Diagnostic]]:
    """The matrix for every page with a default-language file; problems with site.yaml too."""
    config, pages, diags = load_pages(root)
    if config is None:
        return None, diags
    rows = []
    for pt in pages:
        default = config.default_language
        cells = {default: Cell("source", pt.english.src, pt.english.draft)}
        for lang in (c for c in config.codes if c != default):
            cells[lang] = _cell(root, pt, lang)
        rows.append(Row(pt.page.path, pt.english.src, cells))
    languages = (config.default_language,) + tuple(
        c for c in config.codes if c != config.default_language
    )
    return Status("record", config.default_language, languages, config.fallback, tuple(rows)), diags


def failing(status: Status, states: frozenset[str]) -> bool:
    """True when a state that CI was asked to fail on (--fail-on missing,stale) occurs."""
    return ("missing" in states and status.count("missing") > 0) or (
        "stale" in states and status.count("stale") > 0
    )
