"""Which source files changed, through watchfiles (Rust notify: inotify on Linux, polling
where there is none).

The dev server waits here between rebuilds. An editor's save is often several operations (a
temporary file, a rename, a swap file); watchfiles gathers them into one batch, and the
editors' scratch files are left out, so one save is one rebuild. A thread runs watchfiles'
loop and hands batches over a queue, so `wait` can be asked with any time limit.
"""

from __future__ import annotations

import os
import queue
import threading
import time
from pathlib import Path

from watchfiles import Change, watch

STEP_MS = 15  # after a change, wait this long for the rest of the same save
DEBOUNCE_MS = 100  # but never longer than this, however busy the folder is
POLL_DELAY_MS = 300


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


def _below(path: str, roots: list[Path]) -> tuple[str, ...]:
    """The parts of path below the watched folder it is in (the folders above do not count:
    a site may live under a hidden folder)."""
    p = Path(path)
    for root in roots:
        if p.is_relative_to(root):
            return p.relative_to(root).parts
    return p.parts[-1:]


def _files(batch: set[tuple[Change, str]]) -> set[Path]:
    """Files, not the folders they are in (a folder that is gone comes back as one path).

    A file created and gone again within one save (sed -i, editors' temporary files) was
    never there, so it is not reported.
    """
    created = {path for change, path in batch if change == Change.added}
    found: set[Path] = set()
    for path in {path for _change, path in batch}:
        p = Path(path)
        if p.is_dir():
            if path in created:  # files written before the new folder was watched
                found |= _files_under(p)
            continue
        if path in created and not p.exists():
            continue
        found.add(p)
    return found


class Watcher:
    """The files changed, created or deleted under some folders since the last `wait`.

    A folder that moved away or was deleted comes back as one path (its files went with it).
    """

    def __init__(self, folders: list[Path], polling: bool = False) -> None:
        self._roots = [f.absolute() for f in folders if f.is_dir()]
        self._polling = polling
        self._batches: queue.Queue[set[tuple[Change, str]]] = queue.Queue()
        self._stop = threading.Event()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, name="sitegen-watch", daemon=True)
        if self._roots:
            self._thread.start()
            self._ready.wait(5)

    @property
    def kind(self) -> str:
        return "polling" if self._polling else "inotify"

    def _wanted(self, change: Change, path: str) -> bool:
        parts = _below(path, self._roots)
        return (
            bool(parts)
            and not ignored(parts[-1])
            and not any(p.startswith(".") for p in parts[:-1])
        )

    def _run(self) -> None:
        batches = watch(
            *self._roots,
            watch_filter=self._wanted,
            debounce=DEBOUNCE_MS,
            step=STEP_MS,
            stop_event=self._stop,
            rust_timeout=100,
            yield_on_timeout=True,
            force_polling=self._polling,
            poll_delay_ms=POLL_DELAY_MS,
            raise_interrupt=False,
        )
        for batch in batches:
            self._ready.set()  # the first timeout: the watches are in place
            if batch:
                self._batches.put(batch)

    def wait(self, timeout: float) -> set[Path]:
        """Block until something changed (then return it, as absolute paths) or timeout."""
        deadline = time.monotonic() + timeout
        while True:  # a batch of folders only (a new folder before its file) is not a change
            try:
                changed = self._batches.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                return set()
            while True:  # batches that arrived meanwhile belong to the same rebuild
                try:
                    changed |= self._batches.get_nowait()
                except queue.Empty:
                    break
            files = _files(changed)
            if files:
                return files

    def close(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(2)

    def __enter__(self) -> Watcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
