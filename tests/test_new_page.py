"""`sitegen new` as an editor uses it: section names, placeholders that cannot go live, order."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import Run, write


def _publish(file: Path) -> None:
    """What the editor does when the page looks ready: delete the 'draft: true' line."""
    text = file.read_text(encoding="utf-8")
    file.write_text(text.replace("draft: true\n", ""), encoding="utf-8")


def test_new_accepts_the_section_name_timeline_for_news_items(run: Run, site: Path) -> None:
    code, _, err = run("new", "timeline", "2026-opening", "--site", site)
    assert code == 0, err
    data = (site / "content/timeline/2026-opening/data.yaml").read_text()
    assert "date:" in data and "timeline page" in data


def test_new_unknown_section_names_the_sections_editors_see(run: Run, site: Path) -> None:
    code, _, err = run("new", "timelines", "x", "--site", site)
    assert code == 2
    assert "there is no section 'timelines'" in err and "did you mean 'timeline'?" in err
    code, _, err = run("new", "blog", "x", "--site", site)
    assert code == 2 and "clusters, partners, initiatives, timeline, page" in err


def test_new_writes_a_marked_placeholder_title_and_a_description_to_fill_in(
    run: Run, site: Path
) -> None:
    assert run("new", "partners", "flanders-make", "--site", site)[0] == 0
    en = (site / "content/partners/flanders-make/en.md").read_text()
    assert 'title: "Flanders Make (check this title)"' in en
    assert 'description: "Say in one sentence' in en


def test_new_with_title_writes_that_title(run: Run, site: Path) -> None:
    code, _, err = run(
        "new", "partner", "flanders-make", "--title", "Flanders Make", "--site", site
    )
    assert code == 0, err
    en = (site / "content/partners/flanders-make/en.md").read_text()
    assert 'title: "Flanders Make"\n' in en


def test_new_page_comes_last_in_its_section(run: Run, site: Path) -> None:
    write(site / "content/partners/vib/data.yaml", "clusters: [life-sciences]\nweight: 2000\n")
    assert run("new", "partners", "zz-new", "--site", site)[0] == 0
    assert "weight: 2010\n" in (site / "content/partners/zz-new/data.yaml").read_text()
    assert run("new", "partners", "aa-new", "--site", site)[0] == 0
    assert "weight: 2020\n" in (site / "content/partners/aa-new/data.yaml").read_text()


def test_publishing_scaffold_text_is_an_error_naming_file_and_line(run: Run, site: Path) -> None:
    assert run("new", "partners", "flanders-make", "--site", site)[0] == 0
    folder = site / "content/partners/flanders-make"
    _publish(folder / "en.md")
    code, _, err = run("build", "--site", site)
    assert code == 1
    src = "content/partners/flanders-make/en.md"
    assert f"{src}:2:8: error: the title is still the placeholder" in err
    assert f"{src}:3:14: error: the description is still the placeholder" in err
    assert f"{src}:10:1: error: this line is still the placeholder text" in err
    assert not (site / "build").exists()


def test_a_filled_in_page_from_new_publishes(run: Run, site: Path) -> None:
    assert run("new", "partners", "flanders-make", "--site", site)[0] == 0
    en = site / "content/partners/flanders-make/en.md"
    write(
        en,
        "---\ntitle: Flanders Make\ndescription: Research for the manufacturing industry."
        "\n---\nFlanders Make has a lab in Leuven.\n",
    )
    code, _, err = run("build", "--site", site, "--no-search")
    assert code == 0, err
    assert (site / "build/en/partners/flanders-make/index.html").exists()


def test_a_draft_with_scaffold_text_builds(run: Run, site: Path) -> None:
    assert run("new", "partners", "flanders-make", "--site", site)[0] == 0
    code, _, err = run("build", "--site", site, "--no-search")
    assert code == 0, err


def test_scaffold_of_the_earlier_new_is_recognised_too(run: Run, site: Path) -> None:
    write(
        site / "content/partners/flanders-make/en.md",
        "---\ntitle: Flanders make\ndescription: Flanders make\n---\n"
        "Write the en text of this page here.\n",
    )
    code, _, err = run("check", "--site", site)
    assert code == 1
    assert err.count("still the placeholder") == 3
