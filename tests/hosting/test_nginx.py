"""The real site on a real nginx, configured by `sitegen hosting nginx`, checked over HTTP."""

from __future__ import annotations

import gzip

import brotli
import pytest

from sitegen.output.hosting import IMMUTABLE
from tests.hosting.conftest import Hosted
from tests.hosting.server import Response, get

LANGS = ("en", "nl", "fr", "de")
BROTLI = {"Accept-Encoding": "gzip, deflate, br, zstd"}


def test_every_page_answers_200_at_its_clean_url(served: Hosted) -> None:
    pages = served.pages()
    assert len(pages) > 200, "the real site should have a few hundred pages"
    wrong = []
    for page in pages:
        response = get(served.url(page))
        expected = (served.build / page / "index.html").read_bytes()
        if response.status != 200 or response.body != expected:
            wrong.append(f"{page}: {response.status}")
        elif not response.header("content-type").startswith("text/html; charset=utf-8"):
            wrong.append(f"{page}: {response.header('content-type')}")
    assert wrong == []


def test_url_without_trailing_slash_redirects_to_the_slash_form_on_the_same_host(
    served: Hosted,
) -> None:
    wrong = []
    for page in served.pages():
        slashless = (served.prefix + page).rstrip("/")
        if not slashless:
            continue  # the root of a site at / has no form without the slash
        response = get(served.origin + slashless)
        location = response.header("location")
        if response.status != 301 or location not in (
            slashless + "/",
            served.origin + slashless + "/",
        ):
            wrong.append(f"{slashless}: {response.status} {location}")
    assert wrong == []


@pytest.mark.parametrize("lang", LANGS)
def test_missing_page_answers_404_with_the_404_page_of_its_language(
    served: Hosted, lang: str
) -> None:
    expected = (served.build / lang / "404.html").read_bytes()
    assert f'<html lang="{lang}"'.encode() in expected
    for path in (f"{lang}/no-such-page/", f"{lang}/no-such-page", f"{lang}/a/b/c.html"):
        response = get(served.url(path))
        assert (response.status, response.body) == (404, expected), path
        assert response.header("cache-control") == "no-cache"


def test_missing_page_outside_the_languages_gets_the_default_404(served: Hosted) -> None:
    response = get(served.url("no-such-page/"))
    assert response.status == 404
    assert response.body == (served.build / "en" / "404.html").read_bytes()


def test_a_folder_without_a_page_is_a_404_not_a_403(served: Hosted) -> None:
    response = get(served.url("assets/"))
    assert response.status == 404
    assert "immutable" not in response.header("cache-control")


def test_front_page_serves_the_language_chooser_without_a_preference(served: Hosted) -> None:
    for headers in ({}, {"Accept-Language": "es-ES,es;q=0.9"}):
        response = get(served.url(), headers)
        assert response.status == 200
        assert response.body == (served.build / "index.html").read_bytes()
        assert "Accept-Language" in response.header("vary")


@pytest.mark.parametrize(
    ("accept", "lang"), [("fr-BE,fr;q=0.9,en;q=0.8", "fr"), ("nl", "nl"), ("de-DE", "de")]
)
def test_front_page_sends_a_visitor_to_their_language(
    served: Hosted, accept: str, lang: str
) -> None:
    response = get(served.url(), {"Accept-Language": accept})
    assert response.status == 302
    assert response.header("location") == f"{served.prefix}{lang}/"
    assert "Accept-Language" in response.header("vary")


def test_fingerprinted_assets_are_cached_for_a_year_and_pages_are_not(served: Hosted) -> None:
    assets = sorted(p for p in (served.build / "assets").rglob("*") if p.is_file())
    originals = [p for p in assets if p.suffix not in (".br", ".gz")]
    assert originals
    for path in originals:
        response = get(served.url(path.relative_to(served.build).as_posix()))
        assert response.status == 200, path
        assert response.header("cache-control") == IMMUTABLE, path
    for page in ("", "en/", "fr/", f"{served.pages()[-1]}"):
        cache = get(served.url(page)).header("cache-control")
        assert cache == "no-cache", page
    feed = get(served.url("en/feed.xml"))
    assert feed.status == 200 and feed.header("cache-control") == "no-cache"


def _assert_security_headers(response: Response, what: str) -> None:
    policy = response.header("content-security-policy")
    directives = {d.split()[0]: d.split()[1:] for d in policy.split(";") if d.strip()}
    assert directives.get("default-src") == ["'self'"], what
    assert "'self'" in directives.get("script-src", []), what
    for sources in directives.values():
        assert "'unsafe-inline'" not in sources and "'unsafe-eval'" not in sources, what
    assert directives.get("object-src") == ["'none'"], what
    assert directives.get("frame-ancestors") == ["'none'"], what
    assert response.header("x-content-type-options") == "nosniff", what
    assert response.header("referrer-policy") == "strict-origin-when-cross-origin", what


def test_security_headers_are_sent_with_pages_assets_redirects_and_errors(served: Hosted) -> None:
    css = next((served.build / "assets").rglob("*.css")).relative_to(served.build).as_posix()
    for path in ("", "en/", "fr/clusters", css, "en/feed.xml", "fr/missing/"):
        _assert_security_headers(get(served.url(path)), path)


def test_files_for_other_hosts_are_not_served(served: Hosted) -> None:
    assert (served.build / "_headers").is_file() and (served.build / "_redirects").is_file()
    assert get(served.url("_headers")).status == 404
    assert get(served.url("_redirects")).status == 404


def _sample_text_files(served: Hosted) -> list[str]:
    css = next((served.build / "assets").rglob("*.css"))
    return [
        "en/index.html",
        "fr/index.html",
        css.relative_to(served.build).as_posix(),
        "sitemap.xml",
        "en/feed.xml",
    ]


def test_brotli_clients_get_the_precompressed_br_file(served: Hosted) -> None:
    for rel in _sample_text_files(served):
        plain = (served.build / rel).read_bytes()
        packed = (served.build / f"{rel}.br").read_bytes()
        url = served.url(rel.removesuffix("index.html"))
        response = get(url, BROTLI)
        assert response.status == 200, rel
        assert response.header("content-encoding") == "br", rel
        assert response.body == packed and brotli.decompress(response.body) == plain, rel
        assert "Accept-Encoding" in response.header("vary"), rel
        plain_type = get(url).header("content-type")
        assert response.header("content-type") == plain_type, rel


def test_gzip_only_clients_get_the_gz_file_and_others_the_plain_one(served: Hosted) -> None:
    for rel in _sample_text_files(served):
        plain = (served.build / rel).read_bytes()
        url = served.url(rel.removesuffix("index.html"))
        zipped = get(url, {"Accept-Encoding": "gzip"})
        assert zipped.header("content-encoding") == "gzip", rel
        assert zipped.body == (served.build / f"{rel}.gz").read_bytes(), rel
        assert gzip.decompress(zipped.body) == plain, rel
        identity = get(url)
        assert identity.header("content-encoding") == "" and identity.body == plain, rel


def test_the_404_page_is_sent_compressed_with_status_404(served: Hosted) -> None:
    response = get(served.url("fr/no-such-page/"), BROTLI)
    assert (response.status, response.header("content-encoding")) == (404, "br")
    assert brotli.decompress(response.body) == (served.build / "fr" / "404.html").read_bytes()


def test_subpath_site_has_no_link_outside_its_prefix(hosted: dict[str, Hosted]) -> None:
    sub = hosted["sub"]
    leaks = []
    for page in sub.pages():
        html = (sub.build / page / "index.html").read_text()
        for attr in ('href="/', 'src="/', 'srcset="/', 'content="/'):
            start = 0
            while (found := html.find(attr, start)) >= 0:
                start = found + len(attr)
                value = "/" + html[start:].split('"', 1)[0]
                if not value.startswith(sub.prefix):
                    leaks.append(f"{page}: {value}")
    assert leaks == []
    assert get(sub.origin + sub.prefix.rstrip("/")).header("location") == sub.prefix
