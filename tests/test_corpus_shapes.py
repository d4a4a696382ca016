"""The benchmark's corpora: every shape is a site sitegen accepts, and each shape differs from
baseline in the way its name says. A shape that failed `sitegen check` would time error output,
and one that did not differ would time the same site twice under two names."""

from __future__ import annotations

import statistics
from pathlib import Path

import pytest

from benchmarks.corpus import SHAPES, generate
from sitegen import pipeline


def _median_words(root: Path) -> float:
    bodies = [
        path.read_text("utf-8").split("\n---\n", 1)[1]
        for path in (root / "content").rglob("en.md")
        if path.parent != root / "content"
    ]
    return statistics.median(len(body.split()) for body in bodies)


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_every_shape_is_a_site_that_passes_check(tmp_path: Path, shape: str) -> None:
    corpus = generate(12, tmp_path / shape, shape=shape)
    result = pipeline.check(corpus.root)
    assert result.ok, [d.message for d in result.diagnostics if d.severity == "error"][:5]
    assert result.files > 4 * 12


def test_short_pages_are_short_and_baseline_pages_are_not(tmp_path: Path) -> None:
    short = generate(40, tmp_path / "short", shape="short")
    baseline = generate(40, tmp_path / "baseline", shape="baseline")
    assert _median_words(short.root) < 300
    assert _median_words(baseline.root) > 600
