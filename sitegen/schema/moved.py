"""Checks on `moved_from:` across pages: an old path must be free and claimed once.

Each page's own values are checked in fields.py; this needs every page at once.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Protocol

from sitegen.diagnostics import codes
from sitegen.diagnostics.diagnostic import Diagnostic, error
from sitegen.schema.values import as_refs
from sitegen.source.yamlpos import YamlDoc

FIELD = "moved_from"


class _Checked(Protocol):
    @property
    def data_src(self) -> str: ...
    @property
    def data(self) -> Mapping[str, object]: ...


def moved_paths(data: Mapping[str, object]) -> tuple[str, ...]:
    """A page's old content paths, as checked by the schema."""
    return as_refs(data.get(FIELD))


def check_moved_from(
    pages: Mapping[str, _Checked], docs: Mapping[str, YamlDoc | None]
) -> list[Diagnostic]:
    """An old path that is a page folder today, or that two entries claim, is an error.

    `docs` holds each page's data.yaml by page path, for the line of the value.
    """
    diags: list[Diagnostic] = []
    claimed: dict[str, str] = {}
    for path in sorted(pages):
        page = pages[path]
        doc = docs.get(path)
        old_paths: Sequence[str] = moved_paths(page.data)
        for i, old in enumerate(old_paths):
            line, col = doc.pos(FIELD, i) if doc else (1, 1)
            if old in pages:
                what = "this page itself" if old == path else f"the page content/{old}/"
                diags.append(
                    error(
                        page.data_src,
                        line,
                        col,
                        f"'{old}' in '{FIELD}' is {what}, so its address cannot redirect",
                        "remove it from the list, or move that page first",
                        codes.MOVED_FROM_LIVE,
                    )
                )
            elif old in claimed:
                other = claimed[old]
                where = "this list" if other == page.data_src else other
                diags.append(
                    error(
                        page.data_src,
                        line,
                        col,
                        f"'{old}' in '{FIELD}' is claimed in {where} already; "
                        "an old address can redirect to one page only",
                        "keep it on the page that replaced the old one and remove it here",
                        codes.MOVED_FROM_TWICE,
                    )
                )
            else:
                claimed[old] = page.data_src
    return diags
