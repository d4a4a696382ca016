"""`sitegen move OLD NEW` and `sitegen remove PATH`: rename or delete a page, keep its address.

Both first make a plan: every link (in every language, drafts too), every data.yaml reference
(clusters:, partners:, related:) and menu entry that names the page, and the `moved_from:`
entry that makes the old address redirect (to the new place, or to the parent section for
`remove`). `--dry-run` prints the plan; otherwise it refuses when git has uncommitted changes
in the files it would touch (so `git diff` shows exactly what it did), unless `--force`.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from sitegen.commands.relink import (
    WHERE,
    Plan,
    check_git,
    clean_path,
    fail_with,
    is_under,
    menu_entries,
    record_moved,
    references_to,
    rewrite_references,
    rewrite_texts,
    site_config,
    text_of,
    unlink_links,
)
from sitegen.diagnostics.diagnostic import Diagnostic, error
from sitegen.schema.moved import moved_paths
from sitegen.schema.validate import SLUG, page_kind
from sitegen.source.load import SiteSources, SourcePage, load_sources
from sitegen.source.names import folder_problem
from sitegen.source.yamledit import remove_item


def _folders(sources: SiteSources, folder: str) -> list[SourcePage]:
    return [page for page in sources.pages if is_under(page.path, folder)]


def plan_move(root: Path, old: str, new: str) -> tuple[Plan | None, list[Diagnostic]]:
    """Everything `move` would change, or why it cannot."""
    old, new = clean_path(old), clean_path(new)
    sources = load_sources(root)
    config, diags = site_config(sources)
    if config is None:
        return None, diags
    pages = {page.path for page in sources.pages}
    if not old or old not in pages:
        return None, fail_with(
            f"there is no page folder content/{old}/",
            "name the page by its folder under content/, e.g. partners/lasa",
        )
    bad = next((part for part in new.split("/") if not SLUG.match(part)), None)
    if not new or bad is not None:
        return None, fail_with(
            f"'{new}' is not a valid page path",
            "use lower-case letters, digits and single hyphens, e.g. partners/lasa-leuven",
        )
    problem = next((p for part in new.split("/") if (p := folder_problem(part))), None)
    if problem is not None:
        return None, fail_with(*problem)
    if (root / "content" / new).exists():
        return None, fail_with(
            f"content/{new}/ exists already; nothing was changed",
            "choose another name, or remove that page first",
        )
    parent = new.rpartition("/")[0]
    if is_under(new, old):
        return None, fail_with("a page cannot move into itself", "choose a folder outside it")
    if parent and parent not in pages:
        return None, fail_with(
            f"there is no section content/{parent}/ to move the page into",
            "create the section first, or choose an existing one",
        )
    if page_kind(old, config) != page_kind(new, config):
        return None, fail_with(
            f"moving content/{old}/ to content/{new}/ would change what kind of page it is",
            "move it within its section; to change its kind, create a new page instead",
        )

    def where(path: str) -> str:
        return new + path[len(old) :] if is_under(path, old) else path

    plan = Plan(move=(f"content/{old}", f"content/{new}"))
    rewrite_texts(plan, root, sources, where)
    rewrite_references(plan, root, sources, config, where)
    menu_entries(plan, root, sources, old, new)
    for page in _folders(sources, old):
        record_moved(plan, root, page.data_src, [page.path])
    return plan, []


def plan_remove(root: Path, gone: str, unlink: bool) -> tuple[Plan | None, list[Diagnostic]]:
    """Everything `remove` would change, or why it cannot (links left without --unlink)."""
    gone = clean_path(gone)
    sources = load_sources(root)
    config, diags = site_config(sources)
    if config is None:
        return None, diags
    if not gone:
        return None, fail_with(
            "the home page cannot be removed", "name a page folder under content/"
        )
    exists = (root / "content" / gone).is_dir()
    plan = Plan(delete=f"content/{gone}" if exists else None)
    places = unlink_links(plan, root, sources, gone)
    refs = [r for r in references_to(sources, config) if is_under(r[6], gone)]
    refs = [r for r in refs if not is_under(r[0].path, gone)]
    for page, doc, name, _section, i, ref, _full in sorted(refs, key=lambda r: -r[4]):
        places.append(f"{page.data_src}:{doc.pos(name, i)[0]}:{doc.pos(name, i)[1]}")
        plan.edits[page.data_src] = remove_item(text_of(plan, root, page.data_src), doc, name, i)
        plan.note(page.data_src, f"'{name}': {ref} removed")
    menu = (
        sources.site.value.get("menu")
        if sources.site and isinstance(sources.site.value, dict)
        else None
    )
    if isinstance(menu, list) and gone in menu:
        places.append("content/site.yaml (menu)")
        menu_entries(plan, root, sources, gone, None)
    if not exists and not places:
        return None, fail_with(
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
    record_moved(plan, root, parent_data, old_paths)
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
        if plan.move and is_under(file, plan.move[0]):
            shown = plan.move[1] + file[len(plan.move[0]) :]
        lines.append(f"{change} {shown}: " + "; ".join(plan.notes[file]))
    return lines


def carry_out(root: Path, plan: Plan) -> None:
    """Write the edits, then move or delete the folder."""
    for file, text in plan.edits.items():
        path = root / file
        if plan.delete and is_under(file, plan.delete):
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
    dirty = check_git(root, plan.files(root))
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
