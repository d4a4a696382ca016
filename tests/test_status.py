"""`sitegen status`: ok, missing and stale translations, decided by the committed record of
the English each translation was made from (translations.yaml), unit by unit."""

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
RECORD = "content/partners/imec/translations.yaml"

needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def git(site: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(site), *args], check=True, capture_output=True)


@pytest.fixture
def accepted(site: Path, run: Run) -> Path:
    """The basic site with today's translations recorded as made from today's English."""
    assert run("status", "--accept", "--all", "--site", site)[0] == 0
    return site


@pytest.fixture
def repo(accepted: Path) -> Path:
    git(accepted, "init", "-q", "-b", "main")
    git(accepted, "config", "user.name", "Test Editor")
    git(accepted, "config", "user.email", "editor@example.org")
    git(accepted, "config", "commit.gpgsign", "false")
    git(accepted, "add", "-A")
    git(accepted, "commit", "-q", "-m", "content")
    return accepted


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


def test_translation_without_a_record_is_stale_until_accepted(run: Run, site: Path) -> None:
    code, document = status(run, site, "--fail-on", "stale")
    assert code == 1 and cell(document, "partners/imec", "nl")["since"] == "unrecorded"
    code, out, _ = run("status", "--accept", "--all", "--site", site)
    assert code == 0 and f"wrote {RECORD}" in out
    assert (site / RECORD).read_text().startswith("# Written by sitegen: do not edit.")
    code, document = status(run, site, "--fail-on", "stale")
    assert code == 0 and cell(document, "partners/imec", "nl")["state"] == "present"


def test_english_edit_makes_exactly_that_unit_stale(run: Run, accepted: Path) -> None:
    edit_english(accepted)
    code, document = status(run, accepted, "--fail-on", "stale")
    stale = cell(document, "partners/imec", "nl")
    assert code == 1 and stale["state"] == "stale" and stale["changed_lines"] == [[5, 5]]
    assert [(c["kind"], c["line"], c["state"]) for c in stale["changes"]] == [
        ("paragraph", 5, "changed")
    ]
    assert cell(document, "partners/imec", "en")["state"] == "source"


def test_unrelated_edit_of_the_translation_leaves_it_stale(run: Run, accepted: Path) -> None:
    edit_english(accepted)
    nl = accepted / IMEC_NL
    nl.write_text(nl.read_text().replace("Onderzoekscentrum", "Een onderzoekscentrum"))
    assert cell(status(run, accepted)[1], "partners/imec", "nl")["state"] == "stale"


def test_accept_records_an_english_change_as_needing_no_translation(
    run: Run, accepted: Path
) -> None:
    write(accepted / "content/partners/imec/fr.md", "---\ntitle: imec\ndescription: x\n---\nx\n")
    run("status", "--accept", "content/partners/imec", "--lang", "fr", "--site", accepted)
    edit_english(accepted)
    code, out, _ = run(
        "status", "--accept", "content/partners/imec", "--lang", "nl", "--site", accepted
    )
    assert code == 0 and f"accepted {IMEC_NL}: 1 changed unit(s) need no translation" in out
    document = status(run, accepted)[1]
    assert cell(document, "partners/imec", "nl")["state"] == "present"
    assert cell(document, "partners/imec", "fr")["state"] == "stale"  # only --lang nl


def test_accept_of_an_unknown_language_points_at_the_language_list(
    run: Run, accepted: Path
) -> None:
    code, out, err = run("status", "--accept", "--all", "--lang", "es", "--site", accepted)
    lines = (accepted / "content/site.yaml").read_text().splitlines()
    first = lines.index("languages:") + 2
    assert code == 2 and "accepted" not in out  # a usage error, as for `translate export --to`
    assert f"content/site.yaml:{first}:3: error: 'es' is not a translation language" in err


def test_accept_of_an_unknown_page_names_it(run: Run, accepted: Path) -> None:
    code, _, err = run("status", "--accept", "content/partners/nope", "--site", accepted)
    assert code == 1 and "'content/partners/nope' is not a page folder with a en.md" in err


@needs_git
def test_changed_words_are_marked_in_the_terminal(run: Run, repo: Path) -> None:
    edit_english(repo)
    code, out, _ = run("status", "--site", repo)
    assert code == 0  # no --fail-on: informative only
    row = next(line for line in out.splitlines() if line.startswith("partners/imec "))
    assert row.split() == ["partners/imec", "source", "STALE", "missing", "missing"]
    assert f"{IMEC_NL} is stale: 1 of 3 units of {IMEC_EN} changed since it was translated" in out
    assert "    line 5, paragraph: imec was founded in 1984{+ in Leuven+}. See the" in out
    assert "sitegen status --accept content/partners/imec --lang nl" in out


def test_without_history_the_new_text_is_shown_whole(run: Run, accepted: Path) -> None:
    edit_english(accepted)
    stale = cell(status(run, accepted)[1], "partners/imec", "nl")
    assert stale["changes"][0]["words"] == [
        ["+", "imec was founded in 1984 in Leuven. See the [ICT cluster](../../clusters/ict)."]
    ]


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
        "changes": [],
    }
    assert cell(document, "partners/vib", "nl")["draft"] is True
    assert cell(document, "partners/vib", "nl")["state"] == "missing"


def test_unknown_fail_on_state_is_a_usage_error(run: Run, site: Path) -> None:
    code, _, err = run("status", "--site", site, "--fail-on", "stael")
    assert code == 2 and "use missing, stale" in err


@needs_git
def test_status_page_marks_changed_words_and_is_served_from_memory(run: Run, repo: Path) -> None:
    (repo / "build").mkdir()
    edit_english(repo)
    app = make_app(repo / "build", ServeState(site=repo))
    answers: list[str] = []
    body = b"".join(
        app({"PATH_INFO": "/_status/"}, lambda status, headers: answers.append(status))
    ).decode()
    assert answers == ["200 OK"]
    assert "<h1>Translation status</h1>" in body
    assert f"<h2>{IMEC_NL}</h2>" in body and "1984<ins> in Leuven</ins>." in body
    assert tree_bytes(repo / "build") == {}  # made in memory, never written


def test_check_reports_a_malformed_record_with_its_line(run: Run, accepted: Path) -> None:
    record = accepted / RECORD
    record.write_text(record.read_text() + "es:\n- title 0123456789ab\n")
    code, _, err = run("check", "--site", accepted)
    assert code == 1
    assert f"{RECORD}:11:1: error: 'es' is not a translation language of site.yaml" in err


def test_the_record_is_not_published(run: Run, accepted: Path) -> None:
    code, _, err = run("build", "--site", accepted, "--no-search")
    assert code == 0, err
    assert not list((accepted / "build").rglob("translations.yaml"))
