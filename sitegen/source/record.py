"""The translation record: what English text each translation of a page was made from.

Each page folder may hold `translations.yaml`, written only by sitegen (`status --accept`,
`translate import`) and committed with the content. Per language it lists one line per unit of
the English file, `kind hash`, as the English was when the translation was last brought up to
date. Comparing it with the English file tells exactly which units changed since; edits to the
translation itself never change it, so they cannot make a stale translation look done.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import TYPE_CHECKING, Literal

from sitegen.diagnostics import codes
from sitegen.diagnostics.diagnostic import Diagnostic, error
from sitegen.source.segments import KINDS, Segment
from sitegen.source.yamlpos import YamlDoc

if TYPE_CHECKING:
    from sitegen.source.load import SiteSources

RECORD_NAME = "translations.yaml"
ENTRY = re.compile(r"^(?P<kind>[a-z]+) (?P<digest>[0-9a-f]{12})$")

Entry = tuple[str, str]  # (kind, digest of the English text)
Records = Mapping[str, tuple[Entry, ...]]
UnitState = Literal["final", "review", "new"]

HEADER = """\
# Written by sitegen: do not edit. `sitegen status --accept` and `sitegen translate import`
# update it. For each translation of this page, one line per unit of {default}.md (title,
# description, heading, paragraph, list item, table cell, image alt text): its kind and a hash
# of the {default} text the translation was made from. `sitegen status` compares them with
# {default}.md to show which units changed since.
"""


def entries(segments: Sequence[Segment]) -> tuple[Entry, ...]:
    return tuple((s.kind, s.digest) for s in segments)


def parse_record(
    doc: YamlDoc | None, src: str, languages: Sequence[str], default: str
) -> tuple[dict[str, tuple[Entry, ...]], list[Diagnostic]]:
    """The record of one page; every malformed part is a diagnostic naming its line."""
    if doc is None:
        return {}, []
    found: dict[str, tuple[Entry, ...]] = {}
    problems: list[Diagnostic] = []
    hint = "write it again with: sitegen status --accept " + src.rsplit("/", 1)[0]
    value = doc.value if doc.value is not None else {}
    if not isinstance(value, dict):
        line, col = doc.pos()
        message = "the translation record must list languages, e.g. 'nl:'"
        return {}, [error(src, line, col, message, hint, codes.BAD_RECORD)]
    for lang, items in value.items():
        line, col = doc.pos(lang)
        if lang not in languages or lang == default:
            others = ", ".join(c for c in languages if c != default)
            message = f"'{lang}' is not a translation language of site.yaml ({others})"
            problems.append(error(src, line, col, message, hint, codes.BAD_RECORD))
            continue
        if not isinstance(items, list):
            message = f"the record for '{lang}' must be a list of 'kind hash' lines"
            problems.append(error(src, line, col, message, hint, codes.BAD_RECORD))
            continue
        kept: list[Entry] = []
        for index, item in enumerate(items):
            match = ENTRY.match(item) if isinstance(item, str) else None
            if match is None or match.group("kind") not in KINDS:
                line, col = doc.pos(lang, index)
                message = f"'{item}' is not a unit of the record ('kind hash', e.g. 'title …')"
                problems.append(error(src, line, col, message, hint, codes.BAD_RECORD))
                break
            kept.append((match.group("kind"), match.group("digest")))
        else:
            found[str(lang)] = tuple(kept)
    return found, problems


def format_record(records: Records, default: str, languages: Sequence[str]) -> str:
    """The file text: the header, then languages in site.yaml's order."""
    lines = [HEADER.format(default=default).rstrip("\n")]
    for lang in languages:
        if lang in records:
            lines.append(f"{lang}:")
            lines += [f"- {kind} {digest}" for kind, digest in records[lang]]
    return "\n".join(lines) + "\n"


@dataclass(frozen=True, slots=True)
class Alignment:
    """How the English units of a page relate to one translation and its record.

    Per English unit: its state (final: translated from this very text; review: the English
    changed since; new: never translated), the record entry it was made from, and the unit of
    the translation file that holds its translation. `removed`: record entries whose English
    unit is gone.
    """

    states: tuple[UnitState, ...]
    made_from: tuple[int | None, ...]
    target: tuple[int | None, ...]
    removed: tuple[int, ...]
    recorded: bool

    @property
    def up_to_date(self) -> bool:
        return self.recorded and not self.removed and all(s == "final" for s in self.states)


def _kind(item: object) -> object:
    return item[0] if isinstance(item, tuple) else item


def _pairs(a: Sequence[object], b: Sequence[object]) -> dict[int, tuple[int, bool]]:
    """a index -> (b index, equal) along the longest common subsequence; replaced runs pair up
    one by one while the kinds agree."""
    found: dict[int, tuple[int, bool]] = {}
    matcher = SequenceMatcher(None, list(a), list(b), autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            found.update({a1 + k: (b1 + k, True) for k in range(a2 - a1)})
        elif op == "replace":
            for k in range(min(a2 - a1, b2 - b1)):
                if _kind(a[a1 + k]) == _kind(b[b1 + k]):
                    found[a1 + k] = (b1 + k, False)
    return found


def align(
    english: Sequence[Entry], record: Sequence[Entry] | None, translation: Sequence[str]
) -> Alignment:
    """Line up the English units, the record and the translation's units (their kinds).

    The translation is expected to follow the record's layout (it was made from that English);
    where it does not, units are paired by kind.
    """
    if record is None:
        by_kind = _pairs([k for k, _ in english], translation)
        target = tuple(by_kind[i][0] if i in by_kind else None for i in range(len(english)))
        states: tuple[UnitState, ...] = tuple("review" if t is not None else "new" for t in target)
        return Alignment(states, (None,) * len(english), target, (), False)
    record_kinds = [k for k, _ in record]
    if record_kinds == list(translation):
        into: dict[int, int] = {j: j for j in range(len(record))}
    else:
        into = {j: k for j, (k, _) in _pairs(record_kinds, translation).items()}
    pairs = _pairs(english, record)
    made_from = tuple(pairs[i][0] if i in pairs else None for i in range(len(english)))
    target = tuple(into.get(j) if j is not None else None for j in made_from)
    states = tuple(
        "new" if t is None else "final" if pairs[i][1] else "review" for i, t in enumerate(target)
    )
    used = {j for j in made_from if j is not None}
    removed = tuple(j for j in range(len(record)) if j not in used)
    return Alignment(states, made_from, target, removed, True)


def check_records(sources: SiteSources, languages: Sequence[str], default: str) -> list[Diagnostic]:
    """Every problem in the pages' translation records (for `sitegen check`)."""
    problems: list[Diagnostic] = []
    for page in sources.pages:
        src = f"{page.src_dir}/{RECORD_NAME}"
        problems += parse_record(page.record, src, languages, default)[1]
    return problems
