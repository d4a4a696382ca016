"""Links to pages that are not there: once per page, every link at once, and what happened."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from tests.conftest import Run, write

IMEC_LINKS = [
    "content/de.md:5:19",
    "content/en.md:5:13",
    "content/fr.md:5:18",
    "content/nl.md:5:24",
    "content/timeline/2016-merger/data.yaml:2:11 ('related')",
]


def commit_all(site: Path) -> None:
    """The site as the editors' repository has it: everything committed."""
    git = ["git", "-C", str(site), "-c", "user.name=Editor", "-c", "user.email=e@example.org"]
    if not (site / ".git").exists():
        subprocess.run(["git", "init", "-q", str(site)], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "content"], check=True)


def errors(err: str) -> list[str]:
    return [line for line in err.splitlines() if ": error: " in line]


def test_deleted_page_is_one_error_listing_every_link_in_texts_and_data(
    run: Run, site: Path
) -> None:
    commit_all(site)
    shutil.rmtree(site / "content/partners/imec")
    code, _, err = run("check", "--site", site)
    assert code == 1
    assert errors(err) == [
        "content/de.md:5:19: error: the page '/partners/imec' no longer exists; 5 links go to it"
    ]
    for place in IMEC_LINKS:
        assert f"        {place}\n" in err + "\n"
    assert "did you mean" not in err


def test_fixing_every_listed_link_leaves_no_second_round(run: Run, site: Path) -> None:
    commit_all(site)
    shutil.rmtree(site / "content/partners/imec")
    assert run("check", "--site", site)[0] == 1
    for lang in ("en", "nl", "fr", "de"):
        file = site / f"content/{lang}.md"
        file.write_text(file.read_text().replace("(/partners/imec)", "(/partners/vib)"))
    data = site / "content/timeline/2016-merger/data.yaml"
    data.write_text(data.read_text().replace("related: [partners/imec]", "related: []"))
    code, _, err = run("check", "--site", site)
    assert code == 0, err


def test_rendered_links_to_a_missing_page_are_grouped_too(run: Run, site: Path) -> None:
    for lang in ("en", "nl"):
        file = site / f"content/clusters/ict/{lang}.md"
        file.write_text(file.read_text() + "\nSee [Voka](/partners/vokaa).\n")
    code, _, err = run("build", "--site", site, "--no-search")
    assert code == 1
    assert errors(err) == [
        "content/clusters/ict/en.md:7:12: error: there is no page '/partners/vokaa'; "
        "2 links go to it"
    ]
    assert "content/clusters/ict/nl.md:7:12" in err


def test_link_to_a_page_that_never_existed_suggests_a_close_one(run: Run, site: Path) -> None:
    write(
        site / "content/clusters/ict/en.md",
        "---\ntitle: ICT\ndescription: x.\n---\n[imec](/partners/imecc)\n",
    )
    code, _, err = run("check", "--site", site)
    assert code == 1
    assert "there is no page '/partners/imecc'" in err
    assert "did you mean '/partners/imec'?" in err


def test_link_to_a_deleted_page_names_no_other_page(run: Run, site: Path) -> None:
    write(
        site / "content/clusters/ict/en.md",
        "---\ntitle: ICT\ndescription: x.\n---\n[VIB](/partners/vib)\n",
    )
    commit_all(site)
    shutil.rmtree(site / "content/partners/vib")
    commit_all(site)
    code, _, err = run("check", "--site", site)
    assert code == 1
    assert "content/clusters/ict/en.md:5:7: error: the page '/partners/vib' no longer exists" in err
    assert "did you mean" not in err and "sitegen remove partners/vib --unlink" in err


def test_link_to_a_moved_page_names_its_new_place(run: Run, site: Path) -> None:
    data = site / "content/partners/imec/data.yaml"
    data.write_text(data.read_text() + "moved_from: [partners/imec-old]\n")
    write(
        site / "content/clusters/ict/en.md",
        "---\ntitle: ICT\ndescription: x.\n---\n[imec](/partners/imec-old)\n",
    )
    code, _, err = run("check", "--site", site)
    assert code == 1
    assert "error: '/partners/imec-old' has moved to '/partners/imec'" in err
    assert "hint: change the link to /partners/imec" in err


def test_a_wrong_image_name_gets_a_hint_about_images(run: Run, site: Path) -> None:
    write(site / "content/partners/imec/logo.svg", "<svg xmlns='http://www.w3.org/2000/svg'/>")
    write(
        site / "content/partners/imec/en.md",
        "---\ntitle: imec\ndescription: x.\n---\n![The imec logo](Logo.svg)\n",
    )
    code, _, err = run("check", "--site", site)
    assert code == 1
    assert (
        "content/partners/imec/en.md:5:1: error: there is no image 'Logo.svg' in "
        "content/partners/imec/\n  hint: did you mean 'logo.svg'?"
    ) in err
    assert "link to a page" not in err and err.count(": error: ") == 1


def test_a_missing_image_says_where_to_put_it(run: Run, site: Path) -> None:
    write(
        site / "content/partners/imec/en.md",
        "---\ntitle: imec\ndescription: x.\n---\n![The imec logo](logo.svg)\n",
    )
    code, _, err = run("check", "--site", site)
    assert code == 1
    assert "hint: put the image file in content/partners/imec/ (beside the text)" in err
