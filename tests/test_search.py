"""Search: Pagefind indexes each language apart, inside the build, and never half-publishes."""

from __future__ import annotations

import json
import re
import shutil
import sys
import tempfile
from pathlib import Path

import pytest

from sitegen import pipeline
from sitegen.model.site import Site
from sitegen.output import search
from sitegen.render import search_parts
from sitegen.render.views import is_search_page
from tests.conftest import Run, tree_bytes, write

REPO = Path(__file__).resolve().parent.parent
LANGS = ("en", "nl", "fr", "de")


@pytest.fixture(scope="module")
def real_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Site, Path]:
    """The real Leuven inside site, built once for this module."""
    out = tmp_path_factory.mktemp("search") / "build"
    result = pipeline.build(REPO, out)
    assert result.ok, [d.format() for d in result.diagnostics]
    assert result.site is not None
    return result.site, out


def test_each_language_gets_its_own_search_index(real_site: tuple[Site, Path]) -> None:
    site, out = real_site
    entry = json.loads((out / "pagefind/pagefind-entry.json").read_text())
    assert set(entry["languages"]) == set(LANGS)
    for lang in LANGS:
        pages = [v for v in site.versions.values() if v.lang == lang and not is_search_page(v)]
        assert entry["languages"][lang]["page_count"] == len(pages)
        assert (out / f"pagefind/wasm.{lang}.pagefind").is_file()
        assert list((out / "pagefind").glob(f"pagefind.{lang}_*.pf_meta"))


def test_search_page_lists_every_page_of_its_language_without_javascript(
    real_site: tuple[Site, Path],
) -> None:
    site, out = real_site
    for lang in LANGS:
        search_page = next(
            v for v in site.versions.values() if v.lang == lang and is_search_page(v)
        )
        html = (out / search_page.out).read_text()
        assert re.search(r"<form[^>]*\bhidden\b", html), "the form needs JavaScript to work"
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "no inline script"
        index = html.split('class="site-index"')[1].split("</section>")[0]
        listed = set(re.findall(r'<a href="([^"]+)"', index))
        expected = {
            v.url for v in site.versions.values() if v.lang == lang and not is_search_page(v)
        }
        assert listed == expected


def test_search_ui_loads_nothing_heavy_until_the_visitor_searches(
    real_site: tuple[Site, Path],
) -> None:
    _, out = real_site
    html = (out / "en/search/index.html").read_text()
    scripts = re.findall(r'<script src="([^"]+)" defer></script>', html)
    assert len(scripts) == 1 and "/assets/js/search." in scripts[0]
    assert len((out / scripts[0].lstrip("/")).read_bytes()) < 5000
    assert "pagefind-ui" not in html
    assert not (out / "pagefind/pagefind-ui.js").exists()


def _file_system(path: Path) -> str:
    """The type of the file system path is on (the longest mount point above it)."""
    mounts = [line.split()[1:3] for line in Path("/proc/self/mounts").read_text().splitlines()]
    found = max((m for m in mounts if path.is_relative_to(m[0])), key=lambda m: len(m[0]))
    return found[1]


def test_the_index_is_the_same_on_any_file_system(
    real_site: tuple[Site, Path], tmp_path: Path
) -> None:
    """A folder lists its entries in an order of the file system's making (ext4 by a hash of
    each name, or by when it was made; tmpfs newest first). Pagefind's command line numbered
    the pages in that order, so the same site gave other index files on tmpfs than on ext4,
    and a build was reproducible only on the file system that made it."""
    shm = Path("/dev/shm")
    if not shm.is_dir() or _file_system(shm) == _file_system(tmp_path):
        pytest.skip("needs two kinds of file system: /dev/shm and a temporary folder on another")
    site, out = real_site
    bundles = []
    with tempfile.TemporaryDirectory(dir=shm) as memory:
        for where in (tmp_path, Path(memory)):
            staging = where / "build"
            shutil.copytree(out, staging, ignore=shutil.ignore_patterns(search.BUNDLE))
            _, problems = search.index_site(site, staging, bundle=where / "pagefind")
            assert problems == []
            bundles.append(tree_bytes(where / "pagefind"))
    assert bundles[0].keys() == bundles[1].keys()
    assert [name for name in bundles[0] if bundles[0][name] != bundles[1][name]] == []


def test_no_search_flag_builds_without_an_index(run: Run, site: Path) -> None:
    code, _, err = run("build", "--site", site, "--no-search")
    assert code == 0, err
    assert (site / "build/en/index.html").is_file()
    assert not (site / "build/pagefind").exists()


def test_missing_pagefind_fails_the_build_with_a_hint_and_keeps_the_old_one(
    run: Run, site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run("build", "--site", site)[0] == 0
    before = tree_bytes(site / "build")
    write(site / "content/partners/vib/en.md", "---\ntitle: Changed\ndescription: d\n---\nNew.\n")
    monkeypatch.setattr(search, "find_pagefind", lambda: None)
    code, _, err = run("build", "--site", site)
    assert code == 1
    assert "the Pagefind binary is not installed" in err
    assert "--no-search" in err
    assert tree_bytes(site / "build") == before


def test_failing_indexer_never_publishes_a_half_built_site(
    run: Run, site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run("build", "--site", site)[0] == 0
    before = tree_bytes(site / "build")
    fake = write(tmp_path / "pagefind", "#!/bin/sh\necho 'disk on fire' >&2\nexit 3\n")
    fake.chmod(0o755)
    monkeypatch.setattr(search, "find_pagefind", lambda: fake)
    write(site / "content/partners/vib/en.md", "---\ntitle: Changed\ndescription: d\n---\nNew.\n")
    code, _, err = run("build", "--site", site)
    assert code == 1
    assert "Pagefind failed: it stopped (exit 3): disk on fire" in err
    assert tree_bytes(site / "build") == before


FAKE_SERVICE = """\
import base64, json, sys
data = b""
while chunk := sys.stdin.buffer.read1(65536):
    data += chunk
    while b"," in data:
        raw, data = data.split(b",", 1)
        message = json.loads(base64.b64decode(raw))
        kind = message["payload"]["type"]
        reply = {"type": "NewIndex", "index_id": 0} if kind == "NewIndex" else {"type": "x"}
        if kind == "GetFiles":
            evil = base64.b64encode(b"owned").decode()
            reply = {"type": "GetFiles", "files": [{"path": "../../escaped", "content": evil}]}
        answer = {"message_id": message["message_id"], "payload": reply}
        sys.stdout.buffer.write(base64.b64encode(json.dumps(answer).encode()) + b",")
        sys.stdout.buffer.flush()
"""


def test_an_indexer_cannot_write_outside_the_search_folder(
    run: Run, site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = write(tmp_path / "pagefind", f"#!{sys.executable}\n{FAKE_SERVICE}")
    fake.chmod(0o755)
    monkeypatch.setattr(search, "find_pagefind", lambda: fake)
    code, _, err = run("build", "--site", site)
    assert code == 1
    assert "it named a file outside its folder: '../../escaped'" in err
    assert not [p for p in site.parent.rglob("escaped")]
    assert not (site / "build").exists()


def test_pagefind_ships_inside_the_python_package() -> None:
    binary = search.find_pagefind()
    assert binary is not None and "pagefind_bin" in binary.parts


def test_a_big_language_is_indexed_in_parts_the_search_page_merges(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Pagefind's memory grows with the pages of one run: past PAGES_PER_INDEX pages a
    language gets several bundles, and every page is in exactly one of them."""
    monkeypatch.setattr(search_parts, "PAGES_PER_INDEX", 20)
    result = pipeline.build(REPO, tmp_path / "build")
    assert result.ok and result.site is not None, [d.format() for d in result.diagnostics]
    out, site = tmp_path / "build", result.site
    for lang in LANGS:
        pages = [v for v in site.versions.values() if v.lang == lang and not is_search_page(v)]
        folders = ["", *search_parts.extra_parts(site, lang)]
        assert len(folders) == -(-len(pages) // 20) > 1
        counted = 0
        for folder in folders:
            entry = json.loads((out / "pagefind" / folder / "pagefind-entry.json").read_text())
            if folder:  # a part's own bundle holds its language only
                assert set(entry["languages"]) == {lang}
            counted += entry["languages"][lang]["page_count"]
            assert entry["languages"][lang]["page_count"] <= 20
        assert counted == len(pages)
        search_page = next(
            v for v in site.versions.values() if v.lang == lang and is_search_page(v)
        )
        html = (out / search_page.out).read_text()
        listed = re.search(r'data-parts="([^"]*)"', html)
        assert listed is not None
        assert listed[1].split() == [f"/pagefind/{f}" for f in folders[1:]]
