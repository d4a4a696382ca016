"""A whole site built from content/ to build/: URLs, translations, relations, output."""

from __future__ import annotations

import re
from pathlib import Path

from tests.conftest import Run, tree_bytes, write


def build(run: Run, site: Path, *extra: str | Path) -> Path:
    code, _, err = run("build", "--site", site, *extra)
    assert code == 0, err
    args = list(extra)
    return Path(args[args.index("--out") + 1]) if "--out" in args else site / "build"


def test_pages_get_clean_urls_per_language(run: Run, site: Path) -> None:
    out = build(run, site)
    for lang in ("en", "nl", "fr", "de"):
        assert (out / lang / "index.html").is_file()
    assert (out / "en/partners/imec/index.html").is_file()
    assert (out / "nl/clusters/ict/index.html").is_file()


def test_translation_slug_changes_the_url_of_the_section_and_its_children(
    run: Run, site: Path
) -> None:
    out = build(run, site)
    assert (out / "fr/partenaires/imec/index.html").is_file()
    assert not (out / "fr/partners").exists()


def test_language_switcher_links_to_the_same_page_in_each_language(run: Run, site: Path) -> None:
    html = (build(run, site) / "nl/partners/imec/index.html").read_text()
    switcher = re.findall(r'<a href="([^"]+)" hreflang="(\w+)" lang="\w+"', html)
    assert dict((lang, url) for url, lang in switcher) == {
        "en": "/en/partners/imec/",
        "nl": "/nl/partners/imec/",
        "fr": "/fr/partenaires/imec/",
        "de": "/de/partners/imec/",
    }


def test_missing_translation_is_published_with_notice(run: Run, site: Path) -> None:
    html = (build(run, site) / "de/partners/imec/index.html").read_text()
    assert '<html lang="de">' in html
    assert "Diese Seite ist noch nicht auf Deutsch verfügbar" in html
    assert '<article lang="en">' in html
    assert '<link rel="canonical" href="https://example.org/en/partners/imec/">' in html
    assert 'hreflang="de" href=' not in html.split("</head>")[0]
    assert "Hauptmenü" in html  # the chrome is German


def test_real_translation_has_its_own_canonical_and_hreflang(run: Run, site: Path) -> None:
    html = (build(run, site) / "nl/partners/imec/index.html").read_text()
    head = html.split("</head>")[0]
    assert '<link rel="canonical" href="https://example.org/nl/partners/imec/">' in head
    assert (
        '<link rel="alternate" hreflang="nl" href="https://example.org/nl/partners/imec/">' in head
    )
    assert 'hreflang="x-default" href="https://example.org/en/partners/imec/"' in head
    assert "nog niet beschikbaar" not in html


def test_fallback_omit_leaves_page_out_and_links_go_to_original(run: Run, site: Path) -> None:
    config = site / "content/site.yaml"
    config.write_text(config.read_text().replace("fallback: publish", "fallback: omit"))
    out = build(run, site)
    assert not (out / "de/partners/imec").exists()
    home = (out / "de/index.html").read_text()
    assert 'href="/en/partners/imec/"' in home


def test_markdown_links_by_content_path_point_to_the_same_language(run: Run, site: Path) -> None:
    out = build(run, site)
    assert 'href="/nl/partners/imec/"' in (out / "nl/index.html").read_text()
    assert 'href="/fr/partenaires/imec/"' in (out / "fr/index.html").read_text()
    assert 'href="/nl/clusters/ict/"' in (out / "nl/partners/imec/index.html").read_text()


def test_relations_are_listed_both_ways(run: Run, site: Path) -> None:
    out = build(run, site)
    cluster = (out / "en/clusters/life-sciences/index.html").read_text()
    assert 'href="/en/partners/imec/"' in cluster and 'href="/en/partners/vib/"' in cluster
    partner = (out / "nl/partners/imec/index.html").read_text()
    assert 'href="/nl/clusters/ict/"' in partner and 'href="/nl/clusters/life-sciences/"' in partner
    assert 'href="/nl/timeline/2016-merger/"' in partner


def test_dates_are_formatted_per_locale(run: Run, site: Path) -> None:
    out = build(run, site)
    assert "21 September 2016" in (out / "en/timeline/2016-merger/index.html").read_text()
    assert "21 september 2016" in (out / "nl/timeline/2016-merger/index.html").read_text()
    assert "21 septembre 2016" in (out / "fr/timeline/2016-merger/index.html").read_text()
    assert "21. September 2016" in (out / "de/timeline/2016-merger/index.html").read_text()


def test_assets_are_fingerprinted_and_referenced(run: Run, site: Path) -> None:
    out = build(run, site)
    css = list((out / "assets/css").glob("site.*.css"))
    assert len(css) == 1 and re.fullmatch(r"site\.[0-9a-f]{10}\.css", css[0].name)
    assert f'href="/assets/css/{css[0].name}"' in (out / "en/index.html").read_text()
    (site / "assets/css/site.css").write_text("body { color: red; }\n")
    out = build(run, site)
    assert not (out / "assets/css" / css[0].name).exists()


def test_sitemap_lists_real_translations_with_hreflang(run: Run, site: Path) -> None:
    sitemap = (build(run, site) / "sitemap.xml").read_text()
    assert "<loc>https://example.org/nl/partners/imec/</loc>" in sitemap
    assert "<loc>https://example.org/de/partners/imec/</loc>" not in sitemap
    assert 'hreflang="nl" href="https://example.org/nl/partners/imec/"' in sitemap
    robots = (site / "build/robots.txt").read_text()
    assert "Sitemap: https://example.org/sitemap.xml" in robots


def test_root_is_a_language_chooser_with_hreflang(run: Run, site: Path) -> None:
    html = (build(run, site) / "index.html").read_text()
    for lang in ("en", "nl", "fr", "de"):
        assert f'<a href="/{lang}/" hreflang="{lang}">' in html
    assert 'hreflang="x-default" href="https://example.org/"' in html
    assert "<script" not in html


def test_each_language_has_its_own_404(run: Run, site: Path) -> None:
    out = build(run, site)
    assert "Page introuvable" in (out / "fr/404.html").read_text()
    assert "Seite nicht gefunden" in (out / "de/404.html").read_text()


def test_atom_feed_per_language_lists_news(run: Run, site: Path) -> None:
    feed = (build(run, site) / "fr/feed.xml").read_text()
    assert "https://example.org/fr/timeline/2016-merger/" in feed
    assert "<updated>2016-09-21T00:00:00Z</updated>" in feed


def test_base_url_with_subpath_prefixes_every_link(run: Run, site: Path) -> None:
    out = build(run, site, "--base-url", "https://example.org/leuven/")
    html = (out / "nl/partners/imec/index.html").read_text()
    assert 'href="/leuven/nl/clusters/ict/"' in html
    assert 'href="/leuven/assets/css/' in html
    assert "https://example.org/leuven/nl/partners/imec/" in html
    assert not re.search(r'href="/(en|nl|fr|de|assets)/', html)


def test_files_in_a_page_folder_are_copied_beside_the_page(run: Run, site: Path) -> None:
    write(site / "content/partners/imec/map.svg", "<svg xmlns='http://www.w3.org/2000/svg'/>")
    page = site / "content/partners/imec/en.md"
    page.write_text(page.read_text() + "\n![A map of the site](map.svg)\n")
    out = build(run, site)
    assert (out / "en/partners/imec/map.svg").is_file()
    assert (out / "fr/partenaires/imec/map.svg").is_file()


def test_two_builds_are_byte_identical(run: Run, site: Path, tmp_path: Path) -> None:
    first = tree_bytes(build(run, site, "--out", tmp_path / "a"))
    second = tree_bytes(build(run, site, "--out", tmp_path / "b"))
    assert first == second and len(first) > 30
