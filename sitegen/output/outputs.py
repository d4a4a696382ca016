"""The kinds of output file a build hands to the writer.

Rendered pages arrive as bytes (workers render, they never write); files such as images and
attachments as the Path to copy; pages the previous build wrote and nothing changed for as
`Reused`, hard-linked from there with their compressed siblings instead of being rendered,
written and compressed again.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from sitegen.source.stamp import Stamp, stamp_of

__all__ = ["Output", "Reused", "Stamp", "stamp_of"]


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


# What the writer gets: rendered bytes, a file to copy, or a page of the last build to link.
Output = bytes | Path | Reused
