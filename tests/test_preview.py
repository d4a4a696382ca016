"""The job summary of a pull request: the pages a change touches, their translations, the check."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from sitegen.commands.preview import changed_pages, preview_summary
from tests.conftest import Run, write


def _git(site: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-C", str(site), "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
        check=True,
        capture_output=True,
    )


@pytest.fixture
def repo(site: Path) -> Path:
    """The basic test site as a git repository with one commit on 'main'."""
    _git(site, "init", "-q", "-b", "main")
    _git(site, "add", "-A")
    _git(site, "commit", "-q", "-m", "base")
    _git(site, "checkout", "-q", "-b", "change")
    return site


def test_changed_files_map_to_pages_and_site_wide_files() -> None:
    pages, site_wide = changed_pages(
        [
            "content/en.md",
            "content/partners/imec/nl.md",
            "content/partners/imec/data.yaml",
            "content/strings.yaml",
        ]
    )
    assert [(p.path, p.files) for p in pages] == [
        ("", ("en.md",)),
        ("partners/imec", ("nl.md", "data.yaml")),
    ]
    assert site_wide == ["content/strings.yaml"]


def test_summary_lists_changed_pages_per_language_with_status_and_messages(repo: Path) -> None:
    english = repo / "content/partners/imec/en.md"
    english.write_text(english.read_text(encoding="utf-8") + "\nA new paragraph.\n", "utf-8")
    write(repo / "content/partners/vib/data.yaml", "weight: many\n")
    _git(repo, "commit", "-q", "-am", "edit imec, break vib")
    text, ok = preview_summary(repo, "main", "Download the artifact **site**.")
    assert not ok
    assert "Download the artifact **site**." in text
    assert "### Pages changed (2)" in text
    imec = next(line for line in text.splitlines() if line.startswith("| `partners/imec`"))
    # en.md changed: its Dutch translation needs review; French and German never existed
    assert "| en.md |" in imec
    assert "source" in imec and "**stale**" in imec and "missing" in imec
    assert "`partners/vib`" in text
    assert "content/partners/vib/data.yaml:1:9` **error**: 'weight' must be a whole number" in text
    assert "### sitegen check: 1 error(s)" in text


def test_summary_without_content_changes_says_so(repo: Path, run: Run) -> None:
    code, out, _ = run("preview-summary", "--site", repo, "--base", "main")
    assert code == 0
    assert "No file under content/ changed." in out
    assert "sitegen check: 0 error(s)" in out


def test_unknown_base_is_a_usage_error(repo: Path, run: Run) -> None:
    code, _, err = run("preview-summary", "--site", repo, "--base", "no-such-branch")
    assert code == 2
    assert "cannot compare with 'no-such-branch'" in err
