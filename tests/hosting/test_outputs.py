"""What a build gives a host, without a server: compressed files, host rules, the manifest."""

from __future__ import annotations

import gzip
import hashlib
import json
import shutil
from pathlib import Path

import brotli

from sitegen.output.compress import compress_tree
from tests.conftest import Run, tree_bytes, write

TEXT = (".html", ".css", ".js", ".xml", ".txt", ".svg", ".json")


def build(run: Run, site: Path, *extra: str | Path) -> Path:
    """A build for a host that serves precompressed siblings (nginx, GitLab Pages)."""
    code, _, err = run("build", "--site", site, "--no-search", "--precompress", *extra)
    assert code == 0, err
    return site / "build"


def test_text_files_get_br_and_gz_siblings_that_unpack_to_the_same_bytes(
    run: Run, site: Path
) -> None:
    out = build(run, site)
    texts = [p for p in out.rglob("*") if p.suffix in TEXT]
    assert len(texts) > 20
    for path in texts:
        data = path.read_bytes()
        br, gz = path.with_name(path.name + ".br"), path.with_name(path.name + ".gz")
        if br.exists():
            assert brotli.decompress(br.read_bytes()) == data, path
        if gz.exists():
            assert gzip.decompress(gz.read_bytes()) == data, path
    for page in out.rglob("index.html"):
        assert page.with_name("index.html.br").is_file(), page
        assert page.with_name("index.html.gz").is_file(), page


def test_two_builds_give_the_same_bytes_with_or_without_the_cache(run: Run, site: Path) -> None:
    first = tree_bytes(build(run, site))
    shutil.rmtree(site / ".sitegen-cache", ignore_errors=True)
    cold = tree_bytes(build(run, site))
    warm = tree_bytes(build(run, site))
    assert first == cold == warm
    assert any(name.endswith(".gz") for name in first)


def test_gzip_files_carry_no_timestamp_or_file_name(run: Run, site: Path) -> None:
    for path in build(run, site).rglob("*.gz"):
        header = path.read_bytes()[:10]
        assert header[4:8] == b"\0\0\0\0", path  # MTIME
        assert header[3] & 0x08 == 0, path  # FNAME flag


def test_only_text_worth_compressing_gets_siblings(tmp_path: Path) -> None:
    write(tmp_path / "page.html", "<p>" + "Leuven inside " * 200 + "</p>")
    (tmp_path / "logo.png").write_bytes(b"\x89PNG" + bytes(range(256)) * 20)
    write(tmp_path / "tiny.txt", "x")
    assert compress_tree(tmp_path) == 2
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["logo.png", "page.html", "page.html.br", "page.html.gz", "tiny.txt"]


def test_manifest_beside_the_build_lists_every_published_file_with_its_sha256(
    run: Run, site: Path
) -> None:
    out = build(run, site, "--base-url", "https://example.org/sub/")
    manifest = json.loads((site / "build.manifest.json").read_text())
    expected = {
        p.relative_to(out).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in out.rglob("*")
        if p.is_file()
    }
    assert manifest["files"] == expected
    assert manifest["base_url"] == "https://example.org/sub/"
    assert not list(out.rglob("*manifest*"))


def test_failed_build_keeps_the_manifest_of_the_published_build(run: Run, site: Path) -> None:
    build(run, site)
    before = (site / "build.manifest.json").read_bytes()
    write(site / "content/partners/imec/en.md", "---\ntitle: [unclosed\n---\n")
    code, _, _ = run("build", "--site", site, "--no-search")
    assert code == 1
    assert (site / "build.manifest.json").read_bytes() == before


def test_changes_lists_only_what_to_upload_and_what_to_delete(run: Run, site: Path) -> None:
    build(run, site)
    online = shutil.copy(site / "build.manifest.json", site / "online.json")
    imec = site / "content/partners/imec/en.md"
    imec.write_text(imec.read_text() + "\nOne more sentence.\n")
    shutil.rmtree(site / "content/timeline/2016-merger")
    build(run, site)
    code, out, err = run("hosting", "changes", online, site / "build.manifest.json")
    assert code == 0, err
    lines = out.splitlines()
    uploads = {line.removeprefix("upload ") for line in lines if line.startswith("upload ")}
    deletes = {line.removeprefix("delete ") for line in lines if line.startswith("delete ")}
    assert {"en/partners/imec/index.html", "en/partners/imec/index.html.br"} <= uploads
    assert "en/timeline/2016-merger/index.html" in deletes
    assert not any(name.startswith("assets/") for name in uploads)
    assert f"{len(uploads)} to upload, {len(deletes)} to delete" in err


def test_changes_refuses_a_file_that_is_not_a_manifest(run: Run, tmp_path: Path) -> None:
    write(tmp_path / "a.json", '{"files": []}')
    code, _, err = run("hosting", "changes", tmp_path / "a.json", tmp_path / "a.json")
    assert code == 2
    assert "is not a sitegen manifest" in err


def test_headers_file_protects_every_page_and_caches_only_assets_for_a_year(
    run: Run, site: Path
) -> None:
    text = (build(run, site, "--base-url", "https://example.org/sub/") / "_headers").read_text()
    rules: dict[str, list[str]] = {}
    path = ""
    for line in text.splitlines():
        if line.startswith(" "):
            rules[path].append(line.strip())
        else:
            path = line
            rules[path] = []
    assert set(rules) == {"/sub/*", "/sub/assets/*"}
    assert any(h.startswith("Content-Security-Policy: default-src 'self'") for h in rules["/sub/*"])
    assert "X-Content-Type-Options: nosniff" in rules["/sub/*"]
    assert not any(h.startswith("Cache-Control") for h in rules["/sub/*"])
    assert rules["/sub/assets/*"] == ["Cache-Control: public, max-age=31536000, immutable"]


def test_redirects_file_answers_each_language_with_its_own_404_page(run: Run, site: Path) -> None:
    out = build(run, site)
    rules = [line.split() for line in (out / "_redirects").read_text().splitlines()]
    assert ["/fr/*", "/fr/404.html", "404"] in rules
    assert rules[-1] == ["/*", "/en/404.html", "404"], "the catch-all comes last"
    assert (out / "404.html").read_bytes() == (out / "en/404.html").read_bytes()


def test_nginx_command_prints_a_server_block_for_the_site(run: Run, site: Path) -> None:
    code, out, err = run(
        "hosting", "nginx", "--site", site, "--root", "/srv/leuven", "--port", "8080",
        "--prefix", "leuven-inside",
    )  # fmt: skip
    assert code == 0, err
    assert "listen 8080;" in out
    assert "location /leuven-inside/ {" in out and "alias /srv/leuven/;" in out
    for lang in ("en", "nl", "fr", "de"):
        assert f"/leuven-inside/{lang}/404.html;" in out
    assert "absolute_redirect off;" in out and "gzip_static on;" in out


def test_nginx_command_refuses_a_bad_port_or_folder(run: Run, site: Path) -> None:
    code, _, err = run("hosting", "nginx", "--site", site, "--port", "eighty")
    assert code == 2 and "'eighty' is not a port number" in err
    code, _, err = run("hosting", "nginx", "--site", site, "--root", "/srv/my site")
    assert code == 2 and "cannot go into an nginx config" in err
