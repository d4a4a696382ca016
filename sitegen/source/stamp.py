"""A file's stamp: how a later run knows a file is untouched without reading it."""

from __future__ import annotations

import os
from pathlib import Path

# (size, mtime in ns, inode), what make and git trust too
Stamp = tuple[int, int, int]


def stamp_of(path: Path | str) -> Stamp:
    st = os.stat(path)
    return st.st_size, st.st_mtime_ns, st.st_ino


def stamp_of_entry(entry: os.DirEntry[str]) -> Stamp:
    """The same stamp from a directory listing, without a second system call per file."""
    st = entry.stat(follow_symlinks=False)
    return st.st_size, st.st_mtime_ns, st.st_ino
