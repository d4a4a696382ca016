"""Precompressed .br/.gz siblings only where the host serves them (site.yaml or a flag)."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import Run


def _siblings(out: Path) -> list[str]:
    return sorted(p.name for p in out.rglob("*") if p.suffix in (".br", ".gz"))


def test_a_build_for_a_host_that_compresses_itself_writes_no_siblings(
    run: Run, site: Path, tmp_path: Path
) -> None:
    code, _, err = run("build", "--site", site, "--out", tmp_path / "out", "--no-search")
    assert code == 0, err
    assert (tmp_path / "out/en/index.html").exists()
    assert _siblings(tmp_path / "out") == []


def test_precompress_in_site_yaml_writes_br_and_gz_beside_pages(
    run: Run, site: Path, tmp_path: Path
) -> None:
    config = site / "content/site.yaml"
    config.write_text(config.read_text() + "precompress: true\n")
    code, _, err = run("build", "--site", site, "--out", tmp_path / "out", "--no-search")
    assert code == 0, err
    assert "index.html.br" in _siblings(tmp_path / "out")
    assert "index.html.gz" in _siblings(tmp_path / "out")


def test_the_flag_overrides_site_yaml(run: Run, site: Path, tmp_path: Path) -> None:
    config = site / "content/site.yaml"
    config.write_text(config.read_text() + "precompress: true\n")
    out = tmp_path / "out"
    code, _, err = run("build", "--site", site, "--out", out, "--no-search", "--no-precompress")
    assert code == 0, err
    assert _siblings(out) == []


def test_a_precompress_value_that_is_not_true_or_false_names_the_line(
    run: Run, site: Path, tmp_path: Path
) -> None:
    config = site / "content/site.yaml"
    lines = len(config.read_text().splitlines())
    config.write_text(config.read_text() + "precompress: yes please\n")
    code, _, err = run("build", "--site", site, "--out", tmp_path / "out", "--no-search")
    assert code == 1
    assert f"content/site.yaml:{lines + 1}:" in err
    assert "'precompress' must be true or false" in err
