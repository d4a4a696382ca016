"""`moved_from:` in data.yaml: checked like folder names, turned into one list of redirects."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sitegen.diagnostics import codes
from tests.conftest import Run, write

VIB = "content/partners/vib/data.yaml"


def _problems(run: Run, site: Path) -> list[dict[str, object]]:
    code, out, err = run("check", "--site", site, "--format", "json")
    assert "Traceback" not in err
    return list(json.loads(out)["diagnostics"])


def _data(site: Path, page: str, text: str) -> None:
    path = site / "content" / page / "data.yaml"
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    write(path, old + text)


@pytest.mark.parametrize(
    "value",
    [
        "[/partners/old]",
        "[Partners/Old]",
        "[partners/old name]",
        "[partners//old]",
        '["partners/old;return"]',
        "[partners/old/]",
        '["partners/ol\\u00e9"]',
        "[../etc]",
        "[3]",
        "partners/old",
    ],
)
def test_moved_from_value_that_is_not_a_content_path_is_an_error_at_its_line(
    run: Run, site: Path, value: str
) -> None:
    _data(site, "partners/vib", f"moved_from: {value}\n")
    lines = (site / VIB).read_text().splitlines()
    problems = [p for p in _problems(run, site) if p["code"] == codes.BAD_MOVED_FROM]
    assert len(problems) == 1, problems
    assert problems[0]["path"] == VIB
    assert problems[0]["line"] == len(lines)
    assert str(problems[0]["hint"]).startswith("write")


def test_valid_moved_from_passes_the_check(run: Run, site: Path) -> None:
    _data(site, "partners/vib", "moved_from: [partners/vib-old, old-section/vib]\n")
    assert _problems(run, site) == []


def test_moved_from_naming_a_live_page_is_an_error(run: Run, site: Path) -> None:
    _data(site, "partners/vib", "moved_from:\n  - partners/vib-old\n  - partners/imec\n")
    problems = [p for p in _problems(run, site) if p["code"] == codes.MOVED_FROM_LIVE]
    assert [(p["path"], p["line"]) for p in problems] == [(VIB, 4)]
    assert "content/partners/imec/" in str(problems[0]["message"])


def test_old_path_claimed_by_two_pages_is_an_error_at_the_second(run: Run, site: Path) -> None:
    _data(site, "partners/imec", "moved_from: [partners/old]\n")
    _data(site, "partners/vib", "moved_from: [partners/old]\n")
    problems = [p for p in _problems(run, site) if p["code"] == codes.MOVED_FROM_TWICE]
    assert [p["path"] for p in problems] == [VIB]
    assert "content/partners/imec/data.yaml" in str(problems[0]["message"])


def test_moved_page_gets_one_redirect_per_language_in_every_host_file(run: Run, site: Path) -> None:
    _data(site, "partners/vib", "moved_from: [partners/vib-old, gone/vib]\n")
    code, _, err = run("build", "--site", site, "--no-search")
    assert code == 0, err
    build = site / "build"
    rules = (build / "_redirects").read_text().splitlines()
    assert "/fr/partenaires/vib-old/  /fr/partenaires/vib/  301" in rules
    assert "/de/gone/vib/  /de/partners/vib/  301" in rules
    assert rules.index("/en/partners/vib-old/  /en/partners/vib/  301") < rules.index(
        "/en/*  /en/404.html  404"
    ), "the first rule that matches wins"
    manifest = json.loads((site / "build.manifest.json").read_text())
    assert manifest["redirects"]["fr/partenaires/vib-old/index.html"] == "/fr/partenaires/vib/"
    assert len(manifest["redirects"]) == 8
    code, config, err = run("hosting", "nginx", "--site", site)
    assert code == 0, err
    assert "location = /fr/partenaires/vib-old/ { return 301 /fr/partenaires/vib/; }" in config
    assert "location = /fr/partenaires/vib-old { return 301 /fr/partenaires/vib/; }" in config


def test_redirect_page_at_the_old_address_for_hosts_without_rules(run: Run, site: Path) -> None:
    _data(site, "partners/vib", "moved_from: [partners/vib-old]\n")
    code, _, err = run("build", "--site", site, "--no-search", "--base-url", "https://x.org/sub/")
    assert code == 0, err
    page = (site / "build" / "nl" / "partners" / "vib-old" / "index.html").read_text()
    assert '<html lang="nl">' in page
    assert '<meta http-equiv="refresh" content="0; url=/sub/nl/partners/vib/">' in page
    assert '<link rel="canonical" href="https://x.org/sub/nl/partners/vib/">' in page
    assert '<a href="/sub/nl/partners/vib/">' in page
    assert '<meta name="robots" content="noindex">' in page
    assert "<script" not in page and "style" not in page
    for listing in ("sitemap.xml", "en/feed.xml", "nl/feed.xml"):
        assert "vib-old" not in (site / "build" / listing).read_text(), listing


def test_old_address_that_a_translated_slug_now_uses_is_an_error(run: Run, site: Path) -> None:
    # The French partners section is 'partenaires': its old French address is a live page.
    _data(site, "clusters/ict", "moved_from: [partenaires]\n")
    problems = [p for p in _problems(run, site) if p["code"] == codes.MOVED_FROM_LIVE]
    assert len(problems) == 1, problems
    assert problems[0]["path"] == "content/clusters/ict/data.yaml"
    assert "/fr/partenaires/" in str(problems[0]["message"])
