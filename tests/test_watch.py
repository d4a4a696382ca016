"""The watcher behind `sitegen serve`: every save is seen once, editors' scratch files never."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from sitegen.serve.watch import Watcher
from tests.conftest import write


@pytest.fixture(params=["inotify"])
def watched(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[Watcher, Path]]:
    """A folder with one page in it, watched by inotify (Linux); polling has its own test."""
    root = tmp_path / "content"
    write(root / "partners/imec/en.md", "imec\n")
    polling = request.param == "polling"
    if not polling and not sys.platform.startswith("linux"):
        pytest.skip("inotify is Linux only")
    with Watcher([root], polling=polling) as watcher:
        assert watcher.kind == request.param
        yield watcher, root


def test_a_new_file_is_seen(watched: tuple[Watcher, Path]) -> None:
    watcher, root = watched
    write(root / "partners/imec/nl.md", "imec\n")
    assert watcher.wait(2) == {root / "partners/imec/nl.md"}


def test_an_edited_file_is_seen_once(watched: tuple[Watcher, Path]) -> None:
    watcher, root = watched
    page = root / "partners/imec/en.md"
    write(page, "imec, edited\n")
    assert watcher.wait(2) == {page}
    assert watcher.wait(0.4) == set()


def test_a_renamed_file_is_seen_under_both_names(watched: tuple[Watcher, Path]) -> None:
    watcher, root = watched
    (root / "partners/imec/en.md").rename(root / "partners/imec/fr.md")
    assert watcher.wait(2) == {root / "partners/imec/en.md", root / "partners/imec/fr.md"}


def test_a_deleted_file_is_seen(watched: tuple[Watcher, Path]) -> None:
    watcher, root = watched
    (root / "partners/imec/en.md").unlink()
    assert watcher.wait(2) == {root / "partners/imec/en.md"}


def test_a_new_folder_is_watched_too(watched: tuple[Watcher, Path]) -> None:
    watcher, root = watched
    write(root / "partners/vib/en.md", "vib\n")
    assert watcher.wait(2) == {root / "partners/vib/en.md"}
    write(root / "partners/vib/en.md", "vib, edited\n")
    assert watcher.wait(2) == {root / "partners/vib/en.md"}


def test_an_editors_save_through_a_temporary_file_is_one_change(
    watched: tuple[Watcher, Path],
) -> None:
    watcher, root = watched
    page = root / "partners/imec/en.md"
    temp = write(root / "partners/imec/en.md.tmp.1234", "imec, saved\n")
    os.replace(temp, page)
    assert watcher.wait(2) == {page}


@pytest.mark.parametrize(
    "scratch",
    [
        "partners/imec/.en.md.swp",
        "partners/imec/en.md.swp",
        "partners/imec/en.md~",
        "partners/imec/.#en.md",
        "partners/imec/4913",
        "partners/imec/#en.md#",
        ".git/index",
    ],
)
def test_editors_scratch_files_and_hidden_folders_are_ignored(
    watched: tuple[Watcher, Path], scratch: str
) -> None:
    watcher, root = watched
    write(root / scratch, "scratch\n")
    (root / scratch).unlink()
    write(root / scratch, "scratch again\n")
    assert watcher.wait(0.4) == set()


def test_polling_sees_a_new_file_where_there_is_no_inotify(tmp_path: Path) -> None:
    root = tmp_path / "content"
    write(root / "partners/imec/en.md", "imec\n")
    with Watcher([root], polling=True) as watcher:
        assert watcher.kind == "polling"
        write(root / "partners/imec/nl.md", "imec\n")
        assert watcher.wait(3) == {root / "partners/imec/nl.md"}


def test_missing_folders_are_not_watched(tmp_path: Path) -> None:
    with Watcher([tmp_path / "nothing-here"]) as watcher:
        assert watcher.wait(0.05) == set()


def test_a_site_inside_a_hidden_folder_is_still_watched(tmp_path: Path) -> None:
    """Only names below the watched folder count as hidden, not the folders above it."""
    root = tmp_path / ".work" / "site" / "content"
    write(root / "partners/imec/en.md", "imec\n")
    with Watcher([root]) as watcher:
        write(root / "partners/imec/nl.md", "imec\n")
        assert watcher.wait(2) == {root / "partners/imec/nl.md"}
