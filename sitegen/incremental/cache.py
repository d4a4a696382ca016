"""The build cache in `.sitegen-cache/`: what each page was rendered from and what it read.

Every file is written to a temporary name and renamed into place, and carries a checksum;
a file that is truncated, corrupt or from another sitegen is ignored, never trusted.
The cache only ever saves work: deleting the folder gives the same build, slower.
"""

from __future__ import annotations

from array import array
from dataclasses import dataclass

from sitegen.incremental.store import CACHE_DIR, SavedMap, Store
from sitegen.render.checks import PageFacts
from sitegen.source.stamp import Stamp

__all__ = ["CACHE_DIR", "BuildCache", "Entry"]
KEEP_MANIFESTS = 4  # e.g. `serve` and `build` use different base URLs; keep both warm


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
        self.saved: dict[str, SavedMap[str, Entry]] = {}

    def load_manifest(
        self, config_digest: str
    ) -> tuple[list[tuple[str, object]], dict[str, Entry]]:
        """(the table of model keys, the entries), or nothing when unreadable."""
        saved = self._saved(config_digest)
        keys = saved.extra
        if not isinstance(keys, list):
            return [], {}
        return keys, {k: v for k, v in saved.values.items() if isinstance(v, Entry)}

    def save_manifest(
        self, config_digest: str, keys: list[tuple[str, object]], entries: dict[str, Entry]
    ) -> None:
        self._saved(config_digest).save(entries, keys)
        self.store.prune("manifest-*.pickle", KEEP_MANIFESTS)
        self.store.prune("manifest-*.pickle.delta", KEEP_MANIFESTS)

    def _saved(self, config_digest: str) -> SavedMap[str, Entry]:
        name = f"manifest-{config_digest[:20]}.pickle"
        if name not in self.saved:
            self.saved[name] = SavedMap(self.store, name)
        return self.saved[name]
