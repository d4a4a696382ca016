"""Hints for an unknown field that send the editor the right way.

A 'did you mean' only names a field this file takes; a field that belongs elsewhere (another
kind's data.yaml, the front matter, under a source) is named with where it belongs.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence

from sitegen.schema.config import DEFAULT_SECTIONS
from sitegen.schema.kinds import COMMON_DATA, FRONT_MATTER, KIND_DATA

# Fields that are written under another one: the line lost its indentation.
NESTED = {"figures": "sources", "url": "sources"}
SOURCE_EXAMPLE = "'sources:', '  - title: ...', '    url: ...', '    figures: [...]'"


def _section(kind: str) -> str:
    """The folder editors see for a kind ('timeline' for news)."""
    return next((folder for folder, k in DEFAULT_SECTIONS.items() if k == kind), kind)


def _homes() -> dict[str, str]:
    """Every known field, and where it belongs, in words."""
    homes: dict[str, list[str]] = {}
    for kind, fields in KIND_DATA.items():
        for f in fields:
            homes.setdefault(f.name, []).append(_section(kind))
    where = {name: "data.yaml of " + " and ".join(k) + " pages" for name, k in homes.items()}
    for f in COMMON_DATA:
        where[f.name] = "data.yaml"
    for f in FRONT_MATTER:
        where[f.name] = "the front matter of a language file (en.md, nl.md, ...)"
    return where


def field_hint(key: str, names: Sequence[str]) -> str:
    """The hint for an unknown field `key` in a file that takes `names`."""
    allowed = "; allowed here: " + ", ".join(names)
    parent = NESTED.get(key)
    if parent is not None and parent in names:
        return (
            f"indent this line under the '{parent}' entry it belongs to, lined up with its "
            f"'title:' ({SOURCE_EXAMPLE})"
        )
    homes = _homes()
    close = difflib.get_close_matches(key, [*names, *homes], n=1, cutoff=0.6)
    if close and close[0] in names:
        return f"did you mean '{close[0]}'?"
    if close:
        name = close[0]
        said = f"'{name}'" if name == key else f"'{name}' (as you may have meant)"
        return f"remove it: {said} belongs in {homes[name]}, not here" + allowed
    return "remove it" + allowed
