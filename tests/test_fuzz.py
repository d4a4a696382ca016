"""Generated input: whatever bytes, YAML, Unicode or names end up in a site, the build ends in
success or in `path:line:col: error:` messages with exit status 1; never a traceback or a hang,
never a file outside build/, never a script in the output.

`make test` runs a bounded, repeatable set of cases; `make fuzz` (SITEGEN_FUZZ=long) runs many
more, new ones each time.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import os
import re
import shutil
import time
from collections.abc import Iterator
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from sitegen.cli import main
from sitegen.render.markdown.sanitize import URL_SCHEMES, make_cleaner, sanitize
from sitegen.serve.run import resolve_request
from sitegen.source.names import SLUG, WINDOWS_RESERVED
from sitegen.source.yamlpos import parse_yaml
from tests.conftest import REPO, write

PROFILES = {
    "bounded": settings(
        max_examples=120,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    ),
    "long": settings(
        max_examples=3000,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    ),
}
FUZZ = PROFILES[os.environ.get("SITEGEN_FUZZ", "bounded")]
FAST = settings(FUZZ, max_examples=FUZZ.max_examples * 3)  # pure functions: cheap cases

ERROR_LINE = re.compile(r"^\S.*:[1-9]\d*:[1-9]\d*: error: \S", re.MULTILINE)
PAGE = "---\ntitle: Fuzzed page\ndescription: 'A page: \"quoted\"'\ndraft: false\n---\nText.\n"
KNOWN = ("build", "content", "templates", "assets", ".sitegen-cache")
KNOWN_FILES = (".build.lock", "build.manifest.json")
KNOWN_FOLDERS = (".build.spare",)  # the build before last, staged into next time

SPECIALS = [
    "\u202e", "\u200f", "שלום", "مرحبا", "e\u0301\u0301", "\x00", "\ufeff", "\r\n", "\r",
    "\n", "\t", "\u2028", "\x85", "\x0b", "\ud800", "\\ud800", "\\x01", "\\0", "[", "](", "<",
    ">", "*", "_", "`", "#", "> ", "- ", "1. ", "|", ":", "&", "&#0;", "{{ page }}", "{% if %}",
    "---", "...", "<script>alert(1)</script>", '<a href="javascript:x">', "<p onclick=x>",
    "[x](javascript:alert(1))", "[x](/partners/nope)", "mailto:a@b.org", "*[A]: abbr\n",
    "<details><summary>s</summary>", "<iframe src=//evil>", "a" * 300, "[^1]", "\n[^1]: n\n",
    "(https://[x)", '<a href="http://[::1">', '<img src="https://x:99999/">', "](<>)",
]  # fmt: skip
YAML_TOKENS = [
    "&a ", "*a", "&b ", "*b", "<<: ", "!!", "!!python/object:os.system ", "? ", "- ", ": ",
    "[", "]", "{", "}", ", ", "\n", "  ", "\t", "'", '"', "|", ">", "# c", "%YAML 1.1\n",
    "---\n", "...\n", "\\u", "\\ud800", "\\x01", "\\", "title", "description", "date",
    "sources", "url", "2001-13-45", "2016-09-21", "9" * 30, ".inf", "~", "null", "yes",
    "1:2:3", "0x1F", "=", "\u2028", "é",
]  # fmt: skip


@pytest.fixture(scope="module")
def fuzz_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A one-language site with two pages: small, so each generated case builds quickly."""
    root = tmp_path_factory.mktemp("fuzz") / "site"
    write(
        root / "content/site.yaml",
        "name: Fuzz\nbase_url: https://example.org/\ndefault_language: en\n"
        "languages:\n  - {code: en, name: English, locale: en_GB}\n",
    )
    write(root / "content/en.md", "---\ntitle: Home\ndescription: Home.\n---\nHome.\n")
    shutil.copy(REPO / "content/strings.yaml", root / "content/strings.yaml")
    shutil.copytree(REPO / "templates", root / "templates")
    shutil.copytree(REPO / "assets", root / "assets")
    return root


def test_the_fuzz_site_itself_builds(fuzz_site: Path) -> None:
    assert "error" not in build_ends_cleanly(fuzz_site)


def outside_build(root: Path) -> set[str]:
    """Everything the build may have written beside its sources and build/: should be nothing.

    A replaced build is removed in the background (.build.trash-*): it must be gone soon."""
    deadline = time.monotonic() + 10
    while any(root.glob(".build.trash-*")) and time.monotonic() < deadline:
        time.sleep(0.02)
    found = {p.name for p in root.parent.iterdir() if p != root}
    found |= {p.name for p in root.iterdir() if p.name not in KNOWN + KNOWN_FILES + KNOWN_FOLDERS}
    return found


@contextlib.contextmanager
def files(root: Path, contents: dict[str, bytes]) -> Iterator[None]:
    """Write files into the site for one case; afterwards put back what was there before."""
    paths = [root / rel for rel in contents]
    saved = {path: path.read_bytes() for path in paths if path.is_file()}
    try:
        for path, data in zip(paths, contents.values(), strict=True):
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        yield
    finally:
        for path in paths:
            path.unlink(missing_ok=True)
        for path, data in saved.items():
            path.write_bytes(data)
        folders = {p for path in paths for p in path.parents if p.is_relative_to(root / "content")}
        for folder in sorted(folders, key=lambda p: len(p.parts), reverse=True):
            with contextlib.suppress(OSError):
                folder.rmdir()  # only when empty: content/ itself keeps its files


def build_ends_cleanly(root: Path) -> str:
    """Build in-process; any exception fails the test with the case that raised it."""
    before = outside_build(root)
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = main(["build", "--site", str(root), "--no-cache", "--no-search"])
    text = err.getvalue()
    assert code in (0, 1), text
    assert "Traceback" not in text
    assert (code == 1) == bool(ERROR_LINE.search(text)), text
    assert outside_build(root) == before
    return text


def encode(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass")  # a lone surrogate becomes invalid UTF-8


unicode_text = st.lists(
    st.one_of(
        st.sampled_from(SPECIALS), st.text(st.characters(exclude_categories=()), max_size=20)
    ),
    max_size=40,
).map("".join)


@FUZZ
@given(
    st.one_of(
        st.binary(max_size=2000),
        st.builds(
            lambda front, body: encode(front + body), st.sampled_from([PAGE, ""]), unicode_text
        ),
    )
)
def test_any_bytes_as_a_markdown_file_build_or_fail_with_positions(
    fuzz_site: Path, data: bytes
) -> None:
    with files(fuzz_site, {"content/page/en.md": data}):
        build_ends_cleanly(fuzz_site)


@FUZZ
@given(unicode_text, unicode_text, unicode_text, st.sampled_from(["\n", "\r\n", "\r"]))
def test_random_unicode_in_title_text_and_data_builds_or_fails_with_positions(
    fuzz_site: Path, title: str, body: str, value: str, newline: str
) -> None:
    quoted = title.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    page = f'---\ntitle: "{quoted}"\ndescription: d\n---\n{body}\n'.replace("\n", newline)
    data = f"sources:\n  - title: {yaml.safe_dump(value)}    url: https://example.org/\n"
    with files(
        fuzz_site, {"content/page/en.md": encode(page), "content/page/data.yaml": encode(data)}
    ):
        build_ends_cleanly(fuzz_site)


scalars = st.one_of(
    st.text(max_size=30),
    st.integers(),
    st.floats(),
    st.booleans(),
    st.none(),
    st.dates(min_value=dt.date(1, 1, 1)),
)


def nested(inner: st.SearchStrategy[object]) -> st.SearchStrategy[object]:
    keys = st.text(max_size=12) | st.sampled_from(["title", "date", "sources"])
    return st.lists(inner, max_size=4) | st.dictionaries(keys, inner, max_size=4)


documents = st.recursive(
    scalars,
    nested,
    max_leaves=25,
)


@FUZZ
@given(documents, documents, st.booleans())
def test_random_yaml_documents_as_front_matter_and_data_build_or_fail_with_positions(
    fuzz_site: Path, front: object, data: object, flow: bool
) -> None:
    dump = yaml.safe_dump(front, default_flow_style=flow, allow_unicode=True)
    page = f"---\n{dump}---\nText.\n"
    with files(
        fuzz_site,
        {
            "content/timeline/en.md": encode(PAGE),
            "content/timeline/item/en.md": encode(page),
            "content/timeline/item/data.yaml": encode(yaml.safe_dump(data)),
        },
    ):
        build_ends_cleanly(fuzz_site)


SITE_KEYS = ["name", "base_url", "default_language", "languages", "menu", "fallback", "sections"]
VALID_SITE = {
    "name": "Fuzz",
    "base_url": "https://example.org/",
    "default_language": "en",
    "languages": [{"code": "en", "name": "English", "locale": "en_GB"}],
}
site_documents = st.one_of(
    st.builds(lambda key, value: VALID_SITE | {key: value}, st.sampled_from(SITE_KEYS), documents),
    st.dictionaries(st.sampled_from([*SITE_KEYS, "code", "locale"]), documents, max_size=7),
)


@FUZZ
@given(site_documents, st.dictionaries(st.text(max_size=8), documents, max_size=4), st.booleans())
def test_random_site_and_strings_yaml_build_or_fail_with_positions(
    fuzz_site: Path, site: object, strings: object, replace_strings: bool
) -> None:
    contents = {"content/site.yaml": encode(yaml.safe_dump(site))}
    if replace_strings:
        contents["content/strings.yaml"] = encode(yaml.safe_dump(strings))
    with files(fuzz_site, contents):
        build_ends_cleanly(fuzz_site)


yaml_text = st.lists(st.sampled_from(YAML_TOKENS) | st.text(max_size=4), max_size=60).map("".join)


@FUZZ
@given(yaml_text, yaml_text)
def test_yaml_made_of_its_special_tokens_builds_or_fails_with_positions(
    fuzz_site: Path, front: str, data: str
) -> None:
    page = f"---\ntitle: t\ndescription: d\n{front}\n---\nText.\n"
    with files(
        fuzz_site, {"content/page/en.md": encode(page), "content/page/data.yaml": encode(data)}
    ):
        build_ends_cleanly(fuzz_site)


@FUZZ
@given(st.data())
def test_front_matter_cut_at_any_point_builds_or_fails_with_positions(
    fuzz_site: Path, data: st.DataObject
) -> None:
    cut = data.draw(st.integers(0, len(PAGE)), label="cut")
    tail = data.draw(
        st.sampled_from(["", "\n", "---\n", "x: [", ' "', "\n---\nmore"]), label="tail"
    )
    with files(fuzz_site, {"content/page/en.md": encode(PAGE[:cut] + tail)}):
        build_ends_cleanly(fuzz_site)


names = st.one_of(
    st.text(st.sampled_from("abcXYZ019 .-_éÜ~$:\\"), min_size=1, max_size=12),
    st.sampled_from(["con", "AUX", "nul.txt", "com1", "page.", "page ", "..a", "Page", "a--b"]),
)


@FUZZ
@given(names)
def test_any_folder_name_builds_only_when_it_is_a_clean_slug(fuzz_site: Path, name: str) -> None:
    if name in (".", "..") or len(name.encode()) > 200:
        return
    with files(fuzz_site, {f"content/{name}/en.md": encode(PAGE)}):
        err = build_ends_cleanly(fuzz_site)
    page = fuzz_site / "build/en" / name / "index.html"
    if name.startswith("."):  # hidden: left out, like .git
        assert "error" not in err and not page.exists()
        return
    published = "error" not in err
    assert published == (bool(SLUG.match(name)) and name not in WINDOWS_RESERVED), err
    assert published == page.is_file()


@FAST
@given(st.text(st.characters(exclude_categories=()), max_size=200) | yaml_text)
def test_parse_yaml_never_raises_and_points_at_real_lines(text: str) -> None:
    doc, problems = parse_yaml(text, "f.yaml", line_offset=1)
    assert (doc is None) == bool(problems)
    for problem in problems:
        assert problem.line >= 2 and problem.col >= 1


HTML_TOKENS = [
    "<script>", "</script>", "<a href=\"", "<img src=\"", "<iframe src=\"", '">', "</a>",
    "javascript:", "JaVaScRiPt:", "java\tscript:", "&#106;avascript:", "vbscript:",
    "data:text/html,<script>x</script>", "https://example.org/", "https://www.youtube-nocookie.com/x",
    '" onclick="x()', " onerror=alert(1) ", '" style="x', "<svg><script>a</script></svg>",
    "<style>*{}</style>", "<!--", "-->", "<![CDATA[", "<math>", "<details open ontoggle=x>",
    "<p>", "</p>", "<table><tr><td>", "<object data=x>", "'", '"', "<", ">", "text", " ",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">', "</iframe>",
    '<form action="javascript:x">', '<base href="javascript:x">', "<template>", "<xmp>",
    '<meta http-equiv="refresh" content="0;url=javascript:x">', "<textarea>", "<title>",
    '<a href="&#x6A;avascript:x">', '<a href="java&#x09;script:x">', "&#x3C;script&#x3E;",
    "https://[x", "http://[::1]:99999/",
]  # fmt: skip


def address_scheme(value: str) -> str:
    """The scheme a browser sees: it trims spaces and controls and ignores tabs and newlines."""
    address = re.sub(r"[\t\n\r]", "", unescape(value).strip("".join(map(chr, range(33)))))
    match = re.match(r"([A-Za-z][A-Za-z0-9+.-]*):", address)  # independent of sanitize.py
    return match.group(1).lower() if match else ""


class Attributes(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))


@FAST
@given(st.lists(st.sampled_from(HTML_TOKENS), max_size=40).map("".join))
@example('<iframe src="<a href="<script><script>')  # found by `make fuzz`: kept as text
def test_sanitized_html_has_no_script_handler_or_bad_address(html: str) -> None:
    clean, _ = sanitize(html, make_cleaner(), html, "f.md", 1, allow_email=True)
    parser = Attributes()
    parser.feed(clean)
    for tag, attrs in parser.tags:
        assert tag not in ("script", "style", "svg", "math", "object", "base", "meta", "form")
        for name, value in attrs:
            assert not name.startswith("on") and name not in ("style", "action", "content")
            if name in ("href", "src"):
                assert address_scheme(value or "") in ("", *URL_SCHEMES), clean


@FAST
@given(
    st.lists(
        st.sampled_from(
            [
                "/",
                "..",
                ".",
                "%2e",
                "%2f",
                "%5c",
                "\\",
                "en",
                "%00",
                "%25",
                "a" * 300,
                "~",
                "index.html",
            ]
        ),
        max_size=30,
    ).map("".join)
)
def test_dev_server_paths_never_leave_the_build(fuzz_site: Path, url: str) -> None:
    root = fuzz_site / "content"  # any folder with files in it will do
    target, redirect = resolve_request(root, url)
    if target is not None:
        assert target.resolve().is_relative_to(root.resolve())
    if redirect is not None:
        assert redirect.startswith("/") and not redirect.startswith("//")
