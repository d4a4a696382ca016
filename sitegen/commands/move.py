"""`sitegen move OLD NEW` and `sitegen remove PATH`: rename or delete a page, keep its address.

Both first make a plan: every link (in every language, drafts too), every data.yaml reference
(clusters:, partners:, related:) and menu entry that names the page, and the `moved_from:`
entry that makes the old address redirect (to the new place, or to the parent section for
`remove`). `--dry-run` prints the plan; otherwise it refuses when git has uncommitted changes
in the files it would touch (so `git diff` shows exactly what it did), unless `--force`.
"""

from __future__ import annotations

import posixpath
import re
import shutil
import subprocess
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from sitegen.diagnostics.diagnostic import Diagnostic, error
from sitegen.model.links import INLINE, find_links, link_path
from sitegen.schema.config import SiteConfig, parse_config
from sitegen.schema.kinds import data_fields
from sitegen.schema.moved import FIELD as MOVED_FROM
from sitegen.schema.moved import moved_paths
from sitegen.schema.validate import SLUG, page_kind
from sitegen.source.load import SiteSources, SourcePage, load_sources
from sitegen.source.names import folder_problem
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


def _fail(message: str, hint: str) -> list[Diagnostic]:
    return [error(WHERE, 1, 1, message, hint)]


def _config(sources: SiteSources) -> tuple[SiteConfig | None, list[Diagnostic]]:
    return parse_config(sources.site)


def _clean_path(raw: str) -> str:
    path = raw.strip().strip("/")
    return path.removeprefix("content/").strip("/")


def _under(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder + "/")


def _text(plan: Plan, root: Path, file: str) -> str:
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


def _rewrite_texts(
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
            lines = _text(plan, root, text.src).split("\n")
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


def _references(
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


def _rewrite_references(
    plan: Plan, root: Path, sources: SiteSources, config: SiteConfig, where: Callable[[str], str]
) -> None:
    for page, doc, name, section, i, ref, full in _references(sources, config):
        goal = where(full)
        if goal == full:
            continue
        value = goal.removeprefix(f"{section}/") if section and _under(goal, section) else goal
        line, col = doc.pos(name, i)
        plan.edits[page.data_src] = replace_scalar(
            _text(plan, root, page.data_src), line, col, value
        )
        plan.note(page.data_src, f"'{name}': {ref} -> {value}")


def _menu(plan: Plan, root: Path, sources: SiteSources, old: str, new: str | None) -> None:
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
        text = _text(plan, root, src)
        if new is None:
            plan.edits[src] = remove_item(text, doc, "menu", i)
            plan.note(src, f"menu: {old} removed")
        elif "/" not in new:
            line, col = doc.pos("menu", i)
            plan.edits[src] = replace_scalar(text, line, col, new)
            plan.note(src, f"menu: {old} -> {new}")
        else:
            plan.blockers.append(f"{src}: the menu names '{old}'; a menu entry must be top-level")


def _record_moved(plan: Plan, root: Path, data_src: str, old_paths: Iterable[str]) -> None:
    path = root / data_src
    text = plan.edits.get(data_src) or (path.read_text(encoding="utf-8") if path.exists() else "")
    doc, _ = parse_yaml(text, data_src)
    have = set(moved_paths(doc.value)) if doc is not None and isinstance(doc.value, dict) else set()
    for old in old_paths:
        if old not in have:
            text = append_item(text, MOVED_FROM, old)
            plan.note(data_src, f"moved_from: {old} (the old address redirects here)")
    plan.edits[data_src] = text


def _check_git(root: Path, files: list[str]) -> list[str] | None:
    """The files among `files` with uncommitted changes; None when git cannot tell."""
    if not files:
        return []
    try:
        done = subprocess.run(
            ["git", "-C", str(root), "status", "--porcelain", "--", *files],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if done.returncode != 0:
        return None
    return [line[3:] for line in done.stdout.splitlines() if line.strip()]


def _folders(sources: SiteSources, folder: str) -> list[SourcePage]:
    return [page for page in sources.pages if _under(page.path, folder)]


def plan_move(root: Path, old: str, new: str) -> tuple[Plan | None, list[Diagnostic]]:
    """Everything `move` would change, or why it cannot."""
    old, new = _clean_path(old), _clean_path(new)
    sources = load_sources(root)
    config, diags = _config(sources)
    if config is None:
        return None, diags
    pages = {page.path for page in sources.pages}
    if not old or old not in pages:
        return None, _fail(
            f"there is no page folder content/{old}/",
            "name the page by its folder under content/, e.g. partners/lasa",
        )
    bad = next((part for part in new.split("/") if not SLUG.match(part)), None)
    if not new or bad is not None:
        return None, _fail(
            f"'{new}' is not a valid page path",
            "use lower-case letters, digits and single hyphens, e.g. partners/lasa-leuven",
        )
    problem = next((p for part in new.split("/") if (p := folder_problem(part))), None)
    if problem is not None:
        return None, _fail(*problem)
    if (root / "content" / new).exists():
        return None, _fail(
            f"content/{new}/ exists already; nothing was changed",
            "choose another name, or remove that page first",
        )
    parent = new.rpartition("/")[0]
    if _under(new, old):
        return None, _fail("a page cannot move into itself", "choose a folder outside it")
    if parent and parent not in pages:
        return None, _fail(
            f"there is no section content/{parent}/ to move the page into",
            "create the section first, or choose an existing one",
        )
    if page_kind(old, config) != page_kind(new, config):
        return None, _fail(
            f"moving content/{old}/ to content/{new}/ would change what kind of page it is",
            "move it within its section; to change its kind, create a new page instead",
        )

    def where(path: str) -> str:
        return new + path[len(old) :] if _under(path, old) else path

    plan = Plan(move=(f"content/{old}", f"content/{new}"))
    _rewrite_texts(plan, root, sources, where)
    _rewrite_references(plan, root, sources, config, where)
    _menu(plan, root, sources, old, new)
    for page in _folders(sources, old):
        _record_moved(plan, root, page.data_src, [page.path])
    return plan, []


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
        if match.group(2) and resolved is not None and _under(resolved[0], gone):
            count += 1
            return match.group(1)
        return match.group(0)

    return LINK_OR_IMAGE.sub(plain, body), count


def _unlink(plan: Plan, root: Path, sources: SiteSources, gone: str) -> list[str]:
    """Turn inline links to `gone` into their text; return the places of every link found."""
    places: list[str] = []
    for page in sources.pages:
        if _under(page.path, gone):
            continue
        for text in page.texts.values():
            refs = [
                r
                for r in find_links(text)
                if (res := link_path(page.path, r.target)) is not None
                and r.target
                and _under(res[0], gone)
            ]
            if not refs:
                continue
            places += [f"{text.src}:{r.line}:{r.col}" for r in refs]
            lines = _text(plan, root, text.src).split("\n")
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


def plan_remove(root: Path, gone: str, unlink: bool) -> tuple[Plan | None, list[Diagnostic]]:
    """Everything `remove` would change, or why it cannot (links left without --unlink)."""
    gone = _clean_path(gone)
    sources = load_sources(root)
    config, diags = _config(sources)
    if config is None:
        return None, diags
    if not gone:
        return None, _fail("the home page cannot be removed", "name a page folder under content/")
    exists = (root / "content" / gone).is_dir()
    plan = Plan(delete=f"content/{gone}" if exists else None)
    places = _unlink(plan, root, sources, gone)
    refs = [r for r in _references(sources, config) if _under(r[6], gone)]
    refs = [r for r in refs if not _under(r[0].path, gone)]
    for page, doc, name, _section, i, ref, _full in sorted(refs, key=lambda r: -r[4]):
        places.append(f"{page.data_src}:{doc.pos(name, i)[0]}:{doc.pos(name, i)[1]}")
        plan.edits[page.data_src] = remove_item(_text(plan, root, page.data_src), doc, name, i)
        plan.note(page.data_src, f"'{name}': {ref} removed")
    menu = (
        sources.site.value.get("menu")
        if sources.site and isinstance(sources.site.value, dict)
        else None
    )
    if isinstance(menu, list) and gone in menu:
        places.append("content/site.yaml (menu)")
        _menu(plan, root, sources, gone, None)
    if not exists and not places:
        return None, _fail(
            f"there is no page folder content/{gone}/ and nothing links to it",
            "name the page by its folder under content/, e.g. partners/voka",
        )
    if places and not unlink:
        listed = "".join(f"\n        {place}" for place in sorted(places))
        return None, [
            error(
                WHERE,
                1,
                1,
                f"{len(places)} link(s) still go to content/{gone}/; nothing was changed",
                "run again with --unlink to turn them into plain text (and drop the "
                "references), or change them first:" + listed,
            )
        ]
    parent = gone.rpartition("/")[0]
    parent_data = f"content/{parent}/data.yaml" if parent else "content/data.yaml"
    old_paths = [gone]
    for page in _folders(sources, gone):
        old_paths += [p for p in [page.path] if p != gone]
        if page.data is not None and isinstance(page.data.value, dict):
            old_paths += list(moved_paths(page.data.value))
    _record_moved(plan, root, parent_data, old_paths)
    return plan, []


def describe(plan: Plan, dry_run: bool) -> list[str]:
    """The plan as lines for the terminal."""
    move, delete, change = (
        ("would move", "would delete", "would change")
        if dry_run
        else ("moved", "deleted", "changed")
    )
    lines = []
    if plan.move:
        lines.append(f"{move} {plan.move[0]}/ to {plan.move[1]}/")
    if plan.delete:
        lines.append(f"{delete} {plan.delete}/")
    for file in sorted(plan.notes):
        shown = file
        if plan.move and _under(file, plan.move[0]):
            shown = plan.move[1] + file[len(plan.move[0]) :]
        lines.append(f"{change} {shown}: " + "; ".join(plan.notes[file]))
    return lines


def carry_out(root: Path, plan: Plan) -> None:
    """Write the edits, then move or delete the folder."""
    for file, text in plan.edits.items():
        path = root / file
        if plan.delete and _under(file, plan.delete):
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    if plan.move:
        (root / plan.move[1]).parent.mkdir(parents=True, exist_ok=True)
        (root / plan.move[0]).rename(root / plan.move[1])
    if plan.delete:
        shutil.rmtree(root / plan.delete)


def refuse_dirty(root: Path, plan: Plan) -> list[Diagnostic]:
    """An error naming the files git has uncommitted changes in, if any."""
    dirty = _check_git(root, plan.files(root))
    if not dirty:
        return []
    listed = "".join(f"\n        {name}" for name in dirty)
    return [
        error(
            WHERE,
            1,
            1,
            f"{len(dirty)} file(s) it would change have uncommitted changes; nothing was changed",
            "commit (or undo) them first, so 'git diff' shows only this change, or run again "
            "with --force:" + listed,
        )
    ]


def run_plan(
    root: Path, plan: Plan | None, diags: list[Diagnostic], dry_run: bool, force: bool
) -> tuple[list[str], list[Diagnostic]]:
    """Carry out a plan unless it is a dry run or git has uncommitted changes; the lines to
    print and the problems."""
    if plan is None:
        return [], diags
    if plan.blockers and not dry_run:
        listed = "".join(f"\n        {b}" for b in plan.blockers)
        return describe(plan, True), [
            error(
                WHERE,
                1,
                1,
                f"{len(plan.blockers)} link(s) are written in a way sitegen cannot change; "
                "nothing was changed",
                "change them by hand, then run again:" + listed,
            )
        ]
    if dry_run:
        return describe(plan, True), []
    if not force and (dirty := refuse_dirty(root, plan)):
        return describe(plan, True), dirty
    carry_out(root, plan)
    return describe(plan, False), []
