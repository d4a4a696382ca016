"""Drafts in the preview: `serve` shows them under a band, listed nowhere; `build` never."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitegen.serve.http import ServeState
from sitegen.serve.session import LiveRebuilder
from tests.conftest import Run

DRAFT = "content/partners/flanders-make"


@pytest.fixture
def drafted(run: Run, site: Path) -> Path:
    code, _, err = run(
        "new", "partners", "flanders-make", "--title", "Flanders Make", "--site", site
    )
    assert code == 0, err
    return site


def serve_build(site: Path) -> ServeState:
    state = ServeState(site=site)
    rebuilder = LiveRebuilder(site, site / "build", None, state, jobs=1)
    try:
        rebuilder.first()
    finally:
        rebuilder.close()
    return state


def test_serve_shows_a_draft_page_under_a_draft_band(drafted: Path) -> None:
    state = serve_build(drafted)
    assert not state.errors
    page = (drafted / "build/en/partners/flanders-make/index.html").read_text()
    assert 'class="sitegen-draft"' in page and "Draft: this page is not published" in page
    assert f"delete the line 'draft: true' in {DRAFT}/en.md" in page
    assert "Flanders Make" in page and "Write the en text of this page here." in page
    assert '<meta name="robots" content="noindex">' in page
    assert (drafted / "build/nl/partners/flanders-make/index.html").exists()


def test_serve_keeps_drafts_out_of_lists_menus_feeds_and_sitemap(drafted: Path) -> None:
    serve_build(drafted)
    build = drafted / "build"
    assert "flanders-make" not in (build / "en/partners/index.html").read_text()
    assert "flanders-make" not in (build / "en/index.html").read_text()
    assert "flanders-make" not in (build / "sitemap.xml").read_text()
    assert "flanders-make" not in (build / "en/feed.xml").read_text()
    assert "flanders-make" not in (build / "en/clusters/ict/index.html").read_text()


def test_a_published_page_shows_no_draft_band_in_serve(drafted: Path) -> None:
    serve_build(drafted)
    assert "sitegen-draft" not in (drafted / "build/en/partners/imec/index.html").read_text()


def test_build_never_publishes_a_draft(run: Run, drafted: Path) -> None:
    code, _, err = run("build", "--site", drafted, "--no-search")
    assert code == 0, err
    assert not (drafted / "build/en/partners/flanders-make").exists()
    assert not any("sitegen-draft" in p.read_text() for p in (drafted / "build").rglob("*.html"))
