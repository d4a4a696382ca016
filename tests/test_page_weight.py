"""The performance budget: every page loads at most 60 KB of HTML, CSS, JS and fonts."""

from __future__ import annotations

from pathlib import Path

from benchmarks.page_weight import BUDGET, TYPES, measure, weigh
from sitegen import pipeline
from tests.conftest import write

REPO = Path(__file__).resolve().parent.parent


def test_every_page_of_the_real_site_stays_within_the_budget(tmp_path: Path) -> None:
    result = pipeline.build(REPO, tmp_path / "build", search=False)
    assert result.ok and result.site is not None
    weights = weigh(result.site, tmp_path / "build")
    assert set(weights) == set(TYPES)
    over = [
        f"{w.page}: {w.budgeted} bytes"
        for ws in weights.values()
        for w in ws
        if w.budgeted > BUDGET
    ]
    assert not over
    for pages in weights.values():
        for w in pages:
            assert w.raw["css"] > 0, f"{w.page} loads no stylesheet"


def test_weight_counts_stylesheets_their_fonts_and_scripts_once(tmp_path: Path) -> None:
    html = (
        '<link rel="stylesheet" href="/s.css"><link rel="stylesheet" href="../s.css">'
        '<script src="/j.js" defer></script><img src="/photo.jpg" alt="">'
    )
    css = '@font-face{src:url("f.woff2")} body{background:url(bg.svg)}'
    write(tmp_path / "a/index.html", html)
    write(tmp_path / "s.css", css)
    write(tmp_path / "f.woff2", "F" * 1000)
    write(tmp_path / "bg.svg", "<svg/>")
    write(tmp_path / "j.js", "J" * 500)
    write(tmp_path / "photo.jpg", "P" * 99_999)
    w = measure(tmp_path, "/", "a/index.html")
    assert w.raw == {"html": len(html), "css": len(css), "js": 500, "fonts": 1000, "other": 6}
    assert w.budgeted == len(html) + len(css) + 500 + 1000
    assert w.requests == 5
