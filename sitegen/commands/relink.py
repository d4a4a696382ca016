"""The edits a move or removal makes: links and references rewritten, the plan they form.

`commands/move.py` decides what to move or remove; this module finds every link, data.yaml
reference and menu entry that names the page and writes the new text of each file.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from sitegen.diagnostics.diagnostic import Diagnostic, error
from sitegen.model.links import INLINE, find_links, link_path
from sitegen.schema.config import SiteConfig, parse_config
from sitegen.schema.kinds import data_fields
from sitegen.schema.moved import FIELD as MOVED_FROM
from sitegen.schema.moved import moved_paths
from sitegen.schema.validate import page_kind
from sitegen.source.git import run_git
from sitegen.source.load import SiteSources, SourcePage
from sitegen.source.yamledit import append_item, remove_item, replace_scalar
from sitegen.source.yamlpos import YamlDoc, parse_yaml

WHERE = "sitegen"
LINK_OR_IMAGE = re.compile("!?" + INLINE.pattern)


@dataclass(slots=True)
class Plan:
    """What a move or removal would do, file by file (paths relative to the site)."""

    edits: dict[str, str] = field(default_factory=dict)  # file -> its new text
    notes: dict[str, list[str]] = field(default_factory=dict)  # file -> what changes in it
    move: tuple[str, str] | None = None  # folder -> folder
    delete: str | None = None  # folder
    blockers: list[str] = field(default_factory=list)  # links `remove` cannot unlink by itself

    def note(self, file: str, what: str) -> None:
        self.notes.setdefault(file, []).append(what)

    def files(self, root: Path) -> list[str]:
        """Every file the plan touches: edited, moved or deleted."""
        touched = set(self.edits)
        for folder in (self.move[0] if self.move else None, self.delete):
            if folder and (root / folder).is_dir():
                touched |= {p.relative_to(root).as_posix() for p in (root / folder).rglob("*")}
        return sorted(touched)


def fail_with(message: str, hint: str) -> list[Diagnostic]:
    return [error(WHERE, 1, 1, message, hint)]


def site_config(sources: SiteSources) -> tuple[SiteConfig | None, list[Diagnostic]]:
    return parse_config(sources.site)


def clean_path(raw: str) -> str:
    path = raw.strip().strip("/")
    return path.removeprefix("content/").strip("/")


def is_under(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder + "/")


def text_of(plan: Plan, root: Path, file: str) -> str:
    if file in plan.edits:
        return plan.edits[file]
    return (root / file).read_text(encoding="utf-8")


def _split_target(target: str) -> tuple[str, str]:
    """'/partners/lasa/#x' -> ('/partners/lasa/', '#x')."""
    cut = min((i for i in (target.find("#"), target.find("?")) if i >= 0), default=len(target))
    return target[:cut], target[cut:]


def _new_target(target: str, goal: str, page: str) -> str:
    """The link text that reaches `goal` from `page`, in the style it was written in."""
    path, rest = _split_target(target)
    slash = "/" if path.endswith("/") and goal else ""
    if path.startswith("/"):
        return "/" + goal + slash + rest
    relative = posixpath.relpath(goal or ".", page or ".")
    return ("" if relative == "." else relative) + slash + rest


def _link_column(line: str, col: int, target: str, image: bool) -> int | None:
    """0-based start of the written target on the line, or None when it is not as read."""
    start = col - 1
    if image:
        start = line.find("](" + target, start)
        return None if start < 0 else start + 2
    return start if line.startswith(target, start) else None


def rewrite_texts(
    plan: Plan, root: Path, sources: SiteSources, where: Callable[[str], str]
) -> None:
    """Point every link at the page's new place (and keep links from inside it working)."""
    for page in sources.pages:
        new_page = where(page.path)
        for text in page.texts.values():
            changes: list[tuple[int, int, bool, str, str]] = []
            for ref in find_links(text):
                resolved = link_path(page.path, ref.target)
                if resolved is None or not ref.target:
                    continue
                goal = where(resolved[0])
                now = link_path(new_page, ref.target)
                if now is not None and now[0] == goal:
                    continue
                written = _new_target(ref.target, goal, new_page)
                changes.append((ref.line, ref.col, ref.image, ref.target, written))
            if not changes:
                continue
            lines = text_of(plan, root, text.src).split("\n")
            done = 0
            # Right to left on each line, so earlier columns stay where they were.
            for line, col, image, old, new in sorted(changes, key=lambda c: (c[0], -c[1])):
                current = lines[line - 1]
                start = _link_column(current, col, old, image)
                if start is None:
                    plan.blockers.append(f"{text.src}:{line}:{col}: change '{old}' by hand")
                    continue
                lines[line - 1] = current[:start] + new + current[start + len(old) :]
                done += 1
            if done:
                plan.edits[text.src] = "\n".join(lines)
                plan.note(text.src, f"{done} link(s)")


def references_to(
    sources: SiteSources, config: SiteConfig
) -> Iterable[tuple[SourcePage, YamlDoc, str, str | None, int, str, str]]:
    """Every data.yaml reference: page, doc, field, its section, index, as written, page path."""
    for page in sources.pages:
        doc = page.data
        if doc is None or not isinstance(doc.value, dict):
            continue
        for f in data_fields(page_kind(page.path, config)):
            values = doc.value.get(f.name)
            if f.type != "refs" or not isinstance(values, list):
                continue
            for i, ref in enumerate(values):
                if not isinstance(ref, str):
                    continue
                ref = ref.strip("/")
                short = f.target is not None and not ref.startswith(f.target + "/")
                full = f"{f.target}/{ref}" if short else ref
                yield page, doc, f.name, f.target if short else None, i, ref, full


def rewrite_references(
    plan: Plan, root: Path, sources: SiteSources, config: SiteConfig, where: Callable[[str], str]
) -> None:
    for page, doc, name, section, i, ref, full in references_to(sources, config):
        goal = where(full)
        if goal == full:
            continue
        value = goal.removeprefix(f"{section}/") if section and is_under(goal, section) else goal
        line, col = doc.pos(name, i)
        plan.edits[page.data_src] = replace_scalar(
            text_of(plan, root, page.data_src), line, col, value
        )
        plan.note(page.data_src, f"'{name}': {ref} -> {value}")


def menu_entries(plan: Plan, root: Path, sources: SiteSources, old: str, new: str | None) -> None:
    """The main menu in site.yaml names top-level folders."""
    doc = sources.site
    if (
        doc is None
        or not isinstance(doc.value, dict)
        or not isinstance(doc.value.get("menu"), list)
    ):
        return
    src = "content/site.yaml"
    for i, item in enumerate(doc.value["menu"]):
        if item != old:
            continue
        text = text_of(plan, root, src)
        if new is None:
            plan.edits[src] = remove_item(text, doc, "menu", i)
            plan.note(src, f"menu: {old} removed")
        elif "/" not in new:
            line, col = doc.pos("menu", i)
            plan.edits[src] = replace_scalar(text, line, col, new)
            plan.note(src, f"menu: {old} -> {new}")
        else:
            plan.blockers.append(f"{src}: the menu names '{old}'; a menu entry must be top-level")


def record_moved(plan: Plan, root: Path, data_src: str, old_paths: Iterable[str]) -> None:
    path = root / data_src
    text = plan.edits.get(data_src) or (path.read_text(encoding="utf-8") if path.exists() else "")
    doc, _ = parse_yaml(text, data_src)
    have = set(moved_paths(doc.value)) if doc is not None and isinstance(doc.value, dict) else set()
    for old in old_paths:
        if old not in have:
            text = append_item(text, MOVED_FROM, old)
            plan.note(data_src, f"moved_from: {old} (the old address redirects here)")
    plan.edits[data_src] = text


def check_git(root: Path, files: list[str]) -> list[str] | None:
    """The files among `files` with uncommitted changes; None when git cannot tell."""
    if not files:
        return []
    done = run_git(root, "status", "--porcelain", "--", *files)
    if done is None or done.returncode != 0:
        return None
    return [line[3:] for line in done.stdout.splitlines() if line.strip()]


def _site_menu(sources: SiteSources) -> list[object]:
    doc = sources.site
    menu = doc.value.get("menu") if doc is not None and isinstance(doc.value, dict) else None
    return menu if isinstance(menu, list) else []


def _plain_text(body: str, page: str, gone: str) -> tuple[str, int]:
    """The body with inline links (and images) into `gone` replaced by their text."""
    count = 0

    def plain(match: re.Match[str]) -> str:
        nonlocal count
        resolved = link_path(page, match.group(2))
        if match.group(2) and resolved is not None and is_under(resolved[0], gone):
            count += 1
            return match.group(1)
        return match.group(0)

    return LINK_OR_IMAGE.sub(plain, body), count


def unlink_links(plan: Plan, root: Path, sources: SiteSources, gone: str) -> list[str]:
    """Turn inline links to `gone` into their text; return the places of every link found."""
    places: list[str] = []
    for page in sources.pages:
        if is_under(page.path, gone):
            continue
        for text in page.texts.values():
            refs = [
                r
                for r in find_links(text)
                if (res := link_path(page.path, r.target)) is not None
                and r.target
                and is_under(res[0], gone)
            ]
            if not refs:
                continue
            places += [f"{text.src}:{r.line}:{r.col}" for r in refs]
            lines = text_of(plan, root, text.src).split("\n")
            body_start = text.body_line - 1
            body = "\n".join(lines[body_start:])
            new_body, count = _plain_text(body, page.path, gone)
            if count < len(refs):
                plan.blockers += [
                    f"{text.src}:{r.line}:{r.col}: change '{r.target}' by hand" for r in refs
                ][count:]
            if count:
                plan.edits[text.src] = "\n".join(lines[:body_start] + [new_body])
                plan.note(text.src, f"{count} link(s) turned into plain text")
    return places
