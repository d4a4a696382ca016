"""Every content mistake gives `path:line:col: error: message` plus a hint, exit 1, no traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import Run, tree_bytes, write


def fails_with(run: Run, site: Path, location: str, words: str) -> str:
    code, _, err = run("build", "--site", site)
    assert code == 1, err
    assert "Traceback" not in err
    blocks = [b for b in err.replace("\n  hint:", " hint:").splitlines() if b.startswith(location)]
    assert any(words in block and " hint: " in block for block in blocks), err
    return err


IMEC = "content/partners/imec/en.md"


@pytest.mark.parametrize(
    ("text", "location", "words"),
    [
        ("---\ntitle: imec: a lab\ndescription: x\n---\nBody\n", f"{IMEC}:2:12", "': '"),
        ("---\ntitle: imec\ndescription: x\nBody\n", f"{IMEC}:1:1", "not closed"),
        ("---\ntitle: imec\n\tdescription: x\n---\nBody\n", f"{IMEC}:3:1", "tab"),
        ("---\ntitle: !!python/object:os.system x\n---\n", f"{IMEC}:2:8", "tag"),
        ("title: imec\n", f"{IMEC}:1:1", "does not start with front matter"),
        ("---\ntitel: imec\ndescription: x\n---\nBody\n", f"{IMEC}:2:1", "did you mean 'title'"),
        ("---\ndescription: x\n---\nBody\n", f"{IMEC}:2:1", "'title' is missing"),
        ("---\ntitle: imec\ndescription: x\nslug: Über uns\n---\n", f"{IMEC}:4:7", "slug"),
        ("---\ntitle: imec\ndescription: x\ndraft: maybe\n---\n", f"{IMEC}:4:8", "true or false"),
    ],
)
def test_front_matter_mistakes_name_file_and_line(
    run: Run, site: Path, text: str, location: str, words: str
) -> None:
    write(site / IMEC, text)
    fails_with(run, site, location, words)


def test_invalid_utf8_names_line_and_column(run: Run, site: Path) -> None:
    (site / IMEC).write_bytes(b"---\ntitle: imec\ndescription: caf\xe9\n---\n")
    fails_with(run, site, f"{IMEC}:3:17", "not valid UTF-8")


def test_an_unreadable_default_text_is_not_also_called_missing(run: Run, site: Path) -> None:
    (site / IMEC).write_bytes(b"---\ntitle: imec\ndescription: caf\xe9\n---\n")
    err = fails_with(run, site, f"{IMEC}:3:17", "not valid UTF-8")
    assert "has no en.md" not in err  # it has one: the editor would look for a lost file
    assert "1 error(s)" in err


def test_unknown_language_code_names_file_and_line(run: Run, site: Path) -> None:
    write(site / "content/partners/imec/es.md", "---\ntitle: imec\ndescription: x\n---\n")
    err = fails_with(run, site, "content/partners/imec/es.md:1:1", "unknown language code 'es'")
    assert "en.md" in err


def test_broken_reference_names_data_file_and_line(run: Run, site: Path) -> None:
    write(site / "content/partners/vib/data.yaml", "clusters:\n  - life-science\n")
    err = fails_with(run, site, "content/partners/vib/data.yaml:2:5", "'life-science'")
    assert "did you mean 'life-sciences'" in err


def test_wrong_date_says_the_expected_form(run: Run, site: Path) -> None:
    write(site / "content/timeline/2016-merger/data.yaml", "date: 21/09/2016\n")
    fails_with(run, site, "content/timeline/2016-merger/data.yaml:1:7", "2026-11-24")


def test_two_pages_with_the_same_output_name_both_files(run: Run, site: Path) -> None:
    write(
        site / "content/partners/imec/fr.md", "---\ntitle: imec\ndescription: x\nslug: vib\n---\n"
    )
    write(site / "content/partners/vib/fr.md", "---\ntitle: VIB\ndescription: x\n---\n")
    code, _, err = run("build", "--site", site)
    assert code == 1
    assert "fr/partenaires/vib/index.html" in err
    assert "content/partners/imec/fr.md" in err and "content/partners/vib/fr.md" in err
    # at the slug the editor wrote, not at line 1 of the other page
    assert "content/partners/imec/fr.md:4:7: error: this page writes" in err


def test_link_to_missing_page_is_an_error_with_suggestion(run: Run, site: Path) -> None:
    write(site / IMEC, "---\ntitle: imec\ndescription: x\n---\nSee [VIB](/partners/vibb).\n")
    err = fails_with(run, site, f"{IMEC}:5:11", "'/partners/vibb'")
    assert "did you mean '/partners/vib'" in err


def test_string_missing_for_a_language_names_key_and_language(run: Run, site: Path) -> None:
    strings = site / "content/strings.yaml"
    strings.write_text(strings.read_text().replace("  de: Quellen\n", ""))
    fails_with(run, site, "content/strings.yaml", "string 'sources' has no text for 'de'")


def test_all_errors_are_reported_at_once(run: Run, site: Path) -> None:
    write(site / IMEC, "---\ntitle: imec\n")
    write(site / "content/partners/vib/data.yaml", "clusters: [nope]\n")
    code, _, err = run("build", "--site", site)
    assert code == 1
    assert IMEC in err and "content/partners/vib/data.yaml" in err
    assert "2 error(s)" in err


def test_failed_build_leaves_previous_build_untouched(run: Run, site: Path) -> None:
    assert run("build", "--site", site)[0] == 0
    before = tree_bytes(site / "build")
    write(site / IMEC, "---\ntitle: [unclosed\n---\n")
    assert run("build", "--site", site)[0] == 1
    assert tree_bytes(site / "build") == before


def test_template_error_fails_the_build_with_template_and_line(run: Run, site: Path) -> None:
    write(
        site / "templates/partner.html",
        '{% extends "page.html" %}\n{% block meta %}\n{{ page.no_such_field }}\n{% endblock %}\n',
    )
    code, _, err = run("build", "--site", site)
    assert code == 1
    assert "templates/partner.html:3" in err and "no_such_field" in err


def test_wrong_usage_exits_2(run: Run, site: Path) -> None:
    assert run("build", "--site", site, "--no-such-flag")[0] == 2
    assert run("build", "--site", site, "--out", site)[0] == 2
