"""The build cache in `.sitegen-cache/`: what each page was rendered from and what it read.

Every file is written to a temporary name and renamed into place, and carries a checksum;
a file that is truncated, corrupt or from another sitegen is ignored, never trusted.
The cache only ever saves work: deleting the folder gives the same build, slower.
"""

from __future__ import annotations

import hashlib
import os
from array import array
from dataclasses import dataclass
from pathlib import Path

import babel
import jinja2
import markdown

import sitegen
from sitegen.diagnostics.diagnostic import Diagnostic
from sitegen.incremental.store import CACHE_DIR, Store
from sitegen.render.checks import PageFacts
from sitegen.source.stamp import Stamp, stamp_of_entry

__all__ = ["CACHE_DIR", "BuildCache", "Entry"]
KEEP_MANIFESTS = 4  # e.g. `serve` and `build` use different base URLs; keep both warm


def code_digest() -> str:
    """sitegen's own source and the libraries that shape output: any change empties the cache."""
    h = hashlib.sha256(
        f"{sitegen.__version__}|{jinja2.__version__}|{markdown.__version__}".encode()
    )
    h.update(babel.__version__.encode())
    package = Path(sitegen.__file__).parent
    for path in sorted(package.rglob("*.py")):
        h.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


@dataclass(frozen=True, slots=True)
class Entry:
    """How one page was rendered last time: its own inputs, what it read, and the result.

    The result is not kept here: it is the file the last build wrote, recognised by the
    stamps (size, time, inode) it had then, and hard-linked into the next build.
    """

    own: str
    deps: array[int]  # numbers in the manifest's table of keys
    deps_digest: str
    hashes: tuple[tuple[str, str], ...]
    stamps: tuple[tuple[str, Stamp], ...]
    compressed: bool
    images: tuple[tuple[str, str], ...]
    facts: PageFacts


class BuildCache:
    """One site's cache folder: a manifest of rendered pages per build configuration."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def load_manifest(
        self, config_digest: str
    ) -> tuple[list[tuple[str, object]], dict[str, Entry]]:
        """(the table of model keys, the entries), or nothing when unreadable."""
        value = self.store.load(f"manifest-{config_digest[:20]}.pickle")
        if not isinstance(value, tuple) or len(value) != 2:
            return [], {}
        keys, entries = value
        if not isinstance(keys, list) or not isinstance(entries, dict):
            return [], {}
        return keys, {k: v for k, v in entries.items() if isinstance(v, Entry)}

    def save_manifest(
        self, config_digest: str, keys: list[tuple[str, object]], entries: dict[str, Entry]
    ) -> None:
        self.store.save(f"manifest-{config_digest[:20]}.pickle", (keys, entries))
        self.store.prune("manifest-*.pickle", KEEP_MANIFESTS)

    def load_state(self, name: str) -> object | None:
        return self.store.load(f"state-{name}.pickle")

    def save_state(self, name: str, value: object) -> None:
        self.store.save(f"state-{name}.pickle", value)


def _walk(folder: Path, into: list[str]) -> None:
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError:
        return
    for entry in entries:
        if entry.is_dir(follow_symlinks=False):
            _walk(Path(entry.path), into)
        else:
            size, mtime, inode = stamp_of_entry(entry)
            into.append(f"{entry.path}\0{size}\0{mtime}\0{inode}")


def tree_stamp(folders: list[Path]) -> str:
    """A digest of every file's name and stamp below folders (as make and git do)."""
    lines: list[str] = []
    for folder in folders:
        lines.append(f"[{folder}]")
        _walk(folder, lines)
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class BuildState:
    """What the last successful build read and wrote, to skip a build where nothing changed."""

    inputs: str
    outputs: str
    files: int
    diagnostics: list[Diagnostic]


def state_name(root: Path, out: Path, options: str) -> str:
    return hashlib.sha256(f"{root.absolute()}|{out.absolute()}|{options}".encode()).hexdigest()[:20]


def input_stamp(root: Path, options: str) -> str:
    folders = [root / "content", root / "templates", root / "assets"]
    return hashlib.sha256((tree_stamp(folders) + code_digest() + options).encode()).hexdigest()


def unchanged_build(root: Path, out: Path, options: str) -> BuildState | None:
    """The last build if no input and no output file changed since, else None."""
    cache = BuildCache(Store.of_site(root))
    state = cache.load_state(state_name(root, out, options))
    if not isinstance(state, BuildState) or not out.is_dir():
        return None
    if state.inputs != input_stamp(root, options) or state.outputs != tree_stamp([out]):
        return None
    return state


def record_build(
    root: Path, out: Path, options: str, inputs: str, files: int, diags: list[Diagnostic]
) -> None:
    """Remember a successful build; `inputs` was stamped before it read anything."""
    cache = BuildCache(Store.of_site(root))
    cache.save_state(
        state_name(root, out, options), BuildState(inputs, tree_stamp([out]), files, diags)
    )
