"""Hostile or unlucky input: a message at the right line, never a traceback, nothing unsafe out.

Covers YAML bombs and broken values, pathological Markdown, file names that break checkouts,
symbolic links out of the site, raw HTML, mail addresses, escaping, and the dev server.
"""

from __future__ import annotations

import os
import resource
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from html.parser import HTMLParser
from pathlib import Path

import pytest

from sitegen.output.write import WriteError, safe_target
from sitegen.render.markdown.limits import MAX_TEXT_CHARS
from sitegen.serve.run import ServeState, make_app, resolve_request
from sitegen.source.yamlpos import MAX_NODES
from tests.conftest import Run, tree_bytes, write
from tests.test_serve import serving

IMEC = "content/partners/imec/en.md"
IMEC_DATA = "content/partners/imec/data.yaml"
NEWS_DATA = "content/timeline/2016-merger/data.yaml"
FRONT = "---\ntitle: imec\ndescription: x\n---\n"


def fails_with(run: Run, site: Path, location: str, words: str) -> str:
    code, _, err = run("build", "--site", site)
    assert code == 1, err
    assert "Traceback" not in err
    joined = err.replace("\n  hint:", " hint:")
    lines = [line for line in joined.splitlines() if line.startswith(location)]
    assert any(words in line for line in lines), err
    return err


def attribute_names(html: str) -> list[str]:
    names: list[str] = []

    class Parser(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            names.extend(name for name, _ in attrs)

    Parser().feed(html)
    return names


def builds(run: Run, site: Path) -> str:
    code, _, err = run("build", "--site", site)
    assert code == 0, err
    return err


LAUGHS = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{n}: &{n} [{', '.join([f'*{p}'] * 10)}]\n" for p, n in zip("abcdef", "bcdefg", strict=True)
)
BIG = "x: &a '" + "x" * 100_000 + "'\nsources: [" + ", ".join(["*a"] * 20) + "]\n"


@pytest.mark.parametrize(
    ("path", "text", "location", "words"),
    [
        (IMEC_DATA, LAUGHS, f"{IMEC_DATA}:", f"more than {MAX_NODES} values"),
        (IMEC_DATA, BIG, f"{IMEC_DATA}:", "expands to more than 1000000 characters"),
        (IMEC_DATA, "weight: " + "[" * 30 + "]" * 30, f"{IMEC_DATA}:1:", "nested more than 20"),
        (IMEC_DATA, "weight: " + "[" * 5000, f"{IMEC_DATA}:1:", "nesting depth"),
        (NEWS_DATA, "date: 2001-13-45\n", f"{NEWS_DATA}:1:7", "is not a date that exists"),
        (NEWS_DATA, "date: 0000-01-01\n", f"{NEWS_DATA}:1:7", "is not a date that exists"),
        (IMEC_DATA, "weight: " + "9" * 5000, f"{IMEC_DATA}:1:9", "is too long"),
        (IMEC, '---\ntitle: "a\\ud800"\n---\n', f"{IMEC}:2:", "half of a character pair"),
        (IMEC, '---\ntitle: "a\\x01"\n---\n', f"{IMEC}:2:8", "U+0001, written as an escape"),
        (IMEC, '---\ntitle: "a\\0"\n---\n', f"{IMEC}:2:8", "U+0000, written as an escape"),
        (IMEC, "---\ntitle: a\u2028b\n---\n", f"{IMEC}:2:9", "invisible character U+2028"),
        (IMEC, FRONT.replace("x\n", "x\ntitle: b\n"), f"{IMEC}:4:1", "'title' is written twice"),
        (IMEC, FRONT + "Line\x0bbreak\n", f"{IMEC}:5:5", "control character U+000B"),
        (IMEC, "---\ntitle: a\x01\n---\n", f"{IMEC}:2:9", "control character U+0001"),
        (IMEC, FRONT + "word " * 30_000, f"{IMEC}:", f"at most {MAX_TEXT_CHARS}"),
        (IMEC, FRONT + "x\n\n" + "[" * 1001, f"{IMEC}:7:1001", "more than 1000 '['"),
        (
            IMEC,
            FRONT + "*" * 20_000 + "x" + "*" * 20_000,
            f"{IMEC}:5:1",
            "20000 '*' characters in a row",
        ),
    ],
    ids=[
        "billion_laughs",
        "alias_expands_text",
        "deep_nesting",
        "deeper_than_libyaml",
        "impossible_date",
        "year_zero",
        "huge_number",
        "lone_surrogate_escape",
        "control_escape",
        "nul_escape",
        "line_separator",
        "duplicate_key",
        "vertical_tab_in_text",
        "control_in_yaml",
        "text_too_long",
        "too_many_brackets",
        "deep_emphasis",
    ],
)
def test_bad_input_is_a_message_with_its_limit_not_a_traceback(
    run: Run, site: Path, path: str, text: str, location: str, words: str
) -> None:
    write(site / path, text)
    start = time.monotonic()
    fails_with(run, site, location, words)
    assert time.monotonic() - start < 60


@pytest.mark.parametrize("placeholder", ["{0}", "{language.__class__.__mro__}", "{x[0]}"])
def test_ui_strings_take_only_named_placeholders(run: Run, site: Path, placeholder: str) -> None:
    strings = site / "content/strings.yaml"
    text = strings.read_text()
    assert "{original}." in text
    strings.write_text(text.replace("{original}.", placeholder + ".", 1))
    fails_with(run, site, "content/strings.yaml:", f"'{placeholder}' is not a named placeholder")


def test_an_alias_bomb_stays_within_a_gigabyte_of_memory(site: Path) -> None:
    """Once the message repeated a 1 MB value 5000 times: gigabytes, then a crash."""
    bomb = "x: &a '" + "x" * 1_000_000 + "'\ndate: [" + ", ".join(["*a"] * 5000) + "]\n"
    write(site / NEWS_DATA, bomb)

    def limit_memory() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))

    done = subprocess.run(
        [sys.executable, "-m", "sitegen", "build", "--site", str(site)],
        preexec_fn=limit_memory,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr[-2000:]
    assert f"{NEWS_DATA}:1:4: error: this YAML document expands to more than" in done.stderr


def test_bom_and_crlf_or_cr_line_endings_build_like_plain_text(run: Run, site: Path) -> None:
    page = site / IMEC
    text = page.read_text()
    builds(run, site)
    plain = tree_bytes(site / "build")
    for ending, bom in (("\r\n", True), ("\r", False)):
        page.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.replace("\n", ending).encode())
        builds(run, site)
        assert tree_bytes(site / "build") == plain


def test_pathological_text_within_the_limits_converts_in_seconds(run: Run, site: Path) -> None:
    write(site / IMEC, FRONT + "[" * 999 + "a" * 20_000 + "\n")
    write(site / "content/partners/vib/en.md", FRONT + "<a " * 999 + "\n\n" + ">" * 999 + "\n")
    write(site / "content/clusters/ict/en.md", FRONT + "*[A]: x\n" * 50 + "A b " * 20_000)
    start = time.monotonic()
    code, _, err = run("build", "--site", site)
    assert code in (0, 1) and "Traceback" not in err
    assert time.monotonic() - start < 60


@pytest.mark.parametrize(
    ("name", "location", "words"),
    [
        ("my partner", "content/partners/my partner:1:1", "rename the folder to 'my-partner'"),
        ("überlab", "content/partners/überlab:1:1", "rename the folder to 'uberlab'"),
        ("a..b", "content/partners/a..b:1:1", "may only hold a-z, 0-9"),
        ("Imec", "content/partners/imec:1:1", "'imec' and 'Imec' differ only in upper and lower"),
        ("con", "content/partners/con:1:1", "reserved on Windows"),
        ("lpt1", "content/partners/lpt1:1:1", "reserved on Windows"),
    ],
)
def test_folder_names_that_break_a_checkout_or_url_are_refused(
    run: Run, site: Path, name: str, location: str, words: str
) -> None:
    write(site / "content/partners" / name / "en.md", FRONT)
    fails_with(run, site, location, words)


def test_new_page_refuses_a_name_windows_cannot_store(run: Run, site: Path) -> None:
    code, _, err = run("new", "partner", "con", "--site", site)
    assert code == 1 and "reserved on Windows" in err
    assert not (site / "content/partners/con").exists()


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("aux.md", "reserved on Windows"),
        ("NUL.txt", "reserved on Windows"),
        ("photo.jpg.", "ends in a dot or space"),
        ("photo.jpg ", "ends in a dot or space"),
        ("my photo.jpg", "rename the file to 'my-photo.jpg'"),
        ("a:b.png", "may only hold letters"),
        ("EN.md", "must be written in lower case"),
        ("nl.MD", "must be written in lower case"),
        ("index.html", "would replace the page itself"),
    ],
)
def test_file_names_that_break_a_checkout_are_refused(
    run: Run, site: Path, name: str, words: str
) -> None:
    (site / "content/partners/imec" / name).write_bytes(FRONT.encode())
    fails_with(run, site, f"content/partners/imec/{name}:1:1", words)


def test_hidden_files_and_folders_are_left_out(run: Run, site: Path) -> None:
    write(site / "content/partners/.drafts/en.md", FRONT)
    write(site / "content/partners/imec/.notes.md", "not front matter")
    builds(run, site)
    assert not [p for p in (site / "build").rglob("*") if "drafts" in p.name or "notes" in p.name]


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    return write(tmp_path / "outside" / "secret.txt", "TOP SECRET\n")


@pytest.mark.parametrize(
    ("link", "words"),
    [
        ("content/partners/imec/secret.txt", "outside the site; it is not followed"),
        ("content/partners/imec/nl.md", "outside the site; it is not followed"),
        ("assets/secret.css", "outside the site; it is not followed"),
        ("templates/evil.html", "outside the site; it is not followed"),
        ("content/partners/outside", "outside the site; it is not followed"),
    ],
)
def test_symbolic_links_out_of_the_site_are_refused_and_never_shown(
    run: Run, site: Path, secret: Path, link: str, words: str
) -> None:
    target = secret.parent if link.endswith("outside") else secret
    (site / link).unlink(missing_ok=True)
    (site / link).symlink_to(target)
    err = fails_with(run, site, f"{link}:1:1", words)
    assert "TOP SECRET" not in err


def test_linked_folders_broken_links_and_pipes_are_refused(run: Run, site: Path) -> None:
    (site / "content/partners/loop").symlink_to("..")
    (site / "content/partners/imec/gone.png").symlink_to(site / "nowhere.png")
    os.mkfifo(site / "content/partners/imec/pipe.txt")
    err = fails_with(run, site, "content/partners/loop:1:1", "linked folders are not followed")
    assert "content/partners/imec/gone.png:1:1: error: this symbolic link points to nothing" in err
    assert "content/partners/imec/pipe.txt:1:1: error: this is not a regular file" in err


@pytest.mark.parametrize(
    ("field", "words"),
    [
        ("template: ../../../etc/passwd", "is not a file name in templates/"),
        ("template: /etc/passwd", "is not a file name in templates/"),
        ("slug: ../../x", "may only hold a-z, 0-9"),
        ("slug: /x", "may only hold a-z, 0-9"),
    ],
)
def test_paths_out_of_build_or_templates_are_refused(
    run: Run, site: Path, field: str, words: str
) -> None:
    write(site / IMEC, f"---\ntitle: imec\ndescription: x\n{field}\n---\n")
    fails_with(run, site, f"{IMEC}:4:", words)


@pytest.mark.parametrize("rel", ["/etc/passwd", "../x", "a/../../x", "a\\..\\x", "a\x00b", ""])
def test_no_output_path_lands_outside_the_build_folder(tmp_path: Path, rel: str) -> None:
    with pytest.raises(WriteError, match="outside the build folder"):
        safe_target(tmp_path, rel)


def test_broken_addresses_are_messages_not_tracebacks(run: Run, site: Path) -> None:
    write(site / IMEC, FRONT + '[a](https://[abc) and <a href="http://[::1">b</a>\n')
    fails_with(run, site, f"{IMEC}:5:5", "link to 'https://[abc' does not match")
    write(site / IMEC_DATA, "website: https://[abc\n")
    fails_with(run, site, f"{IMEC_DATA}:1:10", "'website' must be a web address")
    assert run("build", "--site", site, "--base-url", "https://[x")[0] == 2


def test_output_folder_inside_the_sources_is_a_usage_error(run: Run, site: Path) -> None:
    assert run("build", "--site", site, "--out", site / "content/build")[0] == 2
    assert not (site / "content/build").exists()


RAW_HTML = """Intro.

<script>alert(1)</script>

<p onclick="steal()" style="color:red">Pasted</p>

[click](javascript:alert(2)) and <a href="https://example.org/x">raw link</a>

<iframe src="https://evil.example/frame"></iframe>

<iframe src="https://www.youtube-nocookie.com/embed/abc" title="Video"></iframe>

<details><summary>More</summary><abbr title="World Health Organization">WHO</abbr></details>

<figure><img src="x.png" alt="x" onerror="alert(3)"><figcaption>Caption</figcaption></figure>

| a | b |
|:--|--:|
| 1 | 2 |
"""


def test_raw_html_is_sanitized_with_a_warning_at_each_line(run: Run, site: Path) -> None:
    write(site / IMEC, FRONT + RAW_HTML)
    err = builds(run, site)
    for location, words in [
        (f"{IMEC}:7:1: warning:", "removed <script>"),
        (f"{IMEC}:9:4: warning:", "'onclick'"),
        (f"{IMEC}:9:", "'style'"),
        (f"{IMEC}:11:9: warning:", "'javascript:' addresses are not allowed"),
        (f"{IMEC}:13:14: warning:", "only www.youtube-nocookie.com may be embedded"),
        (f"{IMEC}:19:", "'onerror'"),
    ]:
        assert any(line.startswith(location) and words in line for line in err.splitlines()), err
    html = (site / "build/en/partners/imec/index.html").read_text()
    body = html.split("Intro.")[1]
    for gone in ("<script", "alert(", "onclick", "steal", "color:red", "onerror", "evil.example"):
        assert gone not in body
    for kept in (
        "<details><summary>More</summary>",
        '<abbr title="World Health Organization">WHO</abbr>',
        "<figcaption>Caption</figcaption>",
        'src="https://www.youtube-nocookie.com/embed/abc"',
        '<th style="text-align: left;">a</th>',
        '<a rel="noopener" href="https://example.org/x">raw link</a>',
    ):
        assert kept in body


def test_front_matter_and_data_are_always_escaped(run: Run, site: Path) -> None:
    evil = "<script>alert(1)</script>"
    write(site / IMEC, f'---\ntitle: "{evil}"\ndescription: "a \\" onload=x"\n---\nText.\n')
    write(site / NEWS_DATA, "date: 2016-09-21\n")
    write(
        site / "content/timeline/2016-merger/en.md", f'---\ntitle: "{evil}"\ndescription: d\n---\n'
    )
    write(site / IMEC_DATA, f"sources:\n  - title: '{evil}'\n    url: https://example.org/\n")
    builds(run, site)
    for page in ("en/partners/imec/index.html", "en/timeline/2016-merger/index.html"):
        html = (site / "build" / page).read_text()
        assert evil not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
        assert not [a for a in attribute_names(html) if a.startswith("on")]
    assert evil not in (site / "build/en/feed.xml").read_text()


@pytest.mark.parametrize(
    ("body", "location"),
    [
        ("Write to [us](mailto:info@example.org).", f"{IMEC}:5:22"),
        ("Write to info@example.org today.", f"{IMEC}:5:10"),
        ("Write to <info@example.org>.", f"{IMEC}:5:11"),
        ('Write to <a href="mailto:info@example.org">us</a>.', f"{IMEC}:5:26"),
    ],
)
def test_mail_addresses_are_not_published_unless_data_allows_it(
    run: Run, site: Path, body: str, location: str
) -> None:
    write(site / IMEC, FRONT + body + "\n")
    err = fails_with(run, site, location, "the mail address 'info@example.org' would be published")
    assert "publish_email: true" in err
    write(site / IMEC_DATA, "publish_email: true\n")
    builds(run, site)
    assert "info@example.org" in (site / "build/en/partners/imec/index.html").read_text()


def test_external_links_get_noopener_in_text_and_templates(run: Run, site: Path) -> None:
    write(site / IMEC, FRONT + "See [the lab](https://example.org/lab).\n")
    builds(run, site)
    html = (site / "build/en/partners/imec/index.html").read_text()
    assert '<a href="https://example.org/lab" rel="noopener">' in html
    assert 'href="https://www.imec-int.com" rel="noopener"' in html


@pytest.fixture
def built(run: Run, site: Path) -> Path:
    builds(run, site)
    write(site / "secret.txt", "TOP SECRET\n")
    return site / "build"


@pytest.mark.parametrize(
    "url",
    [
        "/../secret.txt",
        "/%2e%2e/secret.txt",
        "/en/%2e%2e/%2e%2e/secret.txt",
        "/en%2f..%2f..%2fsecret.txt",
        "/en/..%5c..%5csecret.txt",
        "/%252e%252e/secret.txt",
        "//etc/passwd",
        "/etc/passwd",
        "/en/%00",
        "/" + "a" * 5000,
        "/" + "a/" * 3000,
    ],
)
def test_dev_server_never_serves_outside_the_build(built: Path, url: str) -> None:
    target, redirect = resolve_request(built, url)
    assert redirect is None
    assert target is None or target.resolve().is_relative_to(built.resolve())
    statuses: list[str] = []
    body = b"".join(
        make_app(built, ServeState())({"PATH_INFO": url}, lambda s, h: statuses.append(s))
    )
    assert statuses[0].startswith("404") and b"TOP SECRET" not in body


def test_dev_server_redirects_only_within_itself(built: Path) -> None:
    assert resolve_request(built, "//en") == (None, "/en/")
    assert resolve_request(built, "/en/partners") == (None, "/en/partners/")


def listening_addresses(port: int) -> set[str]:
    """Local addresses with a listening socket on port, from /proc/net/tcp (Linux)."""
    found = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        local, state = line.split()[1], line.split()[3]
        address, port_hex = local.split(":")
        if state == "0A" and int(port_hex, 16) == port:
            found.add(socket.inet_ntoa(bytes.fromhex(address)[::-1]))
    return found


def get(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            response.read()
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return exc.code


def test_dev_server_binds_loopback_and_survives_a_burst(site: Path, tmp_path: Path) -> None:
    log = tmp_path / "serve.log"
    with serving(site, log) as base:
        port = int(base.rsplit(":", 1)[1])
        if Path("/proc/net/tcp").exists():
            assert listening_addresses(port) == {"127.0.0.1"}
        urls = [base + u for u in ("/en/", "/nl/partners/imec/", "/../x", "/nope/")] * 50
        with ThreadPoolExecutor(max_workers=200) as pool:
            statuses = list(pool.map(get, urls))
        assert sorted(set(statuses)) == [200, 404] and len(statuses) == 200
        assert get(base + "/en/") == 200
    assert b"Traceback" not in log.read_bytes()
