"""The one cache: `.sitegen-cache/`, a folder of entries, each checksummed and written whole.

Every user of the cache goes through a `Store`: the whole-build skip, the parsed sources,
the per-page manifest and the encoded images. An entry is written to a temporary name and
renamed into place, and carries a checksum; one that is truncated, corrupt or from another
sitegen is ignored, never trusted. The cache only ever saves work: deleting the folder gives
the same build, slower. A Store without a folder (`--no-cache`) remembers nothing.
"""

from __future__ import annotations

import gc
import hashlib
import os
import pickle
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO, Generic, TypeVar

CACHE_DIR = ".sitegen-cache"
MAGIC = b"sitegen-cache-3\n"
K = TypeVar("K")
V = TypeVar("V")
R = TypeVar("R")


def _write_atomically(path: Path, fill: Callable[[BinaryIO], R]) -> R:
    """Write to a temporary file beside path, then rename: readers see old or new, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as handle:
            done = fill(handle)
        os.replace(tmp, path)
        return done
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _pickle_checked(value: object, handle: BinaryIO | None) -> bytes:
    """An entry's bytes into handle (if any): MAGIC, the payload's checksum, the pickle;
    returns the checksum."""
    if handle is not None:
        handle.write(MAGIC + bytes(32))  # the checksum's place, filled in below
    out = _Checksummed(handle)
    with collector_paused():
        pickle.dump(value, out, protocol=pickle.HIGHEST_PROTOCOL)
    checksum = out.sha.digest()
    if handle is not None:
        handle.seek(len(MAGIC))
        handle.write(checksum)
    return checksum


class _Checksummed:
    """Pickle's output on its way to a file (or nowhere), checksummed as it goes: the pickle
    of a big site's page manifest (40 MB at 40,000 pages) is never held whole in memory."""

    def __init__(self, handle: BinaryIO | None) -> None:
        self.handle = handle
        self.sha = hashlib.sha256()

    def write(self, data: bytes) -> None:
        self.sha.update(data)
        if self.handle is not None:
            self.handle.write(data)


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pickling makes or walks tens of thousands of small objects, none of them garbage; the
    cycle collector, woken every 700 allocations, walked them over and over. Paused, loading
    the parsed sources of 1,000 folders took 0.09-0.16 s instead of 0.17-0.29 s."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


class Store:
    """Named entries below one folder; names may hold '/' (e.g. 'images/…')."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder

    @classmethod
    def of_site(cls, root: Path, use: bool = True) -> Store:
        return cls(root / CACHE_DIR if use else None)

    def _path(self, name: str) -> Path | None:
        return self.folder / name if self.folder is not None else None

    def load_bytes(self, name: str) -> bytes | None:
        """The entry's bytes, or None when it is missing, truncated or corrupt."""
        found = self._load_checked(name)
        return bytes(found[0]) if found is not None else None

    def _load_checked(self, name: str) -> tuple[memoryview, bytes] | None:
        """(the entry's bytes, their checksum), or None when missing, truncated or corrupt.
        The bytes are a view into what was read: a 40 MB manifest is not copied to be read."""
        path = self._path(name)
        if path is None:
            return None
        try:
            raw = path.read_bytes()
        except OSError:
            return None
        head = len(MAGIC)
        if raw[:head] != MAGIC or len(raw) < head + 32:
            return None
        payload, checksum = memoryview(raw)[head + 32 :], raw[head : head + 32]
        if hashlib.sha256(payload).digest() != checksum:
            return None
        return payload, checksum

    def save_bytes(self, name: str, payload: bytes) -> bytes:
        """Keep an entry; a cache that cannot be written only makes the next run slower.
        Returns the entry's checksum, which names this version of it."""
        checksum = hashlib.sha256(payload).digest()
        path = self._path(name)
        if path is not None:
            try:
                parts = (MAGIC, checksum, payload)
                _write_atomically(path, lambda handle: handle.writelines(parts))
            except OSError:
                pass
        return checksum

    def load(self, name: str) -> object | None:
        found = self.load_with_checksum(name)
        return found[0] if found is not None else None

    def load_with_checksum(self, name: str) -> tuple[object, bytes] | None:
        found = self._load_checked(name)
        if found is None:
            return None
        try:
            with collector_paused():
                value: object = pickle.loads(found[0])  # noqa: S301 - our file, checked
            return value, found[1]
        except Exception:  # noqa: BLE001 - an unreadable cache is only a slower build
            return None

    def save(self, name: str, value: object) -> bytes:
        """Keep `value`, pickled straight into its file; returns its checksum (see save_bytes)."""
        path = self._path(name)
        if path is not None:
            try:
                return _write_atomically(path, lambda handle: _pickle_checked(value, handle))
            except OSError:
                pass
        return _pickle_checked(value, None)

    def remove(self, name: str) -> None:
        path = self._path(name)
        if path is not None:
            try:
                path.unlink(missing_ok=True)
            except OSError:  # as in save: a cache that cannot be written is skipped
                pass

    def prune(self, pattern: str, keep: int) -> None:
        """Remove all but the `keep` newest entries whose names match a glob pattern."""
        if self.folder is None:
            return
        found = sorted(self.folder.glob(pattern), key=lambda p: p.stat().st_mtime_ns)
        for old in found[:-keep] if keep else found:
            old.unlink(missing_ok=True)


DELTA = ".delta"
DELTA_SHARE = 8  # a delta holding more than 1/8 of the entries is folded into a new base


class SavedMap(Generic[K, V]):
    """A dict kept as two entries: a base, and a delta of what changed since the base.

    A one-page edit changes one or two of a site's thousands of entries; writing the whole
    dict again cost 0.07-0.09 s of a 0.9 s edit at 1,000 folders. Saving writes only the delta
    until it holds more than 1/8 of the entries. A delta names its base by the base's checksum,
    so a delta left beside another base (a crash between the two writes) is never applied.

    What changed is found by identity: a value this run took unchanged from `values` is the
    very object that was loaded. `extra` (small: written with every delta) rides along.
    """

    def __init__(self, store: Store, name: str) -> None:
        self.store, self.name = store, name
        self.extra: object = None
        self._base: dict[K, V] = {}
        self._base_id = b""
        found = store.load_with_checksum(name)
        if found is not None and isinstance(found[0], tuple) and len(found[0]) == 2:
            extra, base = found[0]
            if isinstance(base, dict):
                self.extra, self._base, self._base_id = extra, base, found[1]
        self.values: dict[K, V] = dict(self._base)
        delta = store.load(name + DELTA) if self._base_id else None
        if isinstance(delta, tuple) and len(delta) == 4 and delta[0] == self._base_id:
            _, self.extra, updated, removed = delta
            self.values.update(updated)
            for key in removed:
                self.values.pop(key, None)

    def save(self, values: dict[K, V], extra: object) -> None:
        base, missing = self._base, object()
        updated = {k: v for k, v in values.items() if base.get(k, missing) is not v}
        removed = [k for k in base if k not in values]
        if self._base_id and (len(updated) + len(removed)) * DELTA_SHARE <= len(values):
            self.store.save(self.name + DELTA, (self._base_id, extra, updated, removed))
            return
        self.store.remove(self.name + DELTA)  # first: a crash between leaves no stale delta
        self._base_id = self.store.save(self.name, (extra, values))
        self._base = dict(values)
