"""The whole-build skip: nothing read and nothing written changed since the last build.

This is the first thing `sitegen build` asks, before it imports the renderer, Jinja or
Markdown: a build with nothing to do should cost the stamps of the files and no more.
So this module imports only the standard library and the cache store; library versions
come from the names of their installed metadata folders, not from importing the libraries
(nor `importlib.metadata`: importing it took about 0.07 s of a 0.4 s no-change build).
"""

from __future__ import annotations

import hashlib
import os
import sys
from dataclasses import dataclass
from pathlib import Path

import sitegen
from sitegen.diagnostics.diagnostic import Diagnostic
from sitegen.incremental.store import Store
from sitegen.source.stamp import stamp_of_entry

# The libraries whose version changes what a page renders to.
LIBRARIES = ("jinja2", "markdown", "babel")


def library_versions() -> dict[str, str]:
    """The installed version of each of LIBRARIES ("?" if none), from the `name-version.dist-info`
    folder found first on the import path: the copy Python imports."""
    found = dict.fromkeys(LIBRARIES, "?")
    for folder in sys.path:
        try:
            names = sorted(os.listdir(folder or "."))
        except OSError:
            continue
        for name in names:
            if not name.endswith(".dist-info"):
                continue
            project, _, installed = name[: -len(".dist-info")].partition("-")
            key = project.lower().replace("_", "-")
            if found.get(key) == "?":
                found[key] = installed
    return found


def code_digest() -> str:
    """sitegen's own source and the libraries that shape output: any change empties the cache."""
    h = hashlib.sha256(sitegen.__version__.encode())
    for name, installed in library_versions().items():
        h.update(f"|{name} {installed}".encode())
    package = Path(sitegen.__file__).parent
    for path in sorted(package.rglob("*.py")):
        h.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


def _walk(folder: str, into: list[str]) -> None:
    try:
        entries = os.scandir(folder)
    except OSError:
        return
    with entries:
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                _walk(entry.path, into)
            else:
                size, mtime, inode = stamp_of_entry(entry)
                into.append(f"{entry.path}\0{size}\0{mtime}\0{inode}")


def tree_stamp(folders: list[Path]) -> str:
    """A digest of every file's name and stamp below folders (as make and git do)."""
    lines: list[str] = []
    for folder in folders:
        found: list[str] = []
        _walk(str(folder), found)
        lines += (f"[{folder}]", *sorted(found))  # one sort, not one per folder
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class BuildState:
    """What the last successful build read and wrote, to skip a build where nothing changed."""

    inputs: str
    outputs: str
    files: int
    diagnostics: list[Diagnostic]


def build_options(base_url: str | None, search: bool, compress: bool | None) -> str:
    """The options that change what a build writes: a build with others is another build."""
    return f"{base_url}|{search}|{compress}"


def _state_name(root: Path, out: Path, options: str) -> str:
    key = f"{root.absolute()}|{out.absolute()}|{options}"
    return "state-" + hashlib.sha256(key.encode()).hexdigest()[:20] + ".pickle"


def input_stamp(root: Path, options: str) -> str:
    folders = [root / "content", root / "templates", root / "assets"]
    return hashlib.sha256((tree_stamp(folders) + code_digest() + options).encode()).hexdigest()


def unchanged_build(root: Path, out: Path, options: str, inputs: str) -> BuildState | None:
    """The last build if no input (`inputs`, from input_stamp) and no output file changed
    since, else None."""
    state = Store.of_site(root).load(_state_name(root, out, options))
    if not isinstance(state, BuildState) or not out.is_dir():
        return None
    if state.inputs != inputs or state.outputs != tree_stamp([out]):
        return None
    return state


def record_build(
    root: Path, out: Path, options: str, inputs: str, files: int, diags: list[Diagnostic]
) -> None:
    """Remember a successful build; `inputs` was stamped before it read anything."""
    state = BuildState(inputs, tree_stamp([out]), files, diags)
    Store.of_site(root).save(_state_name(root, out, options), state)
