"""`sitegen status`: present, missing and stale translations, from git history or hashes."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from sitegen.serve.run import ServeState, make_app
from tests.conftest import Run, tree_bytes, write

IMEC_EN = "content/partners/imec/en.md"
IMEC_NL = "content/partners/imec/nl.md"

needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def git(site: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(site), *args], check=True, capture_output=True)


def commit_all(site: Path, message: str) -> None:
    git(site, "add", "-A")
    git(site, "commit", "-q", "-m", message)


@pytest.fixture
def repo(site: Path) -> Path:
    git(site, "init", "-q", "-b", "main")
    git(site, "config", "user.name", "Test Editor")
    git(site, "config", "user.email", "editor@example.org")
    git(site, "config", "commit.gpgsign", "false")
    commit_all(site, "content")
    return site


def status(run: Run, site: Path, *args: str) -> tuple[int, dict[str, Any]]:
    code, out, err = run("status", "--format", "json", "--site", site, *args)
    assert "Traceback" not in err
    return code, json.loads(out)


def cell(document: dict[str, Any], path: str, lang: str) -> dict[str, Any]:
    row = next(p for p in document["pages"] if p["path"] == path)
    return dict(row["languages"][lang])


def edit_english(site: Path) -> None:
    page = site / IMEC_EN
    page.write_text(page.read_text().replace("founded in 1984", "founded in 1984 in Leuven"))


@needs_git
def test_commit_to_the_english_file_makes_its_translation_stale(run: Run, repo: Path) -> None:
    code, document = status(run, repo, "--fail-on", "stale")
    assert code == 0 and document["method"] == "git"
    assert cell(document, "partners/imec", "nl")["state"] == "present"
    edit_english(repo)
    commit_all(repo, "imec: where it was founded")
    code, document = status(run, repo, "--fail-on", "stale")
    assert code == 1
    stale = cell(document, "partners/imec", "nl")
    assert stale["state"] == "stale" and stale["changed_lines"] == [[5, 5]]
    assert "-imec was founded in 1984." in stale["diff"]
    assert "+imec was founded in 1984 in Leuven." in stale["diff"]
    assert cell(document, "partners/imec", "en")["state"] == "source"


@needs_git
def test_text_output_says_which_lines_of_the_source_changed(run: Run, repo: Path) -> None:
    edit_english(repo)
    commit_all(repo, "imec: where it was founded")
    code, out, _ = run("status", "--site", repo)
    assert code == 0  # no --fail-on: informative only
    row = next(line for line in out.splitlines() if line.startswith("partners/imec "))
    assert row.split() == ["partners/imec", "source", "STALE", "missing", "missing"]
    assert f"{IMEC_NL} is stale: {IMEC_EN} changed since commit " in out
    assert ", lines 5\n" in out and "    +imec was founded in 1984 in Leuven." in out


@needs_git
def test_updating_the_translation_clears_stale(run: Run, repo: Path) -> None:
    edit_english(repo)
    commit_all(repo, "imec: where it was founded")
    write(repo / IMEC_NL, (repo / IMEC_NL).read_text().replace("1984", "1984 in Leuven"))
    assert cell(status(run, repo)[1], "partners/imec", "nl")["state"] == "present"  # uncommitted
    commit_all(repo, "imec nl: follow the English")
    code, document = status(run, repo, "--fail-on", "stale")
    assert code == 0 and cell(document, "partners/imec", "nl")["state"] == "present"


@needs_git
def test_uncommitted_edit_of_the_english_file_counts_as_a_change(run: Run, repo: Path) -> None:
    edit_english(repo)
    document = status(run, repo)[1]
    assert cell(document, "partners/imec", "nl")["state"] == "stale"
    assert "+imec was founded in 1984 in Leuven." in cell(document, "partners/imec", "nl")["diff"]


def test_without_git_a_recorded_hash_finds_stale_translations(run: Run, site: Path) -> None:
    content_before = tree_bytes(site / "content")
    code, document = status(run, site, "--fail-on", "stale")
    assert code == 0 and document["method"] == "hash"
    assert (site / ".sitegen-cache/status.json").is_file()
    edit_english(site)
    code, document = status(run, site, "--fail-on", "stale")
    stale = cell(document, "partners/imec", "nl")
    assert code == 1 and stale["state"] == "stale" and stale["changed_lines"] == [[5, 5]]
    assert "+imec was founded in 1984 in Leuven." in stale["diff"]
    write(site / IMEC_NL, (site / IMEC_NL).read_text() + "\nBijgewerkt.\n")
    assert status(run, site, "--fail-on", "stale")[0] == 0
    assert tree_bytes(site / "content").keys() == content_before.keys()


def test_missing_and_draft_translations_are_missing(run: Run, site: Path) -> None:
    write(
        site / "content/partners/vib/nl.md", "---\ntitle: VIB\ndescription: x\ndraft: true\n---\n"
    )
    code, document = status(run, site, "--fail-on", "missing")
    assert code == 1
    assert cell(document, "partners/vib", "fr") == {
        "state": "missing",
        "file": "content/partners/vib/fr.md",
        "draft": False,
        "since": "",
        "changed_lines": [],
        "diff": "",
    }
    assert cell(document, "partners/vib", "nl")["draft"] is True
    assert cell(document, "partners/vib", "nl")["state"] == "missing"
    assert document["counts"]["missing"] > 0


def test_unknown_fail_on_state_is_a_usage_error(run: Run, site: Path) -> None:
    code, _, err = run("status", "--site", site, "--fail-on", "stael")
    assert code == 2 and "use missing, stale" in err


def test_status_page_is_served_from_memory_in_the_preview(run: Run, site: Path) -> None:
    (site / "build").mkdir()
    run("status", "--site", site)  # records hashes before the change below
    edit_english(site)
    app = make_app(site / "build", ServeState(site=site))
    answers: list[str] = []
    body = b"".join(
        app({"PATH_INFO": "/_status/"}, lambda status, headers: answers.append(status))
    ).decode()
    assert answers == ["200 OK"]
    assert "<h1>Translation status</h1>" in body
    assert f"<h2>{IMEC_NL}</h2>" in body and "+imec was founded in 1984 in Leuven." in body
    assert tree_bytes(site / "build") == {}  # made in memory, never written


@needs_git
def test_shallow_clone_warns_that_staleness_cannot_be_told(
    run: Run, repo: Path, tmp_path: Path
) -> None:
    edit_english(repo)
    commit_all(repo, "imec: where it was founded")
    clone = tmp_path / "clone"
    git(repo, "clone", "-q", "--depth", "1", f"file://{repo}", str(clone))
    code, out, err = run("status", "--site", clone)
    assert code == 0 and "0 stale" in out
    assert "content:1:1: warning: this git clone is shallow" in err
    assert "hint: fetch the whole history" in err
