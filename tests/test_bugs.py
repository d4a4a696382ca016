"""A bug in sitegen is reported as a bug, never as a mistake in the editor's content."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import Run, write


def _broken_view(*args: object, **kwargs: object) -> object:
    raise KeyError("a key sitegen itself forgot")


def test_a_bug_in_sitegen_is_not_reported_as_a_template_error(
    run: Run, site: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr("sitegen.render.pages.page_view", _broken_view)
    code, _out, err = run("build", "--site", site, "--out", tmp_path / "out", "--no-search")
    assert code == 3
    assert "internal error: KeyError" in err
    assert "bug in sitegen" in err
    assert "template error" not in err
    assert not (tmp_path / "out").exists()


def test_debug_shows_the_traceback_of_a_bug(
    run: Run, site: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr("sitegen.render.pages.page_view", _broken_view)
    out = tmp_path / "o"
    code, _out, err = run("--debug", "build", "--site", site, "--out", out, "--no-search")
    assert code == 3
    assert "Traceback (most recent call last)" in err
    assert "_broken_view" in err


def test_a_template_that_misuses_a_value_is_still_a_template_error(
    run: Run, site: Path, tmp_path: Path
) -> None:
    write(site / "templates/page.html", "{{ page.title + 1 }}\n")
    code, _out, err = run("build", "--site", site, "--out", tmp_path / "out", "--no-search")
    assert code == 1
    assert "templates/page.html:1" in err
    assert "template error" in err


def test_a_broken_template_line_is_reported_once_not_once_per_page(
    run: Run, site: Path, tmp_path: Path
) -> None:
    base = site / "templates/base.html"
    base.write_text(base.read_text(encoding="utf-8") + "{% if %}\n", encoding="utf-8")
    code, _out, err = run("build", "--site", site, "--out", tmp_path / "out", "--no-search")
    assert code == 1
    assert err.count("template error") == 1, err  # every page extends base.html
    assert "templates/base.html:" in err
    assert "other pages)" in err
    assert "{% endif %}" in err  # a syntax error gets the syntax hint
    assert "1 error(s)" in err
