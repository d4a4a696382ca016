"""Hints for unknown fields: only this kind's fields, where another field belongs, indentation."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import Run, write

NEWS_DATA = "content/timeline/2016-merger/data.yaml"
IMEC_DATA = "content/partners/imec/data.yaml"


def test_another_kinds_field_says_where_it_belongs_not_a_wrong_guess(run: Run, site: Path) -> None:
    write(site / NEWS_DATA, "date: 2016-09-21\nwebsit: https://www.imec-int.com\n")
    code, _, err = run("check", "--site", site)
    assert code == 1
    assert (
        f"{NEWS_DATA}:2:1: error: unknown field 'websit' in data.yaml of a page in timeline/" in err
    )
    assert (
        "'website' (as you may have meant) belongs in data.yaml of partners and initiatives" in err
    )
    assert "did you mean 'weight'" not in err


def test_a_typo_in_this_kinds_field_suggests_it(run: Run, site: Path) -> None:
    write(site / IMEC_DATA, "websit: https://www.imec-int.com\n")
    code, _, err = run("check", "--site", site)
    assert code == 1 and "hint: did you mean 'website'?" in err


def test_a_front_matter_field_in_data_yaml_says_so(run: Run, site: Path) -> None:
    write(site / IMEC_DATA, "description: Research centre.\n")
    code, _, err = run("check", "--site", site)
    assert code == 1
    assert "hint: remove it: 'description' belongs in the front matter of a language file" in err


def test_figures_out_from_under_its_source_says_indent_it(run: Run, site: Path) -> None:
    write(
        site / IMEC_DATA,
        "sources:\n  - title: imec history\n    url: https://www.imec.be/\nfigures: ['1984']\n",
    )
    code, _, err = run("check", "--site", site)
    assert code == 1
    assert f"{IMEC_DATA}:4:1: error: unknown field 'figures'" in err
    assert "hint: indent this line under the 'sources' entry it belongs to" in err
    assert "hint: remove it" not in err
