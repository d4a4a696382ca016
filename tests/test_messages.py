"""Every other message an editor can meet: exact `path:line:col`, the hint, exit 1, no traceback.

tests/test_errors.py and tests/test_checks.py cover the rest; docs/editing.md explains them all.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import Run, write

SITE_YAML = """name: Test site
base_url: https://example.org/
default_language: en
languages:
  - {code: en, name: English, locale: en_GB}
  - {code: nl, name: Nederlands, locale: nl_BE}
  - {code: fr, name: Français, locale: fr_BE}
  - {code: de, name: Deutsch, locale: de_DE}
menu: [clusters, partners]
fallback: publish
"""
SITE = "content/site.yaml"
IMEC = "content/partners/imec/en.md"
IMEC_DATA = "content/partners/imec/data.yaml"
IMEC_TEXT = "---\ntitle: imec\ndescription: x\n---\nText.\n"


def site_yaml(old: str, new: str) -> dict[str, str]:
    assert old in SITE_YAML
    return {SITE: SITE_YAML.replace(old, new)}


CASES: list[tuple[str, dict[str, str], str, str, str]] = [
    # content/site.yaml
    (
        "site_not_mapping",
        {SITE: "- a\n- b\n"},
        f"{SITE}:1:1",
        "must be a list of 'field: value'",
        "README",
    ),
    (
        "site_unknown_field",
        site_yaml("fallback", "falback"),
        f"{SITE}:10:1",
        "unknown field 'falback' in site.yaml",
        "did you mean 'fallback'?",
    ),
    (
        "site_empty_name",
        site_yaml("name: Test site", "name: ''"),
        f"{SITE}:1:7",
        "'name' must be a non-empty text",
        "add 'name: ...'",
    ),
    (
        "site_base_url",
        site_yaml("https://example.org/", "example.org"),
        f"{SITE}:2:11",
        "'base_url' must start with https://",
        "full address",
    ),
    (
        "site_languages_not_list",
        site_yaml("languages:\n", "languages: en\nx:\n"),
        f"{SITE}:4:12",
        "'languages' must be a list",
        "code: en",
    ),
    (
        "site_language_shape",
        site_yaml("{code: de, name: Deutsch, locale: de_DE}", "de"),
        f"{SITE}:8:5",
        "needs 'code', 'name' and 'locale'",
        "code: nl",
    ),
    (
        "site_language_code",
        site_yaml("code: de,", "code: Deutsch,"),
        f"{SITE}:8:12",
        "'Deutsch' is not a language code",
        "ISO 639-1",
    ),
    (
        "site_locale",
        site_yaml("de_DE", "de_XX_bad"),
        f"{SITE}:8:39",
        "unknown locale 'de_XX_bad'",
        "nl_BE",
    ),
    (
        "site_language_twice",
        site_yaml("code: de,", "code: nl,"),
        f"{SITE}:8:12",
        "language 'nl' is listed twice",
        "remove one",
    ),
    (
        "site_default_language",
        site_yaml("default_language: en", "default_language: es"),
        f"{SITE}:3:19",
        "default language 'es' is not in 'languages'",
        "add it to 'languages'",
    ),
    (
        "site_menu",
        site_yaml("menu: [clusters, partners]", "menu: clusters"),
        f"{SITE}:9:7",
        "'menu' must be a list of page paths",
        "menu: [clusters",
    ),
    (
        "site_menu_entry",
        site_yaml("[clusters, partners]", "[clusters, partner]"),
        f"{SITE}:9:18",  # at the entry, not the top of the file
        "menu entry 'partner' is not a page",
        "did you mean 'partners'?",
    ),
    (
        "site_fallback",
        site_yaml("fallback: publish", "fallback: hide"),
        f"{SITE}:10:11",
        "'fallback' must be 'publish' or 'omit', not 'hide'",
        "fallback: publish",
    ),
    (
        "site_sections",
        {SITE: SITE_YAML + "sections: partners\n"},
        f"{SITE}:11:11",
        "'sections' must map a folder name",
        "partners: partner",
    ),
    (
        "site_section_kind",
        {SITE: SITE_YAML + "sections: {partners: partnr}\n"},
        f"{SITE}:11:22",
        "unknown page kind 'partnr'",
        "did you mean 'partner'?",
    ),
    # content/strings.yaml
    (
        "strings_not_languages",
        {"content/strings.yaml": "sources: Sources\n"},
        "content/strings.yaml:1:10",
        "string 'sources' must list its languages",
        "sources: {en: ...",
    ),
    # YAML itself
    (
        "yaml_undefined_alias",
        {IMEC_DATA: "website: *nowhere\n"},
        f"{IMEC_DATA}:1:10",
        "a value starts with '*'",
        "remove the '*'",
    ),
    (
        "yaml_other",
        {IMEC_DATA: "website: [unclosed\n"},
        f"{IMEC_DATA}:2:1",
        "the list that starts with '[' on line 1 is not closed",
        "close it with ']'",
    ),
    (
        "yaml_alias_bomb",
        {
            IMEC_DATA: "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
            + "".join(
                f"{c}: &{c} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n"
                for p, c in zip("abcd", "bcde", strict=True)
            )
        },
        f"{IMEC_DATA}:1:32",
        "more than 50000 values",
        "'*alias'",
    ),
    # front matter and data.yaml values
    (
        "front_matter_not_mapping",
        {IMEC: "---\n- title\n---\nText\n"},
        f"{IMEC}:2:1",
        "front matter must be a list",
        "'name: value'",
    ),
    (
        "data_not_mapping",
        {IMEC_DATA: "- website\n"},
        f"{IMEC_DATA}:1:1",
        "data.yaml must be a list",
        "'name: value'",
    ),
    (
        "field_text",
        {IMEC: "---\ntitle: [imec]\ndescription: x\n---\n"},
        f"{IMEC}:2:8",
        "'title' must be a text",
        "title: some text",
    ),
    (
        "field_int",
        {IMEC_DATA: "weight: first\n"},
        f"{IMEC_DATA}:1:9",
        "'weight' must be a whole number",
        "weight: 10",
    ),
    (
        "field_year",
        {IMEC_DATA: "founded: [1984]\n"},
        f"{IMEC_DATA}:1:10",
        "'founded' must be a year",
        'founded: "1984"',
    ),
    (
        "field_url",
        {IMEC_DATA: "website: www.imec.be\n"},
        f"{IMEC_DATA}:1:10",
        "'website' must be a web address starting with https://",
        "copy the full address",
    ),
    (
        "field_file",
        {IMEC_DATA: "image: ../vib/logo.png\n"},
        f"{IMEC_DATA}:1:8",
        "'image' must be a file name in this folder",
        "write only its name",
    ),
    (
        "field_image_missing",
        {IMEC_DATA: "image: logo.png\n"},
        f"{IMEC_DATA}:1:8",
        "there is no file 'logo.png' in this folder",
        "beside data.yaml",
    ),
    (
        "field_refs",
        {IMEC_DATA: "clusters: ict\n"},
        f"{IMEC_DATA}:1:11",
        "'clusters' must be a list of page names",
        "clusters: [first-name",
    ),
    (
        "sources_not_list",
        {IMEC_DATA: "sources: https://imec.be\n"},
        f"{IMEC_DATA}:1:10",
        "'sources' must be a list",
        "- title:",
    ),
    (
        "source_entry",
        {IMEC_DATA: "sources:\n  - url: https://imec.be\n"},
        f"{IMEC_DATA}:2:5",
        "each source needs a 'title' and a 'url'",
        "- title: Name",
    ),
    (
        "source_unknown_field",
        {IMEC_DATA: "sources:\n  - title: a\n    url: https://imec.be\n    figure: [1]\n"},
        f"{IMEC_DATA}:4:5",
        "unknown field 'figure' in a source",
        "did you mean 'figures'?",
    ),
    (
        "source_figures",
        {IMEC_DATA: "sources:\n  - title: a\n    url: https://imec.be\n    figures: 1984\n"},
        f"{IMEC_DATA}:4:14",
        "'figures' must be a list",
        "figures: [",
    ),
    (
        "template_name",
        {IMEC: "---\ntitle: imec\ndescription: x\ntemplate: ../base\n---\n"},
        f"{IMEC}:4:11",
        "is not a file name in templates/",
        "partner.html",
    ),
    (
        "template_missing",
        {IMEC: "---\ntitle: imec\ndescription: x\ntemplate: partnr\n---\n"},
        f"{IMEC}:4:11",
        "there is no template 'partnr' in templates/",
        "did you mean 'partner.html'?",
    ),
    # files and folders
    (
        "no_default_language",
        {"content/partners/voka/nl.md": IMEC_TEXT},
        "content/partners/voka:1:1",
        "this page has no en.md",
        "add en.md",
    ),
    (
        "folder_without_text",
        {"content/partners/voka/data.yaml": "weight: 1\n"},
        "content/partners/voka:1:1",
        "this folder has no page text",
        "add en.md",
    ),
    (
        "nul_character",
        {IMEC: IMEC_TEXT.replace("Text.", "Te\x00xt.")},
        f"{IMEC}:5:1",
        "contains a NUL character",
        "retype the line",
    ),
    (
        "file_too_large",
        {IMEC: IMEC_TEXT + "x" * (5 * 1024 * 1024)},
        f"{IMEC}:1:1",
        "text files may be at most",
        "split the text",
    ),
]


@pytest.mark.parametrize(
    ("files", "location", "words", "hint"),
    [pytest.param(*case[1:], id=case[0]) for case in CASES],
)
def test_message_names_file_line_and_column_with_a_hint(
    run: Run, site: Path, files: dict[str, str], location: str, words: str, hint: str
) -> None:
    for path, text in files.items():
        write(site / path, text)
    code, _, err = run("check", "--site", site)
    assert code == 1, err
    assert "Traceback" not in err
    lines = err.splitlines()
    found = [i for i, line in enumerate(lines) if line.startswith(f"{location}: error: ")]
    assert any(words in lines[i] and hint in lines[i + 1] for i in found), err


def test_no_content_folder_says_where_to_run(run: Run, tmp_path: Path) -> None:
    code, _, err = run("check", "--site", tmp_path)
    assert code == 1 and "Traceback" not in err
    assert "content:1:1: error: there is no content/ folder here\n  hint: run sitegen in" in err


def test_new_with_a_bad_folder_name_says_what_is_allowed(run: Run, site: Path) -> None:
    code, _, err = run("new", "partner", "My Partner", "--site", site)
    assert code == 1 and "'My Partner' is not a valid folder name" in err
    assert "hint: use lower-case letters" in err


def test_link_to_a_missing_file_says_so(run: Run, site: Path) -> None:
    (site / IMEC).unlink()
    (site / IMEC).symlink_to(site / "nowhere.md")
    code, _, err = run("check", "--site", site)
    assert code == 1 and "Traceback" not in err
    assert f"{IMEC}:1:1: error: this symbolic link points to nothing\n" in err
    assert "  hint: remove the link or put the file here" in err


def test_missing_page_templates_name_the_templates(run: Run, site: Path) -> None:
    (site / "templates/partner.html").unlink()
    (site / "templates/page.html").unlink()
    code, _, err = run("check", "--site", site)
    assert code == 1 and "Traceback" not in err
    assert f"{IMEC}:1:1: error: none of the templates partner.html, page.html exists" in err
    assert "  hint: add the template to templates/" in err


def test_a_section_with_no_folder_is_a_warning_at_its_line(run: Run, site: Path) -> None:
    sections = "sections:\n  clusters: cluster\n  partnrs: partner\n  timeline: news\n"
    write(site / SITE, SITE_YAML + sections)
    code, _, err = run("check", "--site", site)
    # The partners' data.yaml fields are then unknown (errors): the warning says why.
    assert code == 1 and "unknown field 'website'" in err
    assert f"{SITE}:13:3: warning: section 'partnrs' is not a folder under content/" in err
    assert "hint: did you mean 'partners'?" in err
