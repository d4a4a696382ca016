"""`sitegen translate export|import`: a round trip through XLIFF 1.2 for translation agencies.

Export writes, per target language, every unit of the chosen pages with the current
translation as target and a state read from the translation record. Import checks the whole
file first and writes nothing when any unit is refused; then it changes only the text of the
units in `<lang>.md` and records the English each confirmed unit was translated from.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from sitegen.commands.accept import write_record
from sitegen.commands.status import PageTexts, language_error, language_problem, load_pages
from sitegen.commands.worddiff import earlier_texts
from sitegen.commands.xliff import (
    InUnit,
    OutFile,
    OutUnit,
    Ph,
    XliffError,
    read_xliff,
    write_xliff,
)
from sitegen.diagnostics import codes
from sitegen.diagnostics.diagnostic import Diagnostic, error, warning
from sitegen.schema.config import SiteConfig
from sitegen.source.inline import Code, codes_of, split_inline
from sitegen.source.record import Entry, entries
from sitegen.source.segments import Segment, cut_segments, digest, replace_segments

PAGE_CHOICES = ("stale", "missing", "all")
STATES = {"final": "final", "review": "needs-review-translation", "new": "new"}
# Target states that say a translator confirmed the unit: it is translated from this English.
DONE_STATES = {None, "translated", "signed-off", "final"}
NOT_TRANSLATED = digest("")  # a record entry for a unit that was never translated


def _note(pt: PageTexts, index: int, before: str | None) -> str:
    seg = pt.english.segments[index]
    heading = next(
        (s.text for s in reversed(pt.english.segments[:index]) if s.kind == "heading"), None
    )
    where = f"{pt.english.src} line {seg.line}: {seg.kind}"
    where += f" {index + 1} of {len(pt.english.segments)}"
    if heading and seg.kind != "heading":
        where += f', under the heading "{heading}"'
    if before is not None:
        where += f". The English before the change: {before}"
    return where


def _page_state(pt: PageTexts, lang: str) -> str:
    own = pt.translations.get(lang)
    if own is None or own.draft:
        return "missing"
    return "ok" if pt.alignment(lang).up_to_date else "stale"


def export_units(root: Path, pt: PageTexts, lang: str) -> OutFile:
    own = pt.translations.get(lang)
    found = pt.alignment(lang)
    record = pt.records.get(lang, ())
    wanted = {record[j][1] for j in found.made_from if j is not None}
    earlier = earlier_texts(
        root, pt.english.src, wanted - {e[1] for e in entries(pt.english.segments)}
    )
    units = []
    for index, seg in enumerate(pt.english.segments):
        target_index = found.target[index]
        target = (
            split_inline(own.segments[target_index].text)
            if own is not None and target_index is not None
            else None
        )
        before_index = found.made_from[index]
        before = None
        if found.states[index] == "review" and before_index is not None:
            before = earlier.get(record[before_index][1])
        units.append(
            OutUnit(
                index + 1,
                seg.kind,
                split_inline(seg.text),
                target,
                STATES[found.states[index]] if target is not None else "new",
                _note(pt, index, before),
                f"{pt.english.src}:{seg.line}",
            )
        )
    return OutFile(pt.english.src, units)


def out_path(out: Path | None, lang: str, several: bool) -> Path:
    if out is None:
        return Path(f"translations-{lang}.xlf")
    if "{lang}" in str(out):
        return Path(str(out).replace("{lang}", lang))
    return out.with_name(f"{out.stem}-{lang}{out.suffix}") if several else out


def export(
    root: Path, langs: Sequence[str], pages: frozenset[str], out: Path | None
) -> tuple[list[str], list[Diagnostic], bool]:
    """Write one XLIFF file per language; (messages, problems, usage error)."""
    config, all_pages, diags = load_pages(root)
    if config is None:
        return [], diags, False
    problem = _language_problem(config, langs)
    if problem:
        return [], [*diags, language_error(root, *problem)], True
    done = []
    for lang in langs:
        chosen = [pt for pt in all_pages if "all" in pages or _page_state(pt, lang) in pages]
        files = [export_units(root, pt, lang) for pt in chosen if pt.english.segments]
        if not files:
            done.append(f"nothing to translate into {lang} (pages: {', '.join(sorted(pages))})")
            continue
        target = out_path(out, lang, len(langs) > 1)
        data = write_xliff(files, config.default_language, lang)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        count = sum(len(f.units) for f in files)
        review = sum(1 for f in files for u in f.units if u.state != "final")
        done.append(
            f"wrote {target}: {len(files)} pages, {count} units, {review} to translate or review"
        )
    return done, diags, False


def _language_problem(config: SiteConfig, langs: Sequence[str]) -> tuple[str, str] | None:
    return language_problem(
        config, langs, "add it to 'languages' in content/site.yaml, or use one of those"
    )


# --- import ------------------------------------------------------------------------------


@dataclass(slots=True)
class _Accepted:
    text: str
    done: bool


def _rebuild(unit: InUnit, seg: Segment) -> tuple[str, str | None, list[tuple[str, str]]]:
    """(source text as exported, target text or None, problems) for one unit."""
    natives = {
        str(n + 1): p.native
        for n, p in enumerate(p for p in split_inline(seg.text) if isinstance(p, Code))
    }
    source = "".join(p.native if isinstance(p, Ph) else p for p in unit.source)
    if (
        unit.target is None
        or not "".join(p.native if isinstance(p, Ph) else p for p in unit.target).strip()
    ):
        return source, None, []
    problems: list[tuple[str, str]] = []
    seen: dict[str, int] = {}
    parts: list[str] = []
    for piece in unit.target:
        if isinstance(piece, Ph):
            seen[piece.ident] = seen.get(piece.ident, 0) + 1
            parts.append(natives.get(piece.ident, piece.native))
        else:
            parts.append(piece.replace("\r", " ").replace("\n", " ").replace("\t", " "))
    target = "".join(parts).strip()
    missing = [i for i in natives if i not in seen]
    twice = [i for i, n in seen.items() if n > 1]
    unknown = [i for i in seen if i not in natives]
    if missing:
        shown = ", ".join(f"{i} ({natives[i]})" for i in missing)
        problems.append(
            (f"placeholder {shown} is missing from the target", "put it back where it belongs")
        )
    if twice:
        problems.append(
            (
                f"placeholder {', '.join(twice)} appears more than once in the target",
                "keep each placeholder of the source exactly once",
            )
        )
    if unknown:
        problems.append(
            (
                f"placeholder {', '.join(unknown)} is not in the source",
                "use only the placeholders of the source",
            )
        )
    if not problems and codes_of(target) != codes_of(seg.text):
        problems.append(
            (
                "markup is broken: the target's text adds or breaks Markdown syntax "
                "(a *, _, `, [ or ] typed as text)",
                "keep formatting in the placeholders and leave those characters out of the text",
            )
        )
    return source, target, problems


def import_file(
    root: Path, path: Path, shown: str
) -> tuple[list[str], list[Diagnostic], list[Diagnostic]]:
    """Import one XLIFF file: (messages, problems with the site, refusals in the file)."""
    config, pages, diags = load_pages(root)
    refusals: list[Diagnostic] = []

    def refuse(line: int, message: str, hint: str) -> None:
        refusals.append(error(shown, line, 1, message, hint, codes.XLIFF_REFUSED))

    if config is None:
        return [], diags, refusals
    try:
        files = read_xliff(path.read_bytes())
    except OSError as exc:
        refuse(1, f"cannot read the file: {exc.strerror}", "check the path")
        return [], diags, refusals
    except XliffError as exc:
        refuse(exc.line, exc.message, exc.hint)
        return [], diags, refusals
    by_src = {pt.english.src: pt for pt in pages}
    planned: dict[tuple[str, str], dict[int, _Accepted]] = {}
    lines: dict[tuple[str, str], int] = {}
    for file in files:
        problem = _language_problem(config, [file.target_lang])
        if problem:
            refuse(file.line, *problem)
            continue
        if file.source_lang != config.default_language:
            refuse(
                file.line,
                f"the source language is '{file.source_lang}', not the site's "
                f"'{config.default_language}'",
                f"export from the {config.default_language} pages with sitegen translate export",
            )
            continue
        pt = by_src.get(file.original)
        if pt is None:
            refuse(
                file.line,
                f"unknown unit: there is no page {file.original} in this site",
                "import the file into the site it was exported from",
            )
            continue
        chosen = planned.setdefault((pt.english.src, file.target_lang), {})
        lines.setdefault((pt.english.src, file.target_lang), file.line)
        for unit in file.units:
            for line, message, hint in unit.problems:
                refuse(line, message, hint)
            number = int(unit.ident) if unit.ident.isdigit() else 0
            if not 1 <= number <= len(pt.english.segments) or (
                unit.resname and unit.resname != pt.english.segments[number - 1].kind
            ):
                refuse(
                    unit.line,
                    f"unknown unit '{unit.ident}' ({unit.resname or 'no kind'}) in {file.original}",
                    "export again: the page's units changed since this file was made",
                )
                continue
            seg = pt.english.segments[number - 1]
            source, target, problems = _rebuild(unit, seg)
            if source != seg.text:
                refuse(
                    unit.line,
                    f"the English text of this unit changed since the export "
                    f"({file.original} line {seg.line})",
                    f"export again: sitegen translate export --to {file.target_lang}",
                )
                continue
            if target is None:
                continue
            own = pt.translations.get(file.target_lang)
            at = pt.alignment(file.target_lang).target[number - 1]
            unchanged = own is not None and at is not None and own.segments[at].text == target
            if problems and not unchanged:
                for message, hint in problems:
                    refuse(unit.line, message, hint)
                continue
            if number - 1 in chosen:
                refuse(unit.line, f"unit {number} appears twice", "keep one of them")
            chosen[number - 1] = _Accepted(target, unit.state in DONE_STATES)
    if refusals:
        return [], diags, refusals
    done: list[str] = []
    writes: list[tuple[Path, str]] = []
    records: dict[str, tuple[PageTexts, dict[str, tuple[Entry, ...]]]] = {}
    for (src, lang), chosen in planned.items():
        pt = by_src[src]
        if not chosen:
            continue  # nothing translated for this page yet
        text, entries_now, note = _plan_page(pt, lang, chosen)
        if text is None:
            line = lines[(src, lang)]
            refused_page = warning(shown, line, 1, note, "translate every unit of the page")
            diags.append(refused_page)
            continue
        dest = root / f"{pt.page.src_dir}/{lang}.md"
        old = pt.translations.get(lang)
        if old is None or old.text != text:
            writes.append((dest, text))
            done.append(f"wrote {pt.page.src_dir}/{lang}.md{note}")
        else:
            done.append(f"unchanged {pt.page.src_dir}/{lang}.md")
        records.setdefault(src, (pt, dict(pt.records)))[1][lang] = entries_now
    for dest, new_text in writes:
        tmp = dest.with_name(f".{dest.name}.tmp")
        tmp.write_text(new_text, encoding="utf-8")
        os.replace(tmp, dest)
    for pt, record in records.values():
        if write_record(root, pt, record, config):
            done.append(f"wrote {pt.record_src}")
    return done, diags, refusals


def _plan_page(
    pt: PageTexts, lang: str, chosen: Mapping[int, _Accepted]
) -> tuple[str | None, tuple[Entry, ...], str]:
    """The new text of `<lang>.md` and its record entries (None: the page cannot be written)."""
    own = pt.translations.get(lang)
    found = pt.alignment(lang)
    english = pt.english.segments
    record = pt.records.get(lang, ())
    texts: dict[int, str] = {}
    recorded: list[Entry] = []
    for i, seg in enumerate(english):
        at = found.target[i]
        if i in chosen:
            texts[i] = chosen[i].text
        elif own is not None and at is not None:
            texts[i] = own.segments[at].text
        made = found.made_from[i]
        if i in chosen and chosen[i].done:
            recorded.append((seg.kind, seg.digest))
        elif made is not None:
            recorded.append(record[made])
        else:
            recorded.append((seg.kind, NOT_TRANSLATED))
    if own is not None and all(
        found.target[i] is not None and own.segments[found.target[i] or 0].text == c.text
        for i, c in chosen.items()
    ):
        return own.text, tuple(recorded), ""  # no text changed: the file stays as it is
    in_place = own is not None and found.target == tuple(range(len(own.segments)))
    if own is not None and in_place:
        return replace_segments(own.text, own.segments, texts), tuple(recorded), ""
    untranslated = [i + 1 for i in range(len(english)) if i not in texts]
    if untranslated:
        return (
            None,
            (),
            f"{pt.page.src_dir}/{lang}.md was not written: units "
            f"{', '.join(map(str, untranslated))} have no translation",
        )
    text = replace_segments(pt.english.text, english, texts)
    if own is not None:
        text = _own_front(own.text, text)
    return text, tuple(recorded), f" (blocks laid out as in {pt.english.src})"


def _front_end(text: str) -> int:
    lines = text.split("\n")
    if lines and lines[0].rstrip() == "---":
        offset = len(lines[0]) + 1
        for line in lines[1:]:
            offset += len(line) + 1
            if line.rstrip() in ("---", "..."):
                return offset
    return 0


def _own_front(own: str, rebuilt: str) -> str:
    """The translation's own front matter (slug, draft, …) with the new title and description."""
    fields = {s.field: s.text for s in cut_segments(rebuilt) if s.field}
    segments = cut_segments(own)
    front = {i: fields[s.field] for i, s in enumerate(segments) if s.field in fields}
    head = replace_segments(own, segments, front)
    return head[: _front_end(head)] + rebuilt[_front_end(rebuilt) :]
