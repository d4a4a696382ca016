"""Which files a site folder offers: sorted, without hidden files, with every unsafe name or
link refused as a diagnostic (a link is followed only to a file inside the site)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from sitegen.diagnostics.diagnostic import Diagnostic, error
from sitegen.source.names import case_key, file_problem, folder_problem

SKIPPED_NAMES = {".DS_Store", "Thumbs.db", "desktop.ini"}


def rel_path(root: Path, path: Path) -> str:
    return path.relative_to(root).as_posix()


@dataclass(frozen=True, slots=True)
class Listing:
    """The usable entries of one folder, sorted by name; refused ones became diagnostics."""

    dirs: tuple[Path, ...]
    files: tuple[Path, ...]


def _link_problem(root: Path, path: Path) -> tuple[str, str] | None:
    """A symbolic link is read only when it points at a file inside the site."""
    try:
        target = path.resolve(strict=True)
    except (OSError, RuntimeError):
        return "this symbolic link points to nothing", "remove the link or put the file here"
    if not target.is_relative_to(root.resolve()):
        return (
            f"this is a symbolic link to {target}, outside the site; it is not followed",
            "copy the file into the site instead of linking to it",
        )
    if target.is_dir():
        return (
            "this is a symbolic link to a folder; linked folders are not followed",
            "copy the folder instead of linking to it",
        )
    return None


def list_folder(
    root: Path, folder: Path, diagnostics: list[Diagnostic], page_names: bool = True
) -> Listing:
    """Sorted sub-folders and files, skipping hidden ones and refusing unsafe names and links.

    Sorting makes the build independent of the order the file system lists entries in.
    """
    try:
        with os.scandir(folder) as it:
            entries = sorted(it, key=lambda e: e.name)
    except OSError as exc:
        diagnostics.append(
            error(
                rel_path(root, folder),
                1,
                1,
                f"cannot read the folder: {exc.strerror or exc}",
                "check that the folder exists and is readable",
            )
        )
        return Listing((), ())
    dirs: list[Path] = []
    files: list[Path] = []
    seen: dict[str, str] = {}
    prefix = "" if folder == root else rel_path(root, folder) + "/"
    for entry in entries:
        if entry.name.startswith(".") or entry.name in SKIPPED_NAMES:
            continue
        path = Path(entry.path)
        src = prefix + entry.name  # what rel_path gives, without a Path per file
        problem = _link_problem(root, path) if entry.is_symlink() else None
        is_dir = problem is None and entry.is_dir()
        if problem is None:
            if is_dir:
                problem = folder_problem(entry.name) if page_names else file_problem(entry.name)
            elif not entry.is_file():  # a regular file (a link: its target); no stat call
                problem = (
                    "this is not a regular file (a pipe, socket or device)",
                    "remove it from the site folder",
                )
            else:
                problem = file_problem(entry.name)
        other = seen.setdefault(case_key(entry.name), entry.name)
        if problem is None and other != entry.name:
            problem = (
                f"'{entry.name}' and '{other}' differ only in upper and lower case; "
                "macOS and Windows see them as one name",
                "rename or merge one of them",
            )
        if problem is None and page_names and entry.name.lower().endswith(".md"):
            if not entry.name.endswith(".md") or entry.name != entry.name.lower():
                problem = (
                    f"'{entry.name}' must be written in lower case, like 'en.md'",
                    f"rename it to '{entry.name.lower()}'",
                )
        if problem is not None:
            diagnostics.append(error(src, 1, 1, *problem))
        elif is_dir:
            dirs.append(path)
        else:
            files.append(path)
    return Listing(tuple(dirs), tuple(files))


def walk(
    root: Path, top: Path, diagnostics: list[Diagnostic], page_names: bool = True
) -> list[tuple[Path, tuple[Path, ...]]]:
    """Every folder below top (itself first, then sorted) with its files; no recursion limit."""
    found: list[tuple[Path, tuple[Path, ...]]] = []
    stack = [top]
    while stack:
        folder = stack.pop()
        listing = list_folder(root, folder, diagnostics, page_names)
        found.append((folder, listing.files))
        stack.extend(listing.dirs)
    return [found[0], *sorted(found[1:])] if found else found
