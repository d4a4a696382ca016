"""Stage 5: write outputs into a staging folder, then swap it in place of the old build.

A failed or interrupted build never touches the previous output folder. The build replaced
by a swap is kept beside it as the spare (`.build.spare`), which the next build stages into
(see output/staging.py).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import fcntl
import hashlib
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from sitegen.output.outputs import Output, Reused, Stamp, stamp_of
from sitegen.output.staging import StagingTree

RENAME_EXCHANGE = 2


class WriteError(Exception):
    """The output folder cannot be written; carries a message for the editor."""


def _staging_prefix(out: Path) -> str:
    return f".{out.name}.new-"


def _old_prefix(out: Path) -> str:
    return f".{out.name}.old-"


def spare_path(out: Path) -> Path:
    """Where the build before the current one waits to be staged into again."""
    return out.parent / f".{out.name}.spare"


def safe_target(root: Path, rel: str) -> Path:
    """Refuse any output path that would land outside the build folder."""
    return Path(_safe_join(str(root), rel))


def _safe_join(root: str, rel: str) -> str:
    """root/rel as a string (thousands of calls: no Path objects), refusing escapes."""
    parts = [part for part in rel.split("/") if part not in ("", ".")]
    if rel.startswith("/") or ".." in parts or not parts or "\\" in rel or "\x00" in rel:
        raise WriteError(f"refusing to write '{rel}': it would land outside the build folder")
    return root + "/" + "/".join(parts)


@contextmanager
def build_lock(out: Path) -> Iterator[None]:
    """One build at a time per output folder; a second one fails at once with a message."""
    out.parent.mkdir(parents=True, exist_ok=True)
    lock_path = out.parent / f".{out.name}.lock"
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise WriteError(
                f"another build is writing {out} right now; wait for it to finish and try again"
            ) from exc
        yield
    finally:
        os.close(fd)


def clean_stale(out: Path) -> None:
    """Tidy what an interrupted build left: restore the old build if it was mid-swap, and keep
    a left-over build folder as the spare (deleting 40,000 folders first would take seconds)."""
    parent = out.parent
    if not parent.is_dir():
        return
    staging = _staging_prefix(out)
    for entry in sorted(parent.iterdir()):
        if entry.name.startswith(_old_prefix(out)) and entry.is_dir():
            if not out.exists():
                entry.rename(out)
            else:
                keep_spare(entry, out)
        elif entry.name.startswith(staging) and entry.is_dir():
            if entry.name[len(staging) :].isdigit():  # a build's staging: any content will do
                keep_spare(entry, out)
            else:  # serve's search index, cut short
                shutil.rmtree(entry, ignore_errors=True)
        elif entry.name.startswith(_trash_prefix(out)) and entry.is_dir():
            _remove_in_background(entry)  # a removal cut short, or one still running


@dataclass(slots=True)
class Ledger:
    """What was written: every file's sha256 (for the deploy manifest) and the stamps of
    pages, so the next build can reuse them. Filled as files are written."""

    hashes: dict[str, str] = field(default_factory=dict)
    stamps: dict[str, tuple[tuple[str, Stamp], ...]] = field(default_factory=dict)
    written: list[str] = field(default_factory=list)  # written anew (not linked): to compress
    files: int = 0


def _write_file(path: str, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
    finally:
        os.close(fd)


def write_outputs(
    outputs: Iterable[tuple[str, Output]], staging: Path, ledger: Ledger | None = None
) -> Ledger:
    """Write each output once into staging (empty, or a spare tree) and note what was written.

    Afterwards staging holds exactly these outputs: what a spare tree held besides is gone."""
    # Only the source file of copied outputs is kept, never rendered bytes: memory stays flat.
    ledger = ledger if ledger is not None else Ledger()
    seen: dict[str, Path | None] = {}
    root = str(staging)
    tree = StagingTree(root)
    for rel, content in outputs:
        source = content if isinstance(content, Path) else None
        if rel in seen:
            files = [c for c in (seen[rel], source) if c is not None]
            raise WriteError(
                f"two outputs claim '{rel}'"
                + (f": rename the file {files[0]}, the site writes that name" if files else "")
            )
        seen[rel] = source
        target = _safe_join(root, rel)
        if isinstance(content, Reused):
            inodes = {suffix: stamp[2] for suffix, stamp in content.stamps}
            for suffix, digest in content.hashes:
                if not tree.make_room(rel + suffix, target + suffix, inodes.get(suffix)):
                    try:
                        os.link(f"{content.source}{suffix}", f"{target}{suffix}")
                    except OSError:  # a file system without hard links: copy instead
                        shutil.copyfile(f"{content.source}{suffix}", f"{target}{suffix}")
                ledger.hashes[rel + suffix] = digest
            ledger.stamps[rel] = content.stamps
            continue
        tree.make_room(rel, target)
        if isinstance(content, Path):
            shutil.copyfile(content, target)
            ledger.hashes[rel] = _file_sha(Path(target))
            ledger.written.append(rel)
        else:
            _write_file(target, content)
            ledger.hashes[rel] = hashlib.sha256(content).hexdigest()
            ledger.stamps[rel] = (("", stamp_of(target)),)
            ledger.written.append(rel)
    tree.sweep()
    ledger.files = len(seen)
    return ledger


def _file_sha(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def hash_rest(folder: Path, hashes: dict[str, str], under: tuple[str, ...] = ()) -> dict[str, str]:
    """The known hashes, plus every file below the `under` subfolders of folder, hashed."""
    found = dict(hashes)
    for sub in under:
        for dirpath, dirnames, filenames in os.walk(folder / sub):
            dirnames.sort()
            rel_dir = Path(dirpath).relative_to(folder).as_posix()
            for name in filenames:
                rel = f"{rel_dir}/{name}"
                if rel not in found:
                    found[rel] = _file_sha(Path(dirpath) / name)
    return found


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two folders with renameat2(RENAME_EXCHANGE) where Linux offers it."""
    libc_name = ctypes.util.find_library("c")
    if not libc_name:
        return False
    libc = ctypes.CDLL(libc_name, use_errno=True)
    if not hasattr(libc, "renameat2"):
        return False
    at_fdcwd = -100
    result = libc.renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), RENAME_EXCHANGE)
    if result != 0:
        err = ctypes.get_errno()
        if err in (errno.EINVAL, errno.ENOSYS, errno.EPERM):
            return False
        raise OSError(err, os.strerror(err), str(a))
    return True


def _trash_prefix(out: Path) -> str:
    return f".{out.name}.trash-"


def _discard(folder: Path, out: Path) -> None:
    """Remove a build folder no one needs (a second spare) without making the command wait.

    Deleting thousands of folders takes seconds on a real disk (1.5 s for 4,000 page folders
    on this machine's ext4), longer than rendering a one-page edit. So the folder is renamed
    out of the way and removed by a process of its own; a leftover (that process killed) is
    removed by the next build.
    """
    trash = out.parent / f"{_trash_prefix(out)}{os.getpid()}-{time.monotonic_ns()}"
    try:
        folder.rename(trash)
    except OSError:
        shutil.rmtree(folder, ignore_errors=True)
        return
    _remove_in_background(trash)


def _remove_in_background(folder: Path) -> None:
    """`rm -rf` in a process of its own; here, only if that cannot be started."""
    try:
        # The shell starts `rm` in the background and exits at once: nothing is left to reap.
        subprocess.run(
            ["sh", "-c", 'rm -rf -- "$1" </dev/null >/dev/null 2>&1 &', "sh", str(folder)],
            check=True,
            start_new_session=True,
        )
    except (OSError, subprocess.CalledProcessError):
        shutil.rmtree(folder, ignore_errors=True)


def swap_in(staging: Path, out: Path) -> None:
    """Make staging the output folder; at every instant `out` is the old or the new build.
    The old build becomes the spare the next build stages into."""
    if out.is_dir() and _exchange(staging, out):
        keep_spare(staging, out)  # staging now holds the old build
        return
    if out.exists():
        old = out.parent / f"{_old_prefix(out)}{os.getpid()}"
        out.rename(old)
        staging.rename(out)
        keep_spare(old, out)
    else:
        staging.rename(out)


def keep_spare(folder: Path, out: Path) -> None:
    """Keep a build folder no one serves (the replaced build, or a failed build's staging) as
    the spare; its content does not matter, the next build brings it up to date."""
    spare = spare_path(out)
    if spare.exists():
        _discard(spare, out)
    try:
        folder.rename(spare)
    except OSError:
        _discard(folder, out)


def new_staging(out: Path) -> Path:
    """The spare tree under the staging name, or a new empty folder if there is no spare."""
    staging = out.parent / f"{_staging_prefix(out)}{os.getpid()}"
    if staging.exists():
        shutil.rmtree(staging)
    spare = spare_path(out)
    if spare.is_dir() and not spare.is_symlink():
        try:
            spare.rename(staging)
            return staging
        except OSError:
            pass
    staging.mkdir(parents=True)
    return staging


def _indexed_part(page: bytes) -> bytes:
    """What Pagefind indexes of a page (its <main>, see output/search.py); all of it if none."""
    start, end = page.find(b"<main"), page.rfind(b"</main>")
    return page[start:end] if 0 <= start < end else page


def update_in_place(
    out: Path, outputs: list[tuple[str, Output]], gone: set[str]
) -> tuple[list[str], bool]:
    """Replace each file whose bytes changed, one atomic rename each; remove the files of
    pages that are gone. For serve, which updates the build it is showing.

    Returns the files written or removed, and whether any text the search index holds changed.
    """
    written: list[str] = []
    searchable = bool(gone)
    for rel in sorted(gone):
        safe_target(out, rel).unlink(missing_ok=True)
        written.append(rel)
    for rel, output in outputs:
        data = output.read_bytes() if isinstance(output, Path) else output
        if not isinstance(data, bytes):
            raise WriteError(f"cannot update {rel} in place from {type(output).__name__}")
        target = safe_target(out, rel)
        try:
            before = target.read_bytes()
            if before == data:
                continue
            searchable = searchable or _indexed_part(before) != _indexed_part(data)
        except OSError:
            searchable = True
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, target)
        written.append(rel)
    return written, searchable
