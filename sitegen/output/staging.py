"""The staging folder a build writes into: empty, or the spare tree of the build before last.

Staging into the spare means only the files that changed are written, and its thousands of
folders already exist: making 4,000 page folders afresh took about 1 s of a 4 s one-page
edit on this machine's ext4. The spare's files are hard links that the live build may share,
so a file is always unlinked before anything is written under its name, never written
through. Whatever the spare holds (a half-written tree after a crash, a folder where a page
now goes), staging ends with exactly the files of this build.
"""

from __future__ import annotations

import os
import shutil


class StagingTree:
    """What a staging folder holds now; the writer asks it before each file it writes."""

    def __init__(self, root: str) -> None:
        self.root = root
        self.files: dict[str, int] = {}  # relative path -> inode, of files not yet claimed
        self.old_folders: list[str] = []  # absolute, deepest first: emptied ones go at the end
        self.folders: set[str] = set()  # absolute: known to exist
        self.used: set[str] = set()  # absolute: a file of this build is in it
        # Spare files are hard links the live build may share: see make_room.
        self._scan()
        self.folders.update(self.old_folders)

    def _scan(self) -> None:
        pending = [(self.root, "")]
        while pending:
            path, rel = pending.pop()
            self.old_folders.append(path)
            with os.scandir(path) as entries:
                for entry in entries:
                    name = f"{rel}{entry.name}"
                    if entry.is_dir(follow_symlinks=False):
                        pending.append((entry.path, name + "/"))
                    else:  # a file, or a link: either way replaced, never followed
                        self.files[name] = entry.inode()
        self.old_folders.sort(key=lambda folder: folder.count("/"), reverse=True)

    def make_room(self, rel: str, target: str, keep: int | None = None) -> bool:
        """Make room for the file `rel` at `target`: its folder exists, nothing stands in its
        place. True if the file there already is the one with inode `keep` (nothing to write);
        any other file of that name is unlinked, never written through."""
        parent = target.rpartition("/")[0]
        if parent not in self.folders:
            self._make_folder(parent)
        self.used.add(parent)
        if target in self.folders:  # a page folder of the spare stands where a file goes
            shutil.rmtree(target)
            self.folders.discard(target)
            inside = rel + "/"
            for name in [n for n in self.files if n.startswith(inside)]:
                del self.files[name]
        there = self.files.pop(rel, None)
        if there is None:
            return False
        if keep is not None and there == keep:
            return True
        os.unlink(target)
        return False

    def _make_folder(self, folder: str) -> None:
        try:
            os.makedirs(folder, exist_ok=True)
        except (FileExistsError, NotADirectoryError):  # a file of the spare is in the way
            path = self.root
            for part in folder[len(self.root) + 1 :].split("/"):
                path = f"{path}/{part}"
                if os.path.lexists(path) and not os.path.isdir(path):
                    os.unlink(path)
                    self.files.pop(path[len(self.root) + 1 :], None)
            os.makedirs(folder, exist_ok=True)
        self.folders.add(folder)

    def sweep(self) -> None:
        """Remove what the spare held that this build did not write, and folders left empty."""
        for rel in self.files:
            try:
                os.unlink(f"{self.root}/{rel}")
            except FileNotFoundError:
                pass
        self.files.clear()
        for folder in self.old_folders:
            if folder not in self.used and folder != self.root:
                try:
                    os.rmdir(folder)
                except OSError:  # it holds what this build wrote, or is gone already
                    pass
