"""`sitegen preview-summary --base REF`: what a change does to the site, as Markdown.

Written for the job summary of a pull request, where an editor who only uses GitHub's web
editor reads it: the pages the change touches, each language's translation state (the same
as `sitegen status`), and the messages of `sitegen check`. Pages are found from the files git
says changed since the merge base with REF (committed or not), mapped to their page folders.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from sitegen import pipeline
from sitegen.commands.status import Cell, Status, translation_status
from sitegen.diagnostics.diagnostic import Diagnostic
from sitegen.model.site import Site
from sitegen.source.git import run_git

SITE_WIDE = {"site.yaml": "every page", "strings.yaml": "the words of menus and buttons"}
MAX_MESSAGES = 50  # the summary stays readable; the full list is in the check step's log


class GitError(Exception):
    """The base is not a commit here (a shallow clone, a typo): a usage problem."""


@dataclass(frozen=True, slots=True)
class ChangedPage:
    path: str  # the page folder under content/, "" for the home page
    files: tuple[str, ...]  # file names in that folder


def _git(root: Path, *args: str) -> str:
    done = run_git(root, *args)
    if done is None or done.returncode != 0:
        said = done.stderr.strip() if done is not None else ""
        raise GitError(said or f"git {' '.join(args)} failed")
    return done.stdout


def changed_files(root: Path, base: str) -> list[str]:
    """Files under content/ that differ from the merge base with `base`, work tree included."""
    fork = _git(root, "merge-base", base, "HEAD").strip()
    tracked = _git(root, "diff", "--name-only", "--no-renames", fork, "--", "content/")
    untracked = _git(root, "ls-files", "--others", "--exclude-standard", "--", "content/")
    prefix = _git(root, "rev-parse", "--show-prefix").strip()
    names = {line.removeprefix(prefix) for line in (tracked + untracked).splitlines() if line}
    return sorted(names)


def changed_pages(files: Sequence[str]) -> tuple[list[ChangedPage], list[str]]:
    """Page folders with the names of their changed files; and the site-wide files changed."""
    pages: dict[str, list[str]] = {}
    site_wide: list[str] = []
    for name in files:
        path = PurePosixPath(name).relative_to("content")
        folder = "" if str(path.parent) == "." else path.parent.as_posix()
        if not folder and path.name in SITE_WIDE:
            site_wide.append(name)
        else:
            pages.setdefault(folder, []).append(path.name)
    return [ChangedPage(p, tuple(f)) for p, f in sorted(pages.items())], site_wide


def _state(cell: Cell) -> str:
    """`sitegen status` in a word: ok, stale (with how many units), missing, source."""
    if cell.state == "present":
        return "ok"
    if cell.state == "stale":
        return f"**stale** ({len(cell.changes)} to review)" if cell.changes else "**stale**"
    if cell.state == "missing":
        return "missing (draft)" if cell.draft else "missing"
    return "source (draft)" if cell.draft else "source"


def _md(text: str) -> str:
    """Text safe inside a Markdown table cell."""
    return text.replace("|", "\\|").replace("\n", " ")


def _page_table(pages: list[ChangedPage], status: Status | None, site: Site | None) -> list[str]:
    if status is None:
        return ["The translation status could not be read: see the check messages below."]
    rows = {row.path: row for row in status.rows}
    head = "| Page | Changed files | " + " | ".join(status.languages) + " |"
    lines = [head, "|" + "---|" * (len(status.languages) + 2)]
    removed = []
    for page in pages:
        row = rows.get(page.path)
        if row is None:
            removed.append(page)
            continue
        cells = []
        for lang in status.languages:
            version = site.version(page.path, lang) if site is not None else None
            url = f"<br>{version.url}" if version is not None else ""
            cells.append(_state(row.cells[lang]) + url)
        shown = f"`{page.path or '/'}`"
        lines.append(f"| {shown} | {_md(', '.join(page.files))} | " + " | ".join(cells) + " |")
    if len(lines) == 2:
        lines = []
    for page in removed:
        lines.append(
            f"- `{page.path}`: no page any more (removed or moved): {_md(', '.join(page.files))}"
        )
    return lines


def _messages(diagnostics: list[Diagnostic], pages: list[ChangedPage]) -> list[str]:
    folders = {f"content/{p.path}".rstrip("/") for p in pages}

    def touched(d: Diagnostic) -> bool:
        return str(PurePosixPath(d.path).parent) in folders or d.path in folders

    errors = sum(1 for d in diagnostics if d.severity == "error")
    lines = [f"### sitegen check: {errors} error(s), {len(diagnostics) - errors} warning(s)", ""]
    if not diagnostics:
        return [*lines, "No messages."]
    ordered = sorted(diagnostics, key=lambda d: (not touched(d), d))
    for d in ordered[:MAX_MESSAGES]:
        where = "" if touched(d) else " (elsewhere)"
        hint = f"<br>hint: {d.hint}" if d.hint else ""
        lines.append(
            f"- `{d.path}:{d.line}:{d.col}` **{d.severity}**{where}: {_md(d.message)}{_md(hint)}"
        )
    if len(ordered) > MAX_MESSAGES:
        lines.append(f"- ... and {len(ordered) - MAX_MESSAGES} more in the check step's log")
    return lines


def preview_summary(root: Path, base: str, artifact: str = "") -> tuple[str, bool]:
    """The Markdown summary, and whether the check passed (no errors)."""
    pages, site_wide = changed_pages(changed_files(root, base))
    status, status_problems = translation_status(root)
    result = pipeline.check(root, use_cache=True)
    lines = ["## Preview of this change", ""]
    if artifact:
        lines += [artifact, ""]
    if site_wide:
        lines += [f"- `{name}` changed: {SITE_WIDE[name.rsplit('/', 1)[-1]]}" for name in site_wide]
        lines.append("")
    if pages:
        lines += [f"### Pages changed ({len(pages)})", ""]
        lines += _page_table(pages, status, result.site)
        lines += [
            "",
            "ok: translated from the current English; stale: the English changed "
            "since; missing: readers get the English text.",
            "",
        ]
    elif not site_wide:
        lines += ["No file under content/ changed.", ""]
    diagnostics = sorted(set(result.diagnostics) | set(status_problems))
    lines += _messages(diagnostics, pages)
    return "\n".join(lines) + "\n", result.ok
