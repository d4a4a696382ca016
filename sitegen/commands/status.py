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

import html
import json
import os
import re
import shutil
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from pathlib import Path
from typing import Literal

from sitegen.diagnostics.diagnostic import Diagnostic, error
from sitegen.schema.config import SiteConfig, parse_config
from sitegen.source.load import SiteSources, SourcePage, load_sources
from sitegen.source.record import (
    RECORD_NAME,
    Alignment,
    Entry,
    align,
    entries,
    format_record,
    parse_record,
)
from sitegen.source.segments import Segment, cut_segments
from sitegen.source.textfile import read_text

State = Literal["source", "present", "missing", "stale"]
ChangeState = Literal["changed", "new", "removed", "unrecorded"]
Words = tuple[tuple[str, str], ...]  # ("=" | "-" | "+", text)
WORD = re.compile(r"\w+|\s+|[^\w\s]")  # words, spaces and each punctuation mark
GIT_DEPTH = 200  # commits of an English file searched for the earlier text of changed units


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


# --- the earlier English text, from git ---------------------------------------------------


def _git(root: Path, *args: str) -> str:
    env = dict(os.environ, GIT_LITERAL_PATHSPECS="1", GIT_OPTIONAL_LOCKS="0")
    done = subprocess.run(
        ["git", "-c", "core.quotePath=false", "-C", str(root), *args],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    return done.stdout if done.returncode == 0 else ""


def earlier_texts(root: Path, src: str, wanted: set[str]) -> dict[str, str]:
    """digest -> English text of units no longer in the file, found in its git history."""
    found: dict[str, str] = {}
    if not wanted or shutil.which("git") is None:
        return found
    log = _git(root, "log", f"-n{GIT_DEPTH}", "--format=%H", "--", src)
    for commit in log.split():
        text = _git(root, "show", f"{commit}:./{src}")
        for segment in cut_segments(text.replace("\r\n", "\n")):
            if segment.digest in wanted:
                found.setdefault(segment.digest, segment.text)
        if wanted <= found.keys():
            break
    return found


# --- word by word ------------------------------------------------------------------------


def word_diff(old: str, new: str) -> Words:
    """The words of new, with those that replace or add to old marked, old ones kept too."""
    a, b = WORD.findall(old), WORD.findall(new)
    out: list[tuple[str, str]] = []
    for op, a1, a2, b1, b2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(("=", "".join(a[a1:a2])))
            continue
        if a2 > a1:
            out.append(("-", "".join(a[a1:a2])))
        if b2 > b1:
            out.append(("+", "".join(b[b1:b2])))
    return tuple(out)


def words_text(words: Words) -> str:
    """Terminal form, as `git diff --word-diff`: [-removed-]{+added+}."""
    marks = {"=": "{}", "-": "[-{}-]", "+": "{{+{}+}}"}
    return "".join(marks[op].format(text) for op, text in words)


def words_html(words: Words) -> str:
    tags = {"=": "{}", "-": "<del>{}</del>", "+": "<ins>{}</ins>"}
    return "".join(tags[op].format(html.escape(text)) for op, text in words)


# --- the matrix --------------------------------------------------------------------------


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


# --- accepting ---------------------------------------------------------------------------


def write_record(
    root: Path, pt: PageTexts, records: Mapping[str, tuple[Entry, ...]], config: SiteConfig
) -> bool:
    """Write a page's record when it changed; True when the file was written."""
    target = root / pt.record_src
    text = format_record(records, config.default_language, config.codes) if records else ""
    try:
        old = target.read_text(encoding="utf-8")
    except OSError:
        old = ""
    if text == old or (not text and not target.exists()):
        return False
    tmp = target.with_name(f".{RECORD_NAME}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, target)
    return True


def _page_for(pages: Sequence[PageTexts], target: str) -> tuple[PageTexts | None, str | None]:
    """The page a path names (content/x, x, content/x/en.md, content/x/nl.md) and a language
    the file name implies."""
    path = target.strip().rstrip("/")
    lang = None
    if path.endswith(".md"):
        path, _, name = path.rpartition("/")
        lang = name[:-3]
    path = path.removeprefix("./")
    for pt in pages:
        if path in (pt.page.src_dir, pt.page.path) or (path == "content" and pt.page.path == ""):
            return pt, lang
    return None, lang


def accept(
    root: Path, target: str | None, languages: Sequence[str]
) -> tuple[list[str], list[Diagnostic]]:
    """Record the current English as what the translations were made from.

    target None: every page (how the record is started for translations on par today).
    """
    config, pages, diags = load_pages(root)
    if config is None:
        return [], diags
    default = config.default_language
    langs = [c for c in config.codes if c != default]
    for lang in languages:
        if lang not in langs:
            message = f"'{lang}' is not a translation language of site.yaml ({', '.join(langs)})"
            diags.append(error("content/site.yaml", 1, 1, message, "use one of them with --lang"))
            return [], diags
    chosen = pages
    if target is not None:
        pt, implied = _page_for(pages, target)
        if pt is None:
            diags.append(
                error(
                    target,
                    1,
                    1,
                    f"'{target}' is not a page folder with a {default}.md file",
                    "give the page folder, e.g. content/partners/imec",
                )
            )
            return [], diags
        chosen = [pt]
        if implied is not None and implied != default and not languages:
            languages = [implied]
    wanted = list(languages) or langs
    done: list[str] = []
    for pt in chosen:
        records = dict(pt.records)
        current = entries(pt.english.segments)
        for lang in wanted:
            own = pt.translations.get(lang)
            if own is None or records.get(lang) == current:
                continue
            before = pt.alignment(lang)
            records[lang] = current
            review = sum(1 for s in before.states if s != "final") if before.recorded else 0
            what = f"{review} changed unit(s) need no translation" if review else "recorded"
            done.append(f"accepted {own.src}: {what}")
        if write_record(root, pt, records, config):
            done.append(f"wrote {pt.record_src}")
    return done, diags


def failing(status: Status, states: frozenset[str]) -> bool:
    """True when a state that CI was asked to fail on (--fail-on missing,stale) occurs."""
    return ("missing" in states and status.count("missing") > 0) or (
        "stale" in states and status.count("stale") > 0
    )


LABELS: dict[State, str] = {
    "source": "source",
    "present": "ok",
    "missing": "missing",
    "stale": "STALE",
}


def _label(cell: Cell) -> str:
    return "draft" if cell.draft else LABELS[cell.state]


def _reason(cell: Cell, row: Row, default: str) -> str:
    if cell.since == "unrecorded":
        return (
            f"{cell.src} is stale: there is no record of the {default} text it was made from "
            f"({RECORD_NAME})"
        )
    review = sum(1 for c in cell.changes if c.state != "removed")
    gone = len(cell.changes) - review
    parts = [f"{review} of {cell.units} units of {row.source} changed since it was translated"]
    if gone:
        parts.append(f"{gone} removed")
    return f"{cell.src} is stale: " + ", ".join(parts)


def _accept_hint(cell: Cell, row: Row) -> str:
    folder = row.source.rsplit("/", 1)[0]
    lang = cell.src.rsplit("/", 1)[1][:-3]
    return (
        f"translate them (sitegen translate export --to {lang}), or if no translation is "
        f"needed: sitegen status --accept {folder} --lang {lang}"
    )


def status_text(status: Status) -> str:
    """The matrix for a terminal, then the changed units of each stale translation."""
    names = [row.path or "(home)" for row in status.rows]
    width = max([len(n) for n in names] + [4]) + 2
    lines = [("page".ljust(width) + "".join(lang.ljust(9) for lang in status.languages)).rstrip()]
    for name, row in zip(names, status.rows, strict=True):
        cells = "".join(_label(row.cells[lang]).ljust(9) for lang in status.languages)
        lines.append((name.ljust(width) + cells).rstrip())
    shown = (
        f"the {status.default} text is shown instead"
        if status.fallback == "publish"
        else "left out; links go to the " + status.default + " page"
    )
    lines += [
        "",
        f"missing: no translation yet, or still a draft ({shown})",
        f"STALE: units of the {status.default} file changed after the translation was made"
        f" (recorded in each folder's {RECORD_NAME})",
        f"{status.count('present')} ok, {status.count('missing')} missing, "
        f"{status.count('stale')} stale",
    ]
    for row in status.rows:
        for lang in status.languages:
            cell = row.cells[lang]
            if cell.state != "stale":
                continue
            lines += ["", _reason(cell, row, status.default)]
            lines += ["    " + line for line in cell.diff.splitlines()]
            lines.append("  hint: " + _accept_hint(cell, row))
    return "\n".join(lines)


def status_json(status: Status) -> str:
    pages = [
        {
            "path": row.path,
            "source": row.source,
            "languages": {
                lang: {
                    "state": cell.state,
                    "file": cell.src,
                    "draft": cell.draft,
                    "since": cell.since,
                    "changed_lines": [list(span) for span in cell.lines],
                    "diff": cell.diff,
                    "changes": [
                        {
                            "kind": c.kind,
                            "line": c.line,
                            "state": c.state,
                            "words": [list(w) for w in c.words],
                        }
                        for c in cell.changes
                    ],
                }
                for lang, cell in row.cells.items()
            },
        }
        for row in status.rows
    ]
    counts = {s: status.count(s) for s in ("present", "missing", "stale")}
    document = {
        "method": status.method,
        "default_language": status.default,
        "languages": list(status.languages),
        "fallback": status.fallback,
        "counts": counts,
        "pages": pages,
    }
    return json.dumps(document, ensure_ascii=False, indent=2)


def status_html(status: Status) -> bytes:
    """The same matrix as a page of the served preview (never part of the published build)."""
    colours = {"source": "#eee", "present": "#d7f5dd", "missing": "#fde2c4", "stale": "#f8c9c9"}
    head = "".join(f"<th>{html.escape(lang)}</th>" for lang in status.languages)
    rows = []
    for row in status.rows:
        cells = "".join(
            f'<td style="background:{colours[c.state]}" title="{html.escape(c.src)}">'
            f"{_label(c)}</td>"
            for c in (row.cells[lang] for lang in status.languages)
        )
        rows.append(f"<tr><th scope=row>{html.escape(row.path or '(home)')}</th>{cells}</tr>")
    details = []
    for row in status.rows:
        for cell in (row.cells[lang] for lang in status.languages):
            if cell.state != "stale":
                continue
            items = "".join(
                f"<li><span class=where>"
                f"{f'line {c.line}, ' if c.line else 'removed '}{html.escape(c.kind)}</span> "
                f"{words_html(c.words)}</li>"
                for c in cell.changes
                if c.state != "unrecorded"
            )
            details.append(
                f"<h2>{html.escape(cell.src)}</h2>"
                f"<p>{html.escape(_reason(cell, row, status.default))}</p>"
                f"<ul>{items}</ul><p class=hint>{html.escape(_accept_hint(cell, row))}</p>"
            )
    summary = (
        f"{status.count('present')} ok, {status.count('missing')} missing, "
        f"{status.count('stale')} stale"
    )
    page = (
        '<!doctype html><html lang="en"><meta charset="utf-8">'
        "<title>Translation status</title>"
        "<style>body{font:15px/1.4 system-ui,sans-serif;margin:2rem}"
        "td,th{padding:.2rem .6rem;text-align:left}li{margin:.4rem 0}"
        ".where{color:#555;font-size:.85em}.hint{color:#555}"
        "del{background:#f8c9c9}ins{background:#c9f0d2;text-decoration:none}</style>"
        "<h1>Translation status</h1>"
        f"<p>{summary}. Stale: units of the {html.escape(status.default)} file changed after"
        " the translation was made; changed words are marked. This page exists only in the"
        " preview.</p>"
        f"<table><thead><tr><th>page</th>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
        f"{''.join(details)}</html>"
    )
    return page.encode()
