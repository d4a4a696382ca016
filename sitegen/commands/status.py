"""Translation status: each page by language, present, missing or stale.

A translation is stale when the default-language file changed after the translation was last
updated. Git history decides where the site is a git checkout (read-only `git log`/`git diff`);
elsewhere a hash of the source text is recorded in .sitegen-cache/status.json, never in content/.
"""

from __future__ import annotations

import difflib
import hashlib
import html
import json
import os
import re
import shutil
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from sitegen.diagnostics.diagnostic import Diagnostic, warning
from sitegen.schema.config import parse_config
from sitegen.source.load import SourceText, load_sources
from sitegen.source.textfile import read_text

State = Literal["source", "present", "missing", "stale"]
CACHE = Path(".sitegen-cache") / "status.json"
HUNK = re.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,\d+)? @@")
NOW = -1  # rank of a file changed in the working tree: newer than any commit


@dataclass(frozen=True, slots=True)
class Cell:
    """One page in one language; for a stale one, what changed in the source since."""

    state: State
    src: str
    draft: bool = False
    since: str = ""
    lines: tuple[tuple[int, int], ...] = ()
    diff: str = ""


@dataclass(frozen=True, slots=True)
class Row:
    path: str
    source: str
    cells: Mapping[str, Cell]


@dataclass(frozen=True, slots=True)
class Status:
    """The whole matrix, and how staleness was decided ('git' or 'hash')."""

    method: Literal["git", "hash"]
    default: str
    languages: tuple[str, ...]
    fallback: str
    rows: tuple[Row, ...]

    def count(self, state: State) -> int:
        return sum(1 for row in self.rows for c in row.cells.values() if c.state == state)


@dataclass(slots=True)
class _Git:
    """Read-only view of the repository history of the content files."""

    top: Path
    ranks: dict[str, tuple[int, str]] = field(default_factory=dict)
    dirty: set[str] = field(default_factory=set)

    def run(self, *args: str) -> str:
        env = dict(os.environ, GIT_LITERAL_PATHSPECS="1", GIT_OPTIONAL_LOCKS="0")
        done = subprocess.run(
            ["git", "-c", "core.quotePath=false", "-C", str(self.top), *args],
            capture_output=True,
            text=True,
            env=env,
            check=False,
        )
        return done.stdout if done.returncode == 0 else ""

    def load(self, folder: str) -> None:
        log = self.run("log", "--topo-order", "--name-only", "--format=%x00%h %cs", "--", folder)
        for index, chunk in enumerate(log.split("\x00")[1:]):
            head, *files = chunk.strip("\n").split("\n")
            for name in files:
                if name and name not in self.ranks:
                    self.ranks[name] = (index, head)
        entries = self.run("status", "--porcelain=v1", "-z", "--untracked-files=all", "--", folder)
        parts = iter(entries.split("\x00"))
        for entry in parts:
            if len(entry) > 3:
                self.dirty.add(entry[3:])
                if entry[0] in "RC":
                    next(parts, None)

    def rank(self, name: str) -> int:
        if name in self.dirty or name not in self.ranks:
            return NOW
        return self.ranks[name][0]


def _git_top(root: Path) -> Path | None:
    if shutil.which("git") is None:
        return None
    done = subprocess.run(
        ["git", "-C", str(root), "rev-parse", "--show-toplevel"],
        capture_output=True,
        text=True,
        check=False,
    )
    top = done.stdout.strip()
    return Path(top).resolve() if done.returncode == 0 and top else None


def changed_lines(diff: str) -> tuple[tuple[int, int], ...]:
    """The lines of the current source that were added or changed (or where lines were cut)."""
    changed: list[int] = []
    line = 0
    for text in diff.splitlines():
        match = HUNK.match(text)
        if match:
            line = int(match.group(1))
        elif text.startswith("+"):
            changed.append(line)
            line += 1
        elif text.startswith("-"):
            changed.append(max(line, 1))
        elif text.startswith(" "):
            line += 1
    spans: list[tuple[int, int]] = []
    for number in sorted(set(changed)):
        if spans and number == spans[-1][1] + 1:
            spans[-1] = (spans[-1][0], number)
        else:
            spans.append((number, number))
    return tuple(spans)


def _hunks(diff: str) -> str:
    """Drop the file headers, keep the hunks an editor reads."""
    lines = diff.splitlines()
    first = next((i for i, line in enumerate(lines) if line.startswith("@@")), len(lines))
    return "\n".join(lines[first:])


def _git_cell(git: _Git, root: Path, text: SourceText, source: SourceText) -> Cell:
    def rel(src: str) -> str:
        return (root / src).resolve().relative_to(git.top).as_posix()

    own, base = rel(text.src), rel(source.src)
    if git.rank(base) >= git.rank(own) or git.rank(own) == NOW:
        return Cell("present", text.src)
    since = git.ranks[own][1]
    commit = since.split(" ")[0]
    diff = _hunks(git.run("diff", "--no-color", "-U1", commit, "--", base))
    return Cell("stale", text.src, since=since, lines=changed_lines(diff), diff=diff)


def _read_cache(root: Path) -> dict[str, dict[str, object]]:
    try:
        data = json.loads((root / CACHE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {"translations": {}, "sources": {}}
    if not isinstance(data, dict):
        return {"translations": {}, "sources": {}}
    return {k: v if isinstance(v := data.get(k), dict) else {} for k in ("translations", "sources")}


def _write_cache(root: Path, cache: dict[str, dict[str, object]]) -> None:
    used = {v.get("source") for v in cache["translations"].values() if isinstance(v, dict)}
    cache["sources"] = {k: v for k, v in cache["sources"].items() if k in used}
    target = root / CACHE
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(".tmp")
        tmp.write_text(json.dumps(cache, ensure_ascii=False, indent=1), encoding="utf-8")
        os.replace(tmp, target)
    except OSError:
        pass  # a read-only checkout still gets a status, only without memory


def _hash_cell(
    cache: dict[str, dict[str, object]], root: Path, text: SourceText, source: SourceText
) -> Cell:
    entry = cache["translations"].get(text.src)
    recorded = entry if isinstance(entry, dict) else {}
    if recorded.get("translation") == text.digest and recorded.get("source") == source.digest:
        return Cell("present", text.src)
    current = read_text(root / source.src, source.src, []) or ""
    if recorded.get("translation") != text.digest:
        digest = hashlib.sha256(current.encode()).hexdigest()
        cache["translations"][text.src] = {"translation": text.digest, "source": digest}
        cache["sources"][digest] = current
        return Cell("present", text.src)
    old = cache["sources"].get(str(recorded.get("source")))
    diff = ""
    if isinstance(old, str):
        diff = _hunks(
            "\n".join(difflib.unified_diff(old.split("\n"), current.split("\n"), n=1, lineterm=""))
        )
    return Cell("stale", text.src, since="recorded", lines=changed_lines(diff), diff=diff)


def _is_draft(text: SourceText) -> bool:
    value = text.front.value if text.front is not None else None
    return isinstance(value, dict) and value.get("draft") is True


def translation_status(root: Path) -> tuple[Status | None, list[Diagnostic]]:
    """The matrix for every page with a default-language file; problems with site.yaml too."""
    sources = load_sources(root)
    config, diags = parse_config(sources.site)
    if config is None:
        return None, list(sources.diagnostics) + diags
    top = _git_top(root)
    git = _Git(top) if top is not None else None
    if git is not None:
        git.load((root / "content").resolve().relative_to(git.top).as_posix())
        if git.run("rev-parse", "--is-shallow-repository").strip() == "true":
            diags.append(
                warning(
                    "content",
                    1,
                    1,
                    "this git clone is shallow, so it cannot tell which translations are stale",
                    "fetch the whole history: git fetch --unshallow "
                    "(in GitHub Actions: fetch-depth: 0)",
                )
            )
    cache = _read_cache(root) if git is None else {}
    rows = []
    for page in sources.pages:
        source = page.texts.get(config.default_language)
        if source is None:
            continue
        cells = {config.default_language: Cell("source", source.src, _is_draft(source))}
        for lang in (c for c in config.codes if c != config.default_language):
            text = page.texts.get(lang)
            if text is None or _is_draft(text):
                src = f"{page.src_dir}/{lang}.md"
                cells[lang] = Cell("missing", src, draft=text is not None)
            elif git is not None:
                cells[lang] = _git_cell(git, root, text, source)
            else:
                cells[lang] = _hash_cell(cache, root, text, source)
        rows.append(Row(page.path, source.src, cells))
    if git is None:
        _write_cache(root, cache)
    languages = (config.default_language,) + tuple(
        c for c in config.codes if c != config.default_language
    )
    method: Literal["git", "hash"] = "git" if git is not None else "hash"
    return Status(method, config.default_language, languages, config.fallback, tuple(rows)), diags


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


def _span_text(lines: tuple[tuple[int, int], ...]) -> str:
    return ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in lines)


def _since_text(cell: Cell) -> str:
    if cell.since == "recorded":
        return "changed since sitegen status last saw the translation"
    commit, _, date = cell.since.partition(" ")
    return f"changed since commit {commit} ({date}), when the translation was last updated"


def status_text(status: Status) -> str:
    """The matrix for a terminal, then what changed in the source of each stale translation."""
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
        f"STALE: the {status.default} file changed after the translation was last updated"
        f" (decided by {'git history' if status.method == 'git' else 'recorded hashes'})",
        f"{status.count('present')} ok, {status.count('missing')} missing, "
        f"{status.count('stale')} stale",
    ]
    for row in status.rows:
        for lang in status.languages:
            cell = row.cells[lang]
            if cell.state != "stale":
                continue
            where = f", lines {_span_text(cell.lines)}" if cell.lines else ""
            lines += ["", f"{cell.src} is stale: {row.source} {_since_text(cell)}{where}"]
            lines += ["    " + line for line in cell.diff.splitlines()]
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
            if cell.state == "stale":
                where = f", lines {_span_text(cell.lines)}" if cell.lines else ""
                details.append(
                    f"<h2>{html.escape(cell.src)}</h2><p>{html.escape(row.source)} "
                    f"{html.escape(_since_text(cell))}{where}</p>"
                    f"<pre>{html.escape(cell.diff)}</pre>"
                )
    summary = (
        f"{status.count('present')} ok, {status.count('missing')} missing, "
        f"{status.count('stale')} stale"
    )
    page = (
        '<!doctype html><html lang="en"><meta charset="utf-8">'
        "<title>Translation status</title>"
        "<style>body{font:15px/1.4 system-ui,sans-serif;margin:2rem}"
        "td,th{padding:.2rem .6rem;text-align:left}pre{background:#f6f6f6;padding:.5rem}</style>"
        "<h1>Translation status</h1>"
        f"<p>{summary}. Stale: the {html.escape(status.default)} file changed after the"
        " translation was last updated. This page exists only in the preview.</p>"
        f"<table><thead><tr><th>page</th>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
        f"{''.join(details)}</html>"
    )
    return page.encode()
