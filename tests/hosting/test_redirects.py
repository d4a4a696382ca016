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
