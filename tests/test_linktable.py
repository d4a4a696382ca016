"""The link table gives every page the links, related lists and dependencies that reading the
model gives: it only changes where they are read from (render/linktable.py says why)."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.corpus import generate
from sitegen import pipeline
from sitegen.incremental.recording import Dep, NotedLinks, Recorder
from sitegen.model.site import Site
from sitegen.render.environment import LangTools
from sitegen.render.linktable import Link, LinkTable
from sitegen.schema.values import PartialDate
from tests.conftest import REPO, copy_site


def model_link(site: Site, path: str, lang: str, current: str = "") -> Link | None:
    """A link as the views read it from the model before the table."""
    version = site.link(path, lang)
    if version is None:
        return None
    page = site.pages[path]
    date = page.data.get("date")
    tools = LangTools(lang, site.config.language(lang).locale, {})
    return Link(
        version.text.title,
        version.url,
        version.text.description,
        version.text_lang,
        page.kind,
        tools.date(date) if isinstance(date, PartialDate) else "",
        date.iso() if isinstance(date, PartialDate) else "",
        path == current,
    )


def model_related(site: Site, path: str, lang: str) -> dict[str, tuple[Link, ...]]:
    page = site.pages[path]
    linked = [p for paths in page.outgoing.values() for p in paths]
    linked += [p for paths in page.incoming.values() for p in paths]
    groups: dict[str, list[str]] = {}
    for p in dict.fromkeys(linked):
        groups.setdefault(site.pages[p].kind, []).append(p)
    found = {}
    for kind, paths in sorted(groups.items()):
        ordered = sorted(paths, key=lambda p: (site.pages[p].position, p))
        found[kind] = tuple(link for p in ordered if (link := model_link(site, p, lang)))
    return found


def _recording(site: Site, seen: set[Dep]) -> Site:
    return Site(
        site.config,
        site.strings,
        Recorder(site.pages, seen, "p"),
        Recorder(site.versions, seen, "v"),
    )


@pytest.fixture(params=["real", "basic", "deep", "sparse", "untranslated"])
def model(request: pytest.FixtureRequest, tmp_path: Path) -> Site:
    if request.param == "real":
        root = REPO
    elif request.param in ("basic", "untranslated"):
        root = copy_site("basic", tmp_path / "site")
        if request.param == "untranslated":  # pages with no text in some languages
            for text in sorted((root / "content").rglob("fr.md"))[1::2]:
                text.unlink()
    else:
        root = generate(12, tmp_path / "corpus", shape=request.param).root
    site, _inputs, _diags = pipeline.load_site(root)
    return site


def test_every_link_and_related_list_is_what_the_model_gives(model: Site) -> None:
    table = LinkTable(model)
    langs = model.config.codes
    for path in [*model.pages, "no/such/page"]:
        for lang in langs:
            assert table.get(path, lang) == model_link(model, path, lang), (path, lang)
            assert table.get(path, lang, path) == model_link(model, path, lang, path)
    for path in model.pages:
        for lang in langs:
            related = list(table.related(path, lang).items())  # in order: pages list them so
            assert related == list(model_related(model, path, lang).items()), (path, lang)


def test_a_page_depends_on_the_keys_reading_the_model_would_read(model: Site) -> None:
    table = LinkTable(model)
    for path in [*model.pages, "no/such/page"]:
        for lang in model.config.codes:
            read: set[Dep] = set()
            model_link(_recording(model, read), path, lang)
            noted: set[Dep] = set()
            NotedLinks(table, noted).get(path, lang)
            assert noted == read, (path, lang)
            if path in model.pages:
                read, noted = set(), set()
                model_related(_recording(model, read), path, lang)
                NotedLinks(table, noted).related(path, lang)
                assert noted == read - {("p", path)}, (path, lang)  # the view reads its own page


def test_some_links_fall_back_and_some_pages_are_related(model: Site) -> None:
    """The comparisons above see the cases that matter, or they prove little."""
    table = LinkTable(model)
    assert any(table.related(p, model.config.default_language) for p in model.pages)
    if any(v.is_fallback for v in model.versions.values()):
        assert any(
            (link := table.get(v.path, v.lang)) is not None and link.lang != v.lang
            for v in model.versions.values()
        )
