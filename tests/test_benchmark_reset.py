"""The benchmark's reset between cold builds: the last output leaves the site folder at once,
but is deleted only when the trash is emptied (benchmarks/reset.py says why)."""

from __future__ import annotations

from pathlib import Path

from benchmarks.reset import Trash


def test_trash_moves_outputs_out_of_the_way_and_deletes_them_only_when_emptied(
    tmp_path: Path,
) -> None:
    site = tmp_path / "site"
    (site / "build" / "en").mkdir(parents=True)
    (site / "build" / "en" / "index.html").write_text("<p>old</p>", encoding="utf-8")
    (site / "build.manifest.json").write_text("{}", encoding="utf-8")
    trash = Trash(tmp_path / "trash")

    trash.put(site / "build")
    trash.put(site / "build.manifest.json")
    trash.put(site / "not-there")  # a peer that wrote nothing yet: no error

    assert not (site / "build").exists() and not (site / "build.manifest.json").exists()
    kept = sorted(p.name for p in (tmp_path / "trash").iterdir())
    assert kept == ["1-build", "2-build.manifest.json"]
    assert (tmp_path / "trash" / "1-build" / "en" / "index.html").read_text() == "<p>old</p>"

    (site / "build").mkdir()  # the next build writes under the same name
    trash.put(site / "build")
    assert len(list((tmp_path / "trash").iterdir())) == 3

    trash.empty()
    assert not (tmp_path / "trash").exists()
