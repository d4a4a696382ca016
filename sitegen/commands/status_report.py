"""The translation status for people and programs: a terminal matrix, JSON, serve's page."""

from __future__ import annotations

import html
import json

from sitegen.commands.status import Cell, Row, State, Status
from sitegen.commands.worddiff import words_html
from sitegen.source.record import (
    RECORD_NAME,
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
