"""Stage 5: write outputs into a fresh folder, then swap it in place of the old build.

A failed or interrupted build never touches the previous output folder.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import fcntl
import os
import shutil
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath

Output = bytes | Path
RENAME_EXCHANGE = 2


class WriteError(Exception):
    """The output folder cannot be written; carries a message for the editor."""


def _staging_prefix(out: Path) -> str:
    return f".{out.name}.new-"


def _old_prefix(out: Path) -> str:
    return f".{out.name}.old-"


def safe_target(root: Path, rel: str) -> Path:
    """Refuse any output path that would land outside the build folder."""
    pure = PurePosixPath(rel)
    if pure.is_absolute() or ".." in pure.parts or not pure.parts or "\\" in rel or "\x00" in rel:
        raise WriteError(f"refusing to write '{rel}': it would land outside the build folder")
    return root.joinpath(*pure.parts)


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
    """Remove folders left by an interrupted build; restore the old build if it was mid-swap."""
    parent = out.parent
    if not parent.is_dir():
        return
    for entry in sorted(parent.iterdir()):
        if entry.name.startswith(_old_prefix(out)) and entry.is_dir():
            if not out.exists():
                entry.rename(out)
            else:
                shutil.rmtree(entry, ignore_errors=True)
        elif entry.name.startswith(_staging_prefix(out)) and entry.is_dir():
            shutil.rmtree(entry, ignore_errors=True)


def write_outputs(outputs: Iterable[tuple[str, Output]], staging: Path) -> int:
    """Write each output once into staging; returns the number of files."""
    # Only the source file of copied outputs is kept, never rendered bytes: memory stays flat.
    seen: dict[str, Path | None] = {}
    for rel, content in outputs:
        source = content if isinstance(content, Path) else None
        if rel in seen:
            files = [c for c in (seen[rel], source) if c is not None]
            raise WriteError(
                f"two outputs claim '{rel}'"
                + (f": rename the file {files[0]}, the site writes that name" if files else "")
            )
        seen[rel] = source
        target = safe_target(staging, rel)
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, Path):
            shutil.copyfile(content, target)
        else:
            target.write_bytes(content)
    return len(seen)


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


def swap_in(staging: Path, out: Path) -> None:
    """Make staging the output folder; at every instant `out` is the old or the new build."""
    if out.is_dir() and _exchange(staging, out):
        shutil.rmtree(staging, ignore_errors=True)
        return
    if out.exists():
        old = out.parent / f"{_old_prefix(out)}{os.getpid()}"
        out.rename(old)
        staging.rename(out)
        shutil.rmtree(old, ignore_errors=True)
    else:
        staging.rename(out)


def new_staging(out: Path) -> Path:
    staging = out.parent / f"{_staging_prefix(out)}{os.getpid()}"
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir(parents=True)
    return staging
