"""What each text and data file parsed to last time, so an unchanged file is not parsed again.

Reading and parsing the YAML of every file is most of `sitegen check` on a large site. A
file counts as unchanged while its size, modification time and inode are the ones it had
when it was parsed (what make and git trust too). Only files that parsed without a problem
are kept, so every message is still made fresh. Deleting the cache only makes a run slower.
"""

from __future__ import annotations

from pathlib import Path

from sitegen.incremental.store import SavedMap, Store
from sitegen.source.stamp import Stamp, stamp_of

NAME = "sources.pickle"


class SourceMemo:
    """Parsed files by site-relative path; one memo per site folder."""

    def __init__(self, store: Store, root: Path) -> None:
        self.store = store
        self.root = str(root.absolute())
        self.old: dict[str, tuple[Stamp, object]] = {}
        self.new: dict[str, tuple[Stamp, object]] = {}
        self.changed = False
        self.saved: SavedMap[str, tuple[Stamp, object]] = SavedMap(store, NAME)
        if self.saved.extra == self.root:
            self.old = self.saved.values

    def get(self, src: str, path: Path) -> tuple[Stamp | None, object | None]:
        """(the file's stamp, what it parsed to if it has not changed since)."""
        try:
            stamp = stamp_of(path)
        except OSError:
            return None, None
        found = self.old.get(src)
        if found is not None and found[0] == stamp:
            self.new[src] = found
            return stamp, found[1]
        return stamp, None

    def put(self, src: str, stamp: Stamp | None, value: object) -> None:
        if stamp is not None:
            self.new[src] = (stamp, value)
            self.changed = True

    def fork(self) -> SourceMemo:
        """A memo with the same old entries and nothing new: for part of the files, elsewhere."""
        other = SourceMemo(Store(None), Path(self.root))
        other.old = self.old
        return other

    def absorb(self, new: dict[str, tuple[Stamp, object]], changed: bool) -> None:
        """Take in what a fork saw."""
        self.new.update(new)
        self.changed = self.changed or changed

    def save(self) -> None:
        """Keep what this run saw (files gone since are dropped); write only if it changed."""
        if self.store.folder is not None and (self.changed or len(self.new) != len(self.old)):
            self.saved.save(self.new, self.root)
