"""The kinds of output file a build hands to the writer.

Rendered pages arrive already compressed (the workers that rendered them did it, on every
core); pages the previous build wrote and nothing changed for arrive as `Reused` and are
hard-linked from there instead of being rendered, compressed and written again. Where the
workers know the new build's folder, they write their pages there themselves and hand over
`Placed`: a page's bytes then cross no pipe.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from sitegen.source.stamp import Stamp, stamp_of

__all__ = ["Output", "Packed", "Placed", "Reused", "Stamp", "stamp_of"]

SIBLINGS = (".br", ".gz")


@dataclass(frozen=True, slots=True)
class Packed:
    """A rendered file with its precompressed forms (None where compressing did not pay)."""

    data: bytes
    br: bytes | None = None
    gz: bytes | None = None

    def forms(self) -> tuple[tuple[str, bytes], ...]:
        """(suffix, bytes) of the file itself and each compressed sibling."""
        return (("", self.data),) + tuple(
            (suffix, form)
            for suffix, form in zip(SIBLINGS, (self.br, self.gz), strict=True)
            if form is not None
        )


@dataclass(frozen=True, slots=True)
class Reused:
    """A file of the previous build, with its siblings, their hashes and stamps when written."""

    source: Path
    hashes: tuple[tuple[str, str], ...]  # (suffix, sha256) for "" and each sibling
    stamps: tuple[tuple[str, Stamp], ...]  # (suffix, stamp) the same way

    def intact(self) -> bool:
        """True if every file is still the one written then (same size, time and inode)."""
        for suffix, stamp in self.stamps:
            try:
                st = os.stat(f"{self.source}{suffix}")
            except OSError:
                return False
            if (st.st_size, st.st_mtime_ns, st.st_ino) != stamp:
                return False
        return True


@dataclass(frozen=True, slots=True)
class Placed:
    """A page the worker that rendered it wrote into the new build already: its hashes and
    stamps, the way `Reused` has them. Only these go back to the writer, not the bytes."""

    hashes: tuple[tuple[str, str], ...]  # (suffix, sha256) for "" and each sibling
    stamps: tuple[tuple[str, Stamp], ...]


Output = bytes | Path | Packed | Reused | Placed
