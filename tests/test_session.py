"""`serve` updates build/ in place after a save, touching only what the save changed, and the
result is byte for byte what a clean build of the same files gives."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from sitegen import pipeline
from sitegen.serve import session
from sitegen.serve.http import EVERY_PAGE, ServeState
from sitegen.serve.session import LiveRebuilder
from tests.conftest import tree_bytes
from tests.test_images import make_image

BASE = "http://127.0.0.1:8000/"


def pages(folder: Path) -> dict[str, bytes]:
    """The build without the search index (brought up to date later, in the background)."""
    return {k: v for k, v in tree_bytes(folder).items() if not k.startswith("pagefind/")}


def clean(site: Path, out: Path) -> dict[str, bytes]:
    result = pipeline.build(site, out, BASE, search=False, compress=False)
    assert result.ok, [d.format() for d in result.diagnostics]
    return pages(out)


@pytest.fixture
def live(site: Path) -> Iterator[LiveRebuilder]:
    rebuilder = LiveRebuilder(site, site / "build", BASE, ServeState(site=site), jobs=1)
    rebuilder.first()
    assert not rebuilder.state.errors
    yield rebuilder
    rebuilder.close()


def save(path: Path, old: str, new: str) -> Path:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def test_a_saved_text_reloads_only_its_own_page(
    live: LiveRebuilder, site: Path, tmp_path: Path
) -> None:
    path = site / "content/partners/imec/nl.md"
    path.write_text(path.read_text(encoding="utf-8") + "\nNog een zin.\n", "utf-8")
    before = pages(site / "build")
    [url] = live.apply({path})
    assert url.startswith("/nl/") and url.endswith("/imec/")
    after = pages(site / "build")
    assert {k for k in after if after[k] != before.get(k)} == {url[1:] + "index.html"}
    assert after == clean(site, tmp_path / "clean")


def test_a_body_edit_is_rendered_without_modelling_the_site_again(
    live: LiveRebuilder, site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """vib has only an English text: the three other languages show it, so all four reload."""
    path = site / "content/partners/vib/en.md"
    path.write_text(path.read_text(encoding="utf-8") + "\nOne more sentence.\n", "utf-8")
    with monkeypatch.context() as patched:

        def refuse(*args: object, **kwargs: object) -> object:
            raise AssertionError("a body edit modelled the whole site again")

        patched.setattr(pipeline, "model_site", refuse)
        urls = live.apply({path})
    assert len(urls) == 4 and all(url.endswith("/vib/") for url in urls)
    assert b"One more sentence." in (site / "build/fr/partenaires/vib/index.html").read_bytes()
    assert pages(site / "build") == clean(site, tmp_path / "clean")


def test_a_body_edit_that_shows_an_image_writes_its_files(site: Path, tmp_path: Path) -> None:
    """The photo was already in the folder; the save is the first text that shows it."""
    make_image(site / "content/partners/vib/lab.jpg", (1000, 600), "JPEG")
    live = LiveRebuilder(site, site / "build", BASE, ServeState(site=site), jobs=1)
    try:
        live.first()
        path = site / "content/partners/vib/en.md"
        path.write_text(path.read_text(encoding="utf-8") + "\n![The lab](lab.jpg)\n", "utf-8")
        assert live.apply({path})
        html = (site / "build/en/partners/vib/index.html").read_text(encoding="utf-8")
        shown = re.findall(r'src="/(assets/img/[^"]+)"', html)
        assert shown and all((site / "build" / name).is_file() for name in shown)
        assert pages(site / "build") == clean(site, tmp_path / "clean")
    finally:
        live.close()


def test_a_new_title_reloads_the_pages_that_show_it(
    live: LiveRebuilder, site: Path, tmp_path: Path
) -> None:
    path = save(site / "content/partners/imec/en.md", "title: imec", "title: imec Leuven")
    urls = live.apply({path})
    assert "/en/partners/imec/" in urls and "/en/partners/" in urls
    assert not any(url.startswith("/nl/") for url in urls)
    assert pages(site / "build") == clean(site, tmp_path / "clean")


def test_body_edits_reuse_the_menus_footers_and_links_until_a_title_changes(
    live: LiveRebuilder, site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Making them again took 0.2-0.3 s of a 0.5 s save at 10,000 folders; a body edit
    changes nothing they show, so it renders with those the full build made."""
    made: list[int] = []
    real = session.site_wide_views
    monkeypatch.setattr(session, "site_wide_views", lambda s: made.append(1) or real(s))
    path = site / "content/partners/vib/en.md"
    for n in range(3):
        path.write_text(path.read_text(encoding="utf-8") + f"\nSentence {n}.\n", "utf-8")
        assert live.apply({path})
    assert not made
    assert pages(site / "build") == clean(site, tmp_path / "clean")
    title = save(site / "content/partners/imec/en.md", "title: imec", "title: imec Leuven")
    assert "/en/partners/" in live.apply({title})
    assert len(made) == 1
    assert pages(site / "build") == clean(site, tmp_path / "clean2")


def test_a_changed_relation_matches_a_clean_build(
    live: LiveRebuilder, site: Path, tmp_path: Path
) -> None:
    path = save(site / "content/partners/imec/data.yaml", "[ict, life-sciences]", "[ict]")
    assert live.apply({path})
    assert pages(site / "build") == clean(site, tmp_path / "clean")


def test_a_template_change_rebuilds_and_reloads_every_page(
    live: LiveRebuilder, site: Path, tmp_path: Path
) -> None:
    path = save(site / "templates/base.html", "<body>", "<body data-edited>")
    urls = live.apply({path})
    built = {k for k in pages(site / "build") if k.endswith("index.html") and "/" in k}
    assert {url[1:] + "index.html" for url in urls} >= built  # every page reloads
    assert pages(site / "build") == clean(site, tmp_path / "clean")


def test_a_broken_save_keeps_the_build_and_the_fix_clears_the_errors(
    live: LiveRebuilder, site: Path, tmp_path: Path
) -> None:
    path = site / "content/partners/imec/en.md"
    good = path.read_text(encoding="utf-8")
    before = pages(site / "build")
    path.write_text(good.replace("title:", "title: [unclosed", 1), encoding="utf-8")
    assert live.apply({path}) == [EVERY_PAGE]
    assert live.state.errors and "en.md" in live.state.errors[0]
    assert pages(site / "build") == before
    path.write_text(good + "\nFixed.\n", encoding="utf-8")
    live.apply({path})
    assert not live.state.errors
    assert pages(site / "build") == clean(site, tmp_path / "clean")


def test_a_body_edit_schedules_the_search_index(live: LiveRebuilder, site: Path) -> None:
    path = site / "content/partners/imec/nl.md"
    path.write_text(path.read_text(encoding="utf-8") + "\nNog een zin.\n", "utf-8")
    live.search_due = None
    assert live.apply({path})
    assert live.searchable_changed and live.search_due is not None


def test_a_save_that_changes_no_indexed_text_does_not_run_the_indexer(
    live: LiveRebuilder, site: Path
) -> None:
    path = site / "content/partners/imec/nl.md"
    path.write_text(path.read_text(encoding="utf-8"), "utf-8")  # saved again, unchanged
    live.search_due = None
    live.apply({path})
    assert not live.searchable_changed and live.search_due is None
