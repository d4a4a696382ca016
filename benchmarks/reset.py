"""Between two cold builds: move the last output aside, delete it only when nothing is timed.

This machine's ext4 has no journal. In that mode the kernel will not hand out the number of
an inode deleted in the last 60 seconds (300 more while its table block is unwritten), and
it finds that out by scanning the group's free inodes one by one, for every file and folder
it creates (fs/ext4/ialloc.c, `recently_deleted`). A build started right after deleting the
last one (8,000-16,000 files and folders) paid for that scan: `mkdir` took 465 us a call
instead of 19 us under strace, and sitegen's cold build 14-16 s instead of 12-14 s (deep
corpus, N = 1,000, `--no-search`, 2026-12-04). Which generator paid, and how much, depended
on what the one before it had deleted, not on the generator. Renaming the output into a
trash folder deletes nothing; the trash is emptied once per shape, and `settle` then waits
out the window before the next timed build, as a fresh checkout in CI would start.

What a build deletes itself (sitegen's search scratch folder, files replaced by an edit)
still counts against it: a user who builds again within the minute pays for that too.
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

# ext4's RECENTCY_MIN (60 s) and a margin; `sync` first, so no table block is still dirty.
SETTLE_SECONDS = 65.0


class Trash:
    """A folder that outputs are renamed into; emptied only between timed runs."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._count = 0

    def put(self, path: Path) -> None:
        """Move path (a file or a folder) into the trash; nothing if it does not exist."""
        if not os.path.lexists(path):
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        self._count += 1
        os.rename(path, self.folder / f"{self._count}-{path.name}")

    def empty(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


def settle(on_disk: bool) -> None:
    """Write everything back and wait until no inode counts as recently deleted (disk only:
    tmpfs has no such rule)."""
    if not on_disk:
        return
    os.sync()
    time.sleep(SETTLE_SECONDS)
