"""What the next build needs of each page rendered now, kept in a file until the writer is done.

A rendered page's cache entry (its digests, the model keys it read, its images) is wanted only
once the whole build is written (IncrementalRenderer.commit). Held in memory, the entries grow
the main process while the render workers run beside it: at 10,000 deep folders some 32 MB,
and what the main process writes is its own on top of what the workers share with it, so the
tree's peak grows by all of it. Written to an unnamed file in the cache folder as they come
(marshal, about a microsecond a page), they take the disk's page cache instead, which the
kernel can drop; they are read back once, in order, after the workers have ended.
"""

from __future__ import annotations

import marshal
import tempfile
from array import array
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

# out, own digest, dependency numbers, digest of what they read, images the page asked for
Pending = tuple[str, str, "array[int]", str, tuple[tuple[str, str], ...]]


class PendingEntries:
    """Records appended while pages render, read back once in the order they came."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self._file: BinaryIO | None = None
        self.count = 0

    def add(self, record: Pending) -> None:
        out, own, deps, deps_digest, images = record
        if self._file is None:
            self._file = _unnamed_file(self.folder)
        marshal.dump((out, own, deps.typecode, deps.tobytes(), deps_digest, images), self._file)
        self.count += 1

    def drain(self) -> Iterator[Pending]:
        """Every record, in order; then the file is gone."""
        handle, self._file = self._file, None
        if handle is None:
            return
        with handle:
            handle.seek(0)
            for _ in range(self.count):
                out, own, code, raw, deps_digest, images = marshal.load(handle)
                yield out, own, array(code, raw), deps_digest, images
        self.count = 0

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None
        self.count = 0


def _unnamed_file(folder: Path | None) -> BinaryIO:
    """A file no one else sees, deleted when closed or when sitegen dies (unnamed where the
    system allows it). In the cache folder, on the site's disk; where that cannot be written
    (the cache is then skipped, store.py), in the system's temporary folder."""
    if folder is not None:
        try:
            folder.mkdir(parents=True, exist_ok=True)
            return tempfile.TemporaryFile(dir=folder)
        except OSError:
            pass
    return tempfile.TemporaryFile()
