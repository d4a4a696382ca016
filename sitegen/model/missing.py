"""Links that go nowhere, reported once per missing page with every place that links to it.

Deleting a page used to give one error per link, and in two rounds: the data.yaml references
first (they stop the build before rendering), the text links only once those were fixed. Here
both are gathered at once: from the texts' sources when validation already failed (nothing
will be rendered), or from what rendering found otherwise (render/linkreport.py).

The hint says what happened to the page: moved (its new place names it in `moved_from`),
deleted (git knew it), or never there (then a 'did you mean' is useful).
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass

from sitegen.diagnostics import codes
from sitegen.diagnostics.diagnostic import Diagnostic, error
from sitegen.model.links import LinkRef, find_links, link_path
from sitegen.schema.kinds import data_fields
from sitegen.schema.moved import moved_paths
from sitegen.schema.validate import CheckedPage
from sitegen.schema.values import as_refs
from sitegen.source.load import SiteSources, SourceText
from sitegen.source.yamlpos import YamlDoc

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif", ".svg")
LISTED = 40  # places listed in one hint; more are counted


@dataclass(frozen=True, slots=True, order=True)
class Dangling:
    """One link or data.yaml reference to something that is not there."""

    src: str
    line: int
    col: int
    target: str  # as written
    path: str  # the content path it resolves to
    image: bool = False
    field: str = ""  # the data.yaml field, for references


def classify(
    page: str, src: str, ref: LinkRef, files: Mapping[str, Collection[str]]
) -> Dangling | None:
    """The link as a Dangling if it reaches neither a page nor a file of a page (`files`: every
    known page path and the names of its files)."""
    resolved = link_path(page, ref.target)
    if resolved is None:
        return None
    path = resolved[0]
    if path in files:
        return None
    folder, _, name = path.rpartition("/")
    if folder in files and name in files[folder]:
        return None
    return Dangling(src, ref.line, ref.col, ref.target, path, ref.image)


def data_references(
    pages: Mapping[str, CheckedPage], docs: Mapping[str, YamlDoc | None]
) -> list[Dangling]:
    """The data.yaml references (clusters:, partners:, related:) to pages that do not exist."""
    found = []
    for path in sorted(pages):
        page = pages[path]
        doc = docs.get(path)
        for f in data_fields(page.kind):
            if f.type != "refs":
                continue
            for i, ref in enumerate(as_refs(page.data.get(f.name))):
                short = f.target is not None and not ref.startswith(f"{f.target}/")
                full = f"{f.target}/{ref}" if short else ref
                if full not in pages:
                    line, col = doc.pos(f.name, i) if doc else (1, 1)
                    found.append(Dangling(page.data_src, line, col, ref, full, field=f.name))
    return found


def _is_draft(text: SourceText) -> bool:
    value = text.front.value if text.front is not None else None
    return isinstance(value, dict) and value.get("draft") is True


def text_links(sources: SiteSources) -> list[Dangling]:
    """Every link in a text about to be published that reaches nothing (reads the bodies)."""
    files = {page.path: {name for name, _ in page.files} for page in sources.pages}
    found = []
    for page in sources.pages:
        for text in page.texts.values():
            if _is_draft(text):
                continue
            for ref in find_links(text):
                dangling = classify(page.path, text.src, ref, files)
                if dangling is not None:
                    found.append(dangling)
    return found


def moved_to(pages: Iterable[tuple[str, Mapping[str, object]]]) -> dict[str, str]:
    """Old content path -> the page that now says `moved_from:` it."""
    return {old: path for path, data in pages for old in moved_paths(data)}


def _where(d: Dangling) -> str:
    return f"{d.src}:{d.line}:{d.col}" + (f" ('{d.field}')" if d.field else "")


def _places(group: list[Dangling]) -> str:
    shown = [_where(d) for d in group[:LISTED]]
    if len(group) > LISTED:
        shown.append(f"and {len(group) - LISTED} more")
    return "".join("\n        " + place for place in shown)


def _file_problem(d: Dangling, files: Mapping[str, Collection[str]]) -> Diagnostic:
    folder, _, name = d.path.rpartition("/")
    names = sorted(files.get(folder, ()))
    where = f"content/{folder}/" if folder else "content/"
    if d.image or name.lower().endswith(IMAGE_SUFFIXES):
        images = [n for n in names if n.lower().endswith(IMAGE_SUFFIXES)]
        close = difflib.get_close_matches(name, images, n=1, cutoff=0.6)
        hint = (
            f"did you mean '{close[0]}'? Image names must match exactly, capitals too"
            if close
            else f"put the image file in {where} (beside the text) and write its name: "
            "![what the image shows](photo.jpg)"
        )
        return error(
            d.src, d.line, d.col, f"there is no image '{name}' in {where}", hint, codes.BROKEN_LINK
        )
    close = difflib.get_close_matches(name, names, n=1, cutoff=0.6)
    hint = f"did you mean '{close[0]}'?" if close else f"put the file in {where}, or fix the name"
    return error(
        d.src, d.line, d.col, f"there is no file '{name}' in {where}", hint, codes.BROKEN_LINK
    )


def report(
    dangling: Iterable[Dangling],
    files: Mapping[str, Collection[str]],
    moved: Mapping[str, str],
    former: Callable[[], frozenset[str]],
) -> list[Diagnostic]:
    """One error per missing page naming every link to it; one per missing file or image."""
    diags: list[Diagnostic] = []
    groups: dict[str, list[Dangling]] = {}
    for d in sorted(set(dangling)):
        folder, _, name = d.path.rpartition("/")
        if d.image or (folder in files and "." in name):
            diags.append(_file_problem(d, files))
        else:
            groups.setdefault(d.path, []).append(d)
    gone = former() if any(path not in moved for path in groups) else frozenset()
    for path, group in groups.items():
        first, count = group[0], len(group)
        shown = "/" + path
        if path in moved:
            message = f"'{shown}' has moved to '/{moved[path]}'"
            hint = f"change the link to /{moved[path]} ('sitegen move' changes every link for you)"
        elif path in gone:
            message = f"the page '{shown}' no longer exists"
            hint = (
                "remove the link or point it to another page; "
                f"'sitegen remove {path} --unlink' turns every link to it into plain text"
            )
        else:
            # A reference is named as written ('ict' in clusters:), a link by its page.
            short = path.removesuffix(first.target) if first.field else "/"
            if count > 1 or not path.endswith(first.target):
                short = "/"
            message = f"there is no page '{first.target if short != '/' else shown}'"
            pool = [p.removeprefix(short) for p in files if p.startswith(short) or short == "/"]
            close = difflib.get_close_matches(path.removeprefix(short), pool, n=1, cutoff=0.75)
            hint = (
                f"did you mean '{'/' if short == '/' else ''}{close[0]}'?"
                if close
                else "link to a page by its folder under content/, e.g. /partners/imec"
            )
        if count > 1:
            message += f"; {count} links go to it"
            hint += "; the links:" + _places(group)
        diags.append(error(first.src, first.line, first.col, message, hint, codes.MISSING_PAGE))
    return diags


def missing_pages(
    sources: SiteSources,
    pages: Mapping[str, CheckedPage],
    references: list[Dangling],
    former: Callable[[], frozenset[str]],
) -> list[Diagnostic]:
    """Every dangling reference and text link at once, before anything is rendered."""
    files = {page.path: {name for name, _ in page.files} for page in sources.pages}
    found = references + text_links(sources)
    if not found:
        return []
    moved = moved_to((path, page.data) for path, page in pages.items())
    return report(found, files, moved, former)
