"""A build stages into the build before last (the spare) and must end exactly as a fresh one."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from sitegen.output.outputs import Output, Reused
from sitegen.output.write import spare_path, write_outputs
from tests.conftest import Run, tree_bytes, write

IMEC = "content/partners/imec/en.md"


def build(run: Run, site: Path, *extra: str) -> None:
    code, _, err = run("build", "--site", site, *extra)
    assert code == 0, err


def test_a_build_over_the_spare_gives_the_same_files_as_a_fresh_one(
    run: Run, site: Path, tmp_path: Path
) -> None:
    build(run, site)
    write(site / IMEC, "---\ntitle: imec\ndescription: Research.\n---\nFirst words.\n")
    build(run, site)
    assert spare_path(site / "build").is_dir()  # the first build, kept to stage into
    write(site / IMEC, "---\ntitle: imec\ndescription: Research.\n---\nSecond words.\n")
    shutil.rmtree(site / "content/partners/vib")  # a page gone: its files must go too
    build(run, site)
    fresh = shutil.copytree(site, tmp_path / "fresh", ignore=shutil.ignore_patterns(".*", "build"))
    build(run, fresh, "--no-cache")
    assert not spare_path(fresh / "build").exists()
    assert tree_bytes(site / "build") == tree_bytes(fresh / "build")
    assert "Second words." in (site / "build/en/partners/imec/index.html").read_text()
    assert not list((site / "build").glob("*/partners/vib"))


def test_writing_a_changed_page_never_writes_through_to_the_live_build(
    run: Run, site: Path
) -> None:
    """The spare shares unchanged files with the live build by hard links: a page that
    changes must get a file of its own, or the build being replaced changes under its readers."""
    build(run, site)
    build(run, site, "--no-search")  # every page linked: spare and build share the files
    page = "en/partners/imec/index.html"
    out, spare = site / "build", spare_path(site / "build")
    assert os.stat(out / page).st_ino == os.stat(spare / page).st_ino
    before = (out / page).read_bytes()
    write(site / IMEC, "---\ntitle: imec\ndescription: Research.\n---\nNew words.\n")
    build(run, site, "--no-search")
    assert (spare / page).read_bytes() == before  # the replaced build, as it was served
    assert b"New words." in (out / page).read_bytes()


def test_a_spare_with_folders_and_files_in_the_way_is_brought_to_the_new_layout(
    tmp_path: Path,
) -> None:
    staging = tmp_path / "staging"
    write(staging / "en/about", "a file where a page folder now goes")
    write(staging / "en/team/index.html/old.html", "a folder where a file now goes")
    write(staging / "old/deep/gone.html", "nothing writes here any more")
    live = write(tmp_path / "live/en/index.html", "home")
    st = live.stat()
    kept = Reused(live, (("", "digest"),), (("", (st.st_size, st.st_mtime_ns, st.st_ino)),))
    outputs: list[tuple[str, Output]] = [
        ("en/index.html", kept),
        ("en/about/index.html", b"about"),
        ("en/team/index.html", b"team"),
    ]
    ledger = write_outputs(outputs, staging)
    assert tree_bytes(staging) == {
        "en/about/index.html": b"about",
        "en/index.html": b"home",
        "en/team/index.html": b"team",
    }
    assert not (staging / "old").exists()  # emptied folders go with their files
    assert (staging / "en/index.html").stat().st_ino == st.st_ino
    assert ledger.files == 3


def test_a_killed_builds_staging_becomes_the_folder_the_next_build_writes_into(
    run: Run, site: Path, tmp_path: Path
) -> None:
    """A build killed mid-write leaves its staging folder; deleting it first would cost as much
    as making it, so the next build stages into it and must still end exactly right."""
    build(run, site)
    leftover = site / ".build.new-4194305"  # above any process id Linux gives
    write(leftover / "en/partners/imec/index.html", "half written")
    write(leftover / "stray/page.html", "from the killed build")
    folder = os.open(leftover, os.O_RDONLY | os.O_DIRECTORY)  # its inode cannot be reused
    try:
        write(site / IMEC, "---\ntitle: imec\ndescription: Research.\n---\nAfter the kill.\n")
        build(run, site)
        assert not list(site.glob(".build.new-*"))
        # written into, not deleted and made again: the folder is now the build
        assert os.path.samestat(os.fstat(folder), (site / "build").stat())
    finally:
        os.close(folder)
    fresh = shutil.copytree(site, tmp_path / "fresh", ignore=shutil.ignore_patterns(".*", "build"))
    build(run, fresh, "--no-cache")
    assert tree_bytes(site / "build") == tree_bytes(fresh / "build")
