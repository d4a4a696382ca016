"""Warnings where the editor looks: `build` prints what `check` finds, `serve` shows them."""

from __future__ import annotations

from pathlib import Path

from sitegen.serve.http import ServeState, respond
from tests.conftest import Run, write

LONG_TITLE = "A title that goes on and on " * 4


def _warn(site: Path) -> None:
    write(
        site / "content/partners/vib/en.md",
        f"---\ntitle: {LONG_TITLE.strip()}\ndescription: Life sciences institute.\n---\n"
        "![](photo.svg)\n",
    )
    write(site / "content/partners/vib/photo.svg", "<svg xmlns='http://www.w3.org/2000/svg'/>")


def test_build_prints_the_warnings_check_prints_with_a_count(run: Run, site: Path) -> None:
    _warn(site)
    code, _, checked = run("check", "--site", site)
    assert code == 0
    code, _, built = run("build", "--site", site, "--no-search")
    assert code == 0, built
    for line in checked.splitlines():
        if ": warning: " in line:
            assert line in built
    assert "has no alt text" in built and "the title is" in built
    assert "0 error(s), 2 warning(s)" in built
    assert "2 warning(s) above: the site was built" in built


def test_check_strict_still_fails_on_warnings(run: Run, site: Path) -> None:
    _warn(site)
    assert run("check", "--strict", "--site", site)[0] == 1


def test_a_build_without_warnings_says_nothing_about_them(run: Run, site: Path) -> None:
    code, _, built = run("build", "--site", site, "--no-search")
    assert code == 0 and "warning(s)" not in built and ": warning:" not in built


def test_serve_shows_warnings_beside_the_page_without_blocking(tmp_path: Path) -> None:
    write(tmp_path / "en/index.html", "<html><body><h1>Hi</h1></body></html>")
    state = ServeState(warnings=["content/en.md:5:1: warning: the image 'x.png' has no alt text"])
    reply = respond(tmp_path, state, "/en/")
    assert reply.status == 200
    assert b"<h1>Hi</h1>" in reply.body
    assert b'id="sitegen-warnings"' in reply.body and b"has no alt text" in reply.body
    assert b"1 warning</strong>" in reply.body
    assert b"sitegen-errors" not in reply.body


def test_serve_session_keeps_the_warnings_of_the_build(site: Path) -> None:
    from sitegen.serve.session import LiveRebuilder

    _warn(site)
    state = ServeState(site=site)
    rebuilder = LiveRebuilder(site, site / "build", None, state, jobs=1)
    try:
        rebuilder.first()
    finally:
        rebuilder.close()
    assert not state.errors
    assert any("has no alt text" in w for w in state.warnings)
