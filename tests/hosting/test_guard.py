"""The deploy guard: `sitegen hosting changes` refuses a build that unpublishes much of the site.

The scenarios end on a real nginx: a deleted section stays online after the refusal, and a
moved page's old address answers 301.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from sitegen.commands.guard import find_removals
from tests.conftest import Run, copy_site
from tests.hosting.server import find_nginx, free_port, get, require_tool, running_nginx


def _files(*pages: str) -> dict[str, str]:
    return {page: "0" * 64 for page in pages}


def _site_files(langs: int = 2, partners: int = 5, clusters: int = 5) -> dict[str, str]:
    pages = ["index.html", "404.html"]
    for lang in ("en", "nl", "fr", "de")[:langs]:
        pages += [f"{lang}/index.html", f"{lang}/partners/index.html"]
        pages += [f"{lang}/partners/p{i}/index.html" for i in range(partners)]
        pages += [f"{lang}/clusters/c{i}/index.html" for i in range(clusters)]
        pages += [f"{lang}/about/index.html"]
    return _files(*pages, "assets/site.css", "en/index.html.br")


def _without(files: dict[str, str], *prefixes: str) -> dict[str, str]:
    return {k: v for k, v in files.items() if not k.startswith(prefixes)}


def test_removing_one_page_of_many_is_allowed() -> None:
    online = _site_files()
    removals = find_removals(online, {}, _without(online, "en/clusters/c0/"), {})
    assert removals.pages == ("en/clusters/c0/index.html",)
    assert not removals.refused


def test_removing_more_than_a_tenth_of_the_pages_is_refused() -> None:
    online = _site_files(partners=10, clusters=10)
    gone = tuple(f"en/clusters/c{i}/" for i in range(4)) + ("nl/clusters/c0/",)
    removals = find_removals(online, {}, _without(online, *gone), {})
    assert len(removals.pages) == 5 and removals.online == 48
    assert removals.whole == ()
    assert removals.refused, "5 of 48 is more than 10%"
    removals = find_removals(online, {}, _without(online, *gone[:4]), {})
    assert not removals.refused, "4 of 48 is less than 10%"


def test_removing_a_whole_section_is_refused_even_when_it_is_small() -> None:
    online = _site_files(langs=4, partners=30, clusters=30)
    removals = find_removals(online, {}, _without(online, "de/about/"), {})
    assert removals.share < 0.01
    assert removals.whole == (("de/about/", 1),)
    assert removals.refused


def test_removing_a_language_names_the_language_not_each_section() -> None:
    online = _site_files(langs=4, partners=30, clusters=30)
    removals = find_removals(online, {}, _without(online, "fr/"), {})
    assert removals.whole == (("fr/", 63),)
    assert removals.refused


def test_a_page_whose_old_address_redirects_is_moved_not_removed() -> None:
    online = _site_files()
    built = _without(online, "en/partners/")
    built |= _files("en/partners-new/index.html", "en/partners/index.html")
    moved = {f"en/partners/p{i}/index.html": f"/en/partners-new/p{i}/" for i in range(5)}
    built |= _files(*moved)
    assert not find_removals(online, {}, built, moved).refused
    assert find_removals(online, {}, _without(built, *moved), {}).refused


def test_redirect_pages_online_are_not_counted_as_pages() -> None:
    online = _site_files() | _files("en/old/index.html")
    removals = find_removals(online, {"en/old/index.html": "/en/about/"}, _site_files(), {})
    assert removals.pages == () and removals.online == len(
        [p for p in _site_files() if p.endswith(".html")]
    )


def _manifest(path: Path, files: dict[str, str], redirects: dict[str, str] | None = None) -> Path:
    doc = {"version": 1, "base_url": "https://example.org/", "files": files}
    if redirects is not None:
        doc["redirects"] = redirects
    path.write_text(json.dumps(doc))
    return path


def test_changes_refuses_and_lists_what_would_disappear(run: Run, tmp_path: Path) -> None:
    online = _site_files()
    built = _without(online, "nl/partners/")
    code, out, err = run(
        "hosting",
        "changes",
        _manifest(tmp_path / "online.json", online),
        _manifest(tmp_path / "built.json", built, {}),
    )
    assert code == 1
    assert out == "", "a refused deploy prints no plan a script could follow"
    assert "refusing to deploy" in err
    assert "the whole section nl/partners/ (6 pages)" in err
    assert "  nl/partners/p3/\n" in err
    assert "--allow-removals" in err


def test_allow_removals_lets_the_deploy_through_and_still_says_what_goes(
    run: Run, tmp_path: Path
) -> None:
    online = _site_files()
    code, out, err = run(
        "hosting",
        "changes",
        "--allow-removals",
        _manifest(tmp_path / "online.json", online),
        _manifest(tmp_path / "built.json", _without(online, "nl/partners/")),
    )
    assert code == 0, err
    assert "delete nl/partners/p3/index.html" in out.splitlines()
    assert "allowed by --allow-removals" in err
    assert "the whole section nl/partners/" in err


# On a real nginx: a deploy script that follows `sitegen hosting changes` as docs/hosting.md says.


def _deploy(plan: str, build: Path, online: Path) -> None:
    for line in plan.splitlines():
        action, _, name = line.partition(" ")
        if action == "upload":
            (online / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(build / name, online / name)
        elif action == "delete":
            (online / name).unlink()


@contextmanager
def _nginx(run: Run, site: Path, root: Path, work: Path) -> Iterator[str]:
    nginx = require_tool(find_nginx(), "nginx", "apt-get install nginx-light")
    port = free_port()
    code, config, err = run(
        "hosting", "nginx", "--site", site, "--root", root, "--port", f"127.0.0.1:{port}"
    )
    assert code == 0, err
    work.mkdir(parents=True, exist_ok=True)
    (work / "site.conf").write_text(config)
    with running_nginx(nginx, work, [work / "site.conf"], [port]):
        yield f"http://127.0.0.1:{port}"


@pytest.fixture
def live(run: Run, tmp_path: Path) -> tuple[Path, Path]:
    """The basic site, built and deployed: (its sources, the folder online, with a manifest)."""
    site = copy_site("basic", tmp_path / "site")
    code, _, err = run("build", "--site", site, "--no-search")
    assert code == 0, err
    online = tmp_path / "online"
    shutil.copytree(site / "build", online)
    shutil.copyfile(site / "build.manifest.json", tmp_path / "online.manifest.json")
    return site, online


def test_deleted_section_is_refused_and_stays_online_on_nginx(
    run: Run, tmp_path: Path, live: tuple[Path, Path]
) -> None:
    site, online = live
    shutil.rmtree(site / "content" / "timeline")
    code, _, err = run("build", "--site", site, "--no-search")
    assert code == 0, err
    changes = (
        "hosting",
        "changes",
        tmp_path / "online.manifest.json",
        site / "build.manifest.json",
    )
    code, plan, err = run(*changes)
    assert code == 1 and plan == ""
    for lang in ("en", "nl", "fr", "de"):
        assert f"the whole section {lang}/timeline/ (2 pages)" in err
        assert f"  {lang}/timeline/2016-merger/\n" in err
    with _nginx(run, site, online, tmp_path / "nginx") as origin:
        assert get(f"{origin}/fr/timeline/2016-merger/").status == 200, "refused: still online"
        code, plan, err = run(*changes, "--allow-removals")
        assert code == 0, err
        _deploy(plan, site / "build", online)
        assert get(f"{origin}/fr/timeline/2016-merger/").status == 404
        assert get(f"{origin}/fr/partenaires/imec/").status == 200


def test_moved_page_deploys_and_its_old_address_answers_301_on_nginx(
    run: Run, tmp_path: Path, live: tuple[Path, Path]
) -> None:
    site, online = live
    partners = site / "content" / "partners"
    shutil.move(partners / "vib", partners / "vib-institute")
    data = partners / "vib-institute" / "data.yaml"
    data.write_text(data.read_text() + "moved_from: [partners/vib]\n")
    code, _, err = run("build", "--site", site, "--no-search")
    assert code == 0, err
    code, plan, err = run(
        "hosting", "changes", tmp_path / "online.manifest.json", site / "build.manifest.json"
    )
    assert code == 0, err
    _deploy(plan, site / "build", online)
    with _nginx(run, site, online, tmp_path / "nginx") as origin:
        for old, new in (
            ("/en/partners/vib/", "/en/partners/vib-institute/"),
            ("/en/partners/vib", "/en/partners/vib-institute/"),
            ("/fr/partenaires/vib/", "/fr/partenaires/vib-institute/"),
        ):
            response = get(origin + old)
            assert (response.status, response.header("location")) == (301, new), old
            assert response.header("x-content-type-options") == "nosniff"
            assert get(origin + new).status == 200
        assert get(f"{origin}/en/partners/imec/").status == 200
        assert get(f"{origin}/en/partners/vib-other/").status == 404


def test_section_renamed_without_moved_from_is_refused_as_removed(
    run: Run, tmp_path: Path, live: tuple[Path, Path]
) -> None:
    site, _ = live
    shutil.move(site / "content" / "timeline", site / "content" / "history")
    (site / "content" / "history" / "2016-merger" / "data.yaml").unlink()  # news fields
    code, _, err = run("build", "--site", site, "--no-search")
    assert code == 0, err
    code, _, err = run(
        "hosting", "changes", tmp_path / "online.manifest.json", site / "build.manifest.json"
    )
    assert code == 1
    assert "the whole section en/timeline/ (2 pages)" in err
    assert "en/history/" not in err
