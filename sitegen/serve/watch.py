"""Which source files changed: inotify on Linux (a few ms after a save), polling elsewhere.

The dev server waits here between rebuilds. An editor's save is often several operations (a
temporary file, a rename, a swap file); they arrive together and come back as one batch, and
the editors' scratch files are left out, so one save is one rebuild.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import os
import select
import struct
import time
from pathlib import Path

# From <sys/inotify.h>.
IN_ATTRIB = 0x4
IN_CLOSE_WRITE = 0x8
IN_MOVED_FROM = 0x40
IN_MOVED_TO = 0x80
IN_CREATE = 0x100
IN_DELETE = 0x200
IN_DELETE_SELF = 0x400
IN_Q_OVERFLOW = 0x4000
IN_IGNORED = 0x8000
IN_ONLYDIR = 0x01000000
IN_ISDIR = 0x40000000
IN_NONBLOCK = os.O_NONBLOCK
IN_CLOEXEC = 0o2000000
MASK = (
    IN_ATTRIB
    | IN_CLOSE_WRITE
    | IN_MOVED_FROM
    | IN_MOVED_TO
    | IN_CREATE
    | IN_DELETE
    | IN_DELETE_SELF
    | IN_ONLYDIR
)
EVENT = struct.Struct("iIII")  # wd, mask, cookie, length of the name that follows

SETTLE = 0.015  # after an event, wait this long for the rest of the same save
MAX_BATCH = 0.1  # but never longer than this, however busy the folder is
POLL_INTERVAL = 0.3


def ignored(name: str) -> bool:
    """Editors' swap, backup and temporary files, and hidden files (the loader skips them)."""
    return (
        name.startswith((".", "#"))
        or name.endswith(("~", ".swp", ".swo", ".swx", "___jb_tmp___", "___jb_old___"))
        or name == "4913"  # vim checks that it may write in the folder with this name
    )


def _files_under(folder: Path) -> set[Path]:
    """Every file below folder that is not ignored, skipping hidden folders."""
    found: set[Path] = set()
    for parent, dirs, files in os.walk(folder):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        found.update(Path(parent, f) for f in files if not ignored(f))
    return found


class _Inotify:
    """One inotify instance watching every folder of a tree; new folders join as they appear."""

    def __init__(self, roots: list[Path]) -> None:
        self._libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        self._fd = int(self._libc.inotify_init1(IN_NONBLOCK | IN_CLOEXEC))
        if self._fd < 0:
            raise OSError(ctypes.get_errno(), "inotify_init1 failed")
        self._roots = roots
        self._folders: dict[int, Path] = {}
        self._poll = select.poll()
        self._poll.register(self._fd, select.POLLIN)
        try:
            for root in roots:
                self._add_tree(root)
        except OSError:
            self.close()
            raise

    def close(self) -> None:
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1

    def _add_tree(self, folder: Path) -> set[Path]:
        """Watch folder and its sub-folders; return the files already in them."""
        found: set[Path] = set()
        for parent, dirs, files in os.walk(folder):
            dirs[:] = [d for d in dirs if not d.startswith(".")]
            wd = int(self._libc.inotify_add_watch(self._fd, os.fsencode(parent), MASK))
            if wd < 0:
                code = ctypes.get_errno()
                if code in (errno.ENOENT, errno.ENOTDIR):
                    continue  # gone again already; its parent reports that
                raise OSError(code, f"cannot watch {parent}: {os.strerror(code)}")
            self._folders[wd] = Path(parent)
            found.update(Path(parent, f) for f in files if not ignored(f))
        return found

    def _forget(self, folder: Path) -> None:
        """Stop watching a folder that moved away, and everything below it."""
        for wd, path in list(self._folders.items()):
            if path == folder or path.is_relative_to(folder):
                self._libc.inotify_rm_watch(self._fd, wd)
                del self._folders[wd]

    def ready(self, timeout: float) -> bool:
        return bool(self._poll.poll(max(0, int(timeout * 1000))))

    def read(self, changed: dict[Path, bool]) -> None:
        """Add the paths of every queued event to changed (value: first seen as created)."""
        while True:
            try:
                data = os.read(self._fd, 65536)
            except BlockingIOError:
                return
            offset = 0
            while offset < len(data):
                wd, mask, _cookie, length = EVENT.unpack_from(data, offset)
                offset += EVENT.size
                raw = data[offset : offset + length].rstrip(b"\0")
                offset += length
                self._event(wd, mask, os.fsdecode(raw), changed)

    def _event(self, wd: int, mask: int, name: str, changed: dict[Path, bool]) -> None:
        if mask & IN_Q_OVERFLOW:  # events were lost: say everything changed, watch again
            for root in self._roots:
                changed.setdefault(root, False)
                self._add_tree(root)
            return
        folder = self._folders.get(wd)
        if folder is None:
            return
        if mask & IN_IGNORED:
            del self._folders[wd]
            return
        if mask & IN_DELETE_SELF:
            if folder in self._roots:
                changed.setdefault(folder, False)
            return
        if not name or ignored(name):
            return
        path = folder / name
        if not mask & IN_ISDIR:
            changed.setdefault(path, bool(mask & IN_CREATE))
        elif mask & (IN_CREATE | IN_MOVED_TO):
            for found in self._add_tree(path):
                changed.setdefault(found, False)
        elif mask & (IN_MOVED_FROM | IN_DELETE):
            self._forget(path)
            changed.setdefault(path, False)


class _Polling:
    """Compare every file's modification time and size every POLL_INTERVAL seconds."""

    def __init__(self, roots: list[Path]) -> None:
        self._roots = roots
        self._seen = self._scan()

    def _scan(self) -> dict[Path, tuple[int, int]]:
        state: dict[Path, tuple[int, int]] = {}
        for root in self._roots:
            for path in _files_under(root):
                try:
                    stat = path.stat()
                except OSError:
                    continue
                state[path] = (stat.st_mtime_ns, stat.st_size)
        return state

    def wait(self, timeout: float) -> set[Path]:
        deadline = time.monotonic() + timeout
        while True:
            now = self._scan()
            changed = {p for p in now.keys() | self._seen.keys() if now.get(p) != self._seen.get(p)}
            self._seen = now
            left = deadline - time.monotonic()
            if changed or left <= 0:
                return changed
            time.sleep(min(POLL_INTERVAL, left))


class Watcher:
    """The files changed, created or deleted under some folders since the last `wait`.

    A folder that moved away or was deleted comes back as one path (its files went with it);
    if the kernel dropped events, the watched folders themselves come back.
    """

    def __init__(self, folders: list[Path], polling: bool = False) -> None:
        self._roots = [f.absolute() for f in folders if f.is_dir()]
        self._inotify: _Inotify | None = None
        self._polling: _Polling | None = None
        if not polling:
            try:
                self._inotify = _Inotify(self._roots)
            except (OSError, AttributeError):  # not Linux, or out of inotify watches
                pass
        if self._inotify is None:
            self._polling = _Polling(self._roots)

    @property
    def kind(self) -> str:
        return "inotify" if self._inotify is not None else "polling"

    def wait(self, timeout: float) -> set[Path]:
        """Block until something changed (then return it, as absolute paths) or timeout."""
        if self._polling is not None:
            return self._polling.wait(timeout)
        assert self._inotify is not None
        changed: dict[Path, bool] = {}
        try:
            if not self._inotify.ready(timeout):
                return set()
            start = time.monotonic()
            self._inotify.read(changed)
            while time.monotonic() - start < MAX_BATCH and self._inotify.ready(SETTLE):
                self._inotify.read(changed)
        except OSError:  # e.g. out of inotify watches for a new folder: poll from now on
            self._inotify.close()
            self._inotify = None
            self._polling = _Polling(self._roots)
            return set(self._roots)
        # A file created and gone again within one save (sed -i, editors) was never there.
        return {p for p, created in changed.items() if not created or p.exists()}

    def close(self) -> None:
        if self._inotify is not None:
            self._inotify.close()

    def __enter__(self) -> Watcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
