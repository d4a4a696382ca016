"""How messages look: source line and caret, colour on a terminal, CI annotations, JSON."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from sitegen.diagnostics.diagnostic import (
    error,
    excerpt,
    format_annotation,
    format_text,
    use_colour,
)
from tests.conftest import Run, write

IMEC = "content/partners/imec/en.md"
BROKEN = "---\ntitle: imec\ndescription: x\n---\nSee [VIB](/partners/vibb).\n"


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_message_shows_the_line_with_a_caret_under_the_column(run: Run, site: Path) -> None:
    write(site / IMEC, BROKEN)
    code, _, err = run("check", "--site", site)
    assert code == 1
    expected = (
        f"{IMEC}:5:11: error: there is no page '/partners/vibb'\n"
        "  hint: did you mean '/partners/vib'?\n"
        "     5 | See [VIB](/partners/vibb).\n"
        "       |           ^\n"
    )
    assert expected in err
    assert "\033[" not in err  # not a terminal: plain text


def test_caret_stays_under_the_column_after_tabs_and_wide_characters() -> None:
    assert excerpt("\tab", 3) == ("\tab", "\t ^")
    assert excerpt("日本 x", 4) == ("日本 x", "     ^")


def test_long_line_is_cut_around_the_column() -> None:
    line = "a" * 300 + "[x](/nope)" + "b" * 300
    shown, caret = excerpt(line, 305)
    assert len(shown) <= 102 and shown.startswith("…") and shown.endswith("…")
    assert shown[len(caret) - 1] == "/"


def test_colour_only_on_a_terminal_without_no_color() -> None:
    assert use_colour(Terminal(), {})
    assert not use_colour(Terminal(), {"NO_COLOR": "1"})
    assert not use_colour(io.StringIO(), {})
    coloured = format_text(error("a.md", 1, 1, "bad", "fix it"), None, colour=True)
    assert "\033[1;31merror:\033[0m" in coloured
    assert (
        format_text(error("a.md", 1, 1, "bad", "fix it")) == "a.md:1:1: error: bad\n  hint: fix it"
    )


def test_github_actions_gets_an_annotation_per_error(
    run: Run, site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.delenv("GITHUB_WORKSPACE", raising=False)
    write(site / IMEC, BROKEN)
    code, out, err = run("check", "--site", site)
    assert code == 1
    assert (
        f"::error file={IMEC},line=5,col=11::there is no page '/partners/vibb'"
        "%0Ahint: did you mean '/partners/vib'?"
    ) in out.splitlines()
    assert f"{IMEC}:5:11: error:" in err  # the readable message is still there


def test_annotation_path_is_relative_to_the_workspace(
    run: Run, site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_WORKSPACE", str(site.parent))
    write(site / IMEC, BROKEN)
    _, out, _ = run("check", "--site", site)
    assert f"::error file=site/{IMEC},line=5,col=11::" in out


def test_annotation_escapes_what_would_end_the_command() -> None:
    line = format_annotation(error("a,b:c.md", 2, 3, "100% wrong\nreally", ""))
    assert line == "::error file=a%2Cb%3Ac.md,line=2,col=3::100%25 wrong%0Areally"


def test_no_annotations_outside_github_actions(
    run: Run, site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    write(site / IMEC, BROKEN)
    _, out, _ = run("check", "--site", site)
    assert "::error" not in out


def test_json_format_lists_every_diagnostic_on_stdout(run: Run, site: Path) -> None:
    write(site / IMEC, BROKEN)
    write(site / "content/partners/vib/en.md", f"---\ntitle: {'v' * 61}\ndescription: x\n---\n")
    code, out, _ = run("check", "--format", "json", "--site", site)
    assert code == 1
    document = json.loads(out)
    assert document["ok"] is False
    assert (document["errors"], document["warnings"]) == (1, 1)
    first = document["diagnostics"][0]
    assert first == {
        "path": IMEC,
        "line": 5,
        "col": 11,
        "severity": "error",
        "message": "there is no page '/partners/vibb'",
        "hint": "did you mean '/partners/vib'?",
        "code": "missing-page",
    }
    assert document["diagnostics"][1]["severity"] == "warning"


def test_json_format_of_a_good_check_says_ok(run: Run, site: Path) -> None:
    code, out, _ = run("check", "--format", "json", "--strict", "--site", site)
    document = json.loads(out)
    assert code == 0 and document["ok"] is True and document["diagnostics"] == []
    assert document["files"] > 10


def test_json_format_of_build(run: Run, site: Path) -> None:
    write(site / IMEC, "---\ntitel: imec\ndescription: x\n---\n")
    code, out, _ = run("build", "--format", "json", "--site", site)
    document = json.loads(out)
    assert code == 1 and document["diagnostics"][0]["hint"] == "did you mean 'title'?"
    assert (document["diagnostics"][0]["line"], document["diagnostics"][0]["col"]) == (2, 1)
