"""`sitegen move` and `sitegen remove` as an editor uses them: links follow, addresses live on."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import Run, write
from tests.test_missing_links import commit_all

HOMES = ("content/en.md", "content/nl.md", "content/fr.md", "content/de.md")
NEWS = "content/timeline/2016-merger/data.yaml"


def _linked(site: Path) -> Path:
    """The basic site with a relative link and an image into imec too, all committed."""
    write(
        site / "content/clusters/ict/en.md",
        "---\ntitle: ICT\ndescription: ICT and software.\n---\n"
        "With [imec](../../partners/imec/) and ![The imec logo](/partners/imec/logo.svg).\n",
    )
    write(site / "content/partners/imec/logo.svg", "<svg xmlns='http://www.w3.org/2000/svg'/>")
    commit_all(site)
    return site


def test_move_updates_every_link_and_reference_and_records_the_old_path(
    run: Run, site: Path
) -> None:
    _linked(site)
    code, out, err = run("move", "partners/imec", "partners/imec-leuven", "--site", site)
    assert code == 0, err
    assert not (site / "content/partners/imec").exists()
    for home in HOMES:
        assert "(/partners/imec-leuven)" in (site / home).read_text()
    ict = (site / "content/clusters/ict/en.md").read_text()
    assert "[imec](../../partners/imec-leuven/)" in ict
    assert "(/partners/imec-leuven/logo.svg)" in ict
    assert "related: [partners/imec-leuven]" in (site / NEWS).read_text()
    data = (site / "content/partners/imec-leuven/data.yaml").read_text()
    assert data.endswith('figures: ["1984"]\nmoved_from: [partners/imec]\n')  # comments kept
    assert "moved content/partners/imec/ to content/partners/imec-leuven/" in out
    assert "changed content/timeline/2016-merger/data.yaml: 'related'" in out
    code, _, err = run("build", "--site", site, "--no-search")
    assert code == 0, err
    redirects = (site / "build/_redirects").read_text()
    assert "/en/partners/imec/  /en/partners/imec-leuven/  301" in redirects


def test_move_dry_run_lists_every_file_and_changes_nothing(run: Run, site: Path) -> None:
    _linked(site)
    code, out, _ = run("move", "partners/imec", "partners/imec-leuven", "--dry-run", "--site", site)
    assert code == 0
    changed = {line.split(": ")[0].removeprefix("would change ") for line in out.splitlines()}
    assert {*HOMES, NEWS, "content/clusters/ict/en.md"} <= changed
    assert "content/partners/imec-leuven/data.yaml" in changed
    assert (site / "content/partners/imec").is_dir()
    assert not (site / "content/partners/imec-leuven").exists()
    assert "(/partners/imec)" in (site / "content/en.md").read_text()


def test_move_refuses_uncommitted_changes_in_its_files_unless_forced(run: Run, site: Path) -> None:
    _linked(site)
    (site / "content/nl.md").write_text((site / "content/nl.md").read_text() + "\nNieuw.\n")
    code, _, err = run("move", "partners/imec", "partners/imec-leuven", "--site", site)
    assert code == 1
    assert "1 file(s) it would change have uncommitted changes; nothing was changed" in err
    assert "        content/nl.md" in err
    assert (site / "content/partners/imec").is_dir()
    code, _, err = run("move", "partners/imec", "partners/imec-leuven", "--force", "--site", site)
    assert code == 0, err
    assert "Nieuw." in (site / "content/nl.md").read_text()


def test_move_refuses_to_change_what_kind_of_page_it_is(run: Run, site: Path) -> None:
    code, _, err = run("move", "partners/imec", "timeline/imec", "--site", site)
    assert code == 1 and "would change what kind of page it is" in err
    assert (site / "content/partners/imec").is_dir()


def test_remove_lists_what_still_links_to_the_page_and_changes_nothing(
    run: Run, site: Path
) -> None:
    _linked(site)
    code, _, err = run("remove", "partners/imec", "--site", site)
    assert code == 1
    assert "7 link(s) still go to content/partners/imec/; nothing was changed" in err
    for place in ("content/de.md:5:19", f"{NEWS}:2:11", "content/clusters/ict/en.md:5:13"):
        assert f"        {place}\n" in err
    assert (site / "content/partners/imec").is_dir()


def test_remove_unlink_leaves_plain_text_and_redirects_to_the_section(run: Run, site: Path) -> None:
    _linked(site)
    code, out, err = run("remove", "partners/imec", "--unlink", "--site", site)
    assert code == 0, err
    assert not (site / "content/partners/imec").exists()
    assert "Meet imec and the [ICT cluster](clusters/ict)." in (site / "content/en.md").read_text()
    ict = (site / "content/clusters/ict/en.md").read_text()
    assert "With imec and The imec logo." in ict
    assert "related: []" in (site / NEWS).read_text()
    assert (site / "content/partners/data.yaml").read_text() == "moved_from: [partners/imec]\n"
    assert "deleted content/partners/imec/" in out
    code, _, err = run("build", "--site", site, "--no-search")
    assert code == 0, err
    redirects = (site / "build/_redirects").read_text()
    assert "/en/partners/imec/  /en/partners/  301" in redirects


def test_remove_of_a_page_nothing_links_to_needs_no_unlink(run: Run, site: Path) -> None:
    commit_all(site)
    code, _, err = run("remove", "partners/vib", "--site", site)
    assert code == 0, err
    assert not (site / "content/partners/vib").exists()
    assert "moved_from: [partners/vib]" in (site / "content/partners/data.yaml").read_text()
