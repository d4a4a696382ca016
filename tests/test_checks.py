"""`sitegen check`: each editor check names file, line and column, with a hint; --strict."""

from __future__ import annotations

import struct
import time
import zlib
from pathlib import Path

import pytest

from sitegen.model.links import find_links
from sitegen.schema.validate import CheckedText
from sitegen.source.body import Body
from tests.conftest import Run, write

IMEC = "content/partners/imec/en.md"
VIB = "content/partners/vib/en.md"


def tiny_png() -> bytes:
    """A valid 1x1 PNG, so image processing accepts it."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def page(title: str, body: str, extra: str = "", description: str = "x") -> str:
    return f"---\ntitle: {title}\ndescription: {description}\n{extra}---\n{body}"


def reported(
    run: Run, site: Path, location: str, severity: str, words: str, *args: str
) -> tuple[int, str, str]:
    """Run a command; the message at `location` has these words and a hint; no traceback."""
    code, out, err = run(*(args or ("check",)), "--site", site)
    assert "Traceback" not in err
    lines = err.splitlines()
    heads = [i for i, line in enumerate(lines) if line.startswith(f"{location}: {severity}: ")]
    assert any(words in lines[i] for i in heads), err
    index = next(i for i in heads if words in lines[i])
    assert lines[index + 1].startswith("  hint: "), err
    return code, lines[index + 1].removeprefix("  hint: "), err


def test_anchor_to_a_missing_heading_is_an_error_with_the_closest_id(run: Run, site: Path) -> None:
    write(site / IMEC, page("imec", "Intro.\n\n## History\n\nText.\n"))
    write(site / VIB, page("VIB", "See [imec's past](/partners/imec#histroy).\n"))
    code, hint, _ = reported(
        run, site, f"{VIB}:5:19", "error", "there is no heading '#histroy' on /partners/imec"
    )
    assert code == 1 and hint == "did you mean '#history'?"


def test_anchor_within_the_page_must_name_one_of_its_headings(run: Run, site: Path) -> None:
    write(site / VIB, page("VIB", "Jump to [work](#our-wrk).\n\n## Our work\n"))
    code, hint, _ = reported(
        run, site, f"{VIB}:5:16", "error", "no heading '#our-wrk' on /partners/vib"
    )
    assert code == 1 and "'#our-work'" in hint


def test_bad_anchor_also_fails_the_build(run: Run, site: Path) -> None:
    write(site / VIB, page("VIB", "See [imec](/partners/imec#nothing-like-this).\n"))
    code, hint, _ = reported(
        run, site, f"{VIB}:5:12", "error", "no heading '#nothing-like-this'", "build"
    )
    assert code == 1 and "lower case with hyphens" in hint
    assert not (site / "build").exists()


def test_anchor_to_a_heading_that_only_the_english_page_has_names_the_language(
    run: Run, site: Path
) -> None:
    write(site / IMEC, page("imec", "## History\n\nText.\n"))
    write(site / "content/partners/imec/nl.md", page("imec", "## Geschiedenis\n\nTekst.\n"))
    write(site / VIB, page("VIB", "See [imec](/partners/imec#history).\n"))
    code, hint, _ = reported(
        run, site, f"{VIB}:5:12", "error", "no heading '#history' on /partners/imec in 'nl'"
    )
    assert code == 1 and "{#work}" in hint


def test_heading_with_a_fixed_id_can_be_linked_in_every_language(run: Run, site: Path) -> None:
    write(site / IMEC, page("imec", "## History {#history}\n\nText.\n"))
    write(site / "content/partners/imec/nl.md", page("imec", "## Geschiedenis {#history}\n"))
    write(site / VIB, page("VIB", "See [imec](/partners/imec#history) and [me](#top).\n\n## Top\n"))
    code, _, err = run("check", "--strict", "--site", site)
    assert code == 0, err


def test_links_inside_code_are_not_checked(run: Run, site: Path) -> None:
    body = "Write `[x](#nope)` or:\n\n```\n[y](/partners/imec#nope)\n![](z.png)\n```\n"
    write(site / VIB, page("VIB", body))
    code, _, err = run("check", "--strict", "--site", site)
    assert code == 0, err


def test_image_without_alt_text_is_a_warning(run: Run, site: Path) -> None:
    (site / "content/partners/vib/map.png").write_bytes(tiny_png())
    write(site / VIB, page("VIB", "Where we are:\n\n![](map.png)\n"))
    code, hint, _ = reported(
        run, site, f"{VIB}:7:1", "warning", "the image 'map.png' has no alt text"
    )
    assert code == 0 and hint.startswith("describe what it shows")


def test_html_image_without_alt_attribute_is_a_warning(run: Run, site: Path) -> None:
    (site / "content/partners/vib/map.png").write_bytes(tiny_png())
    write(site / VIB, page("VIB", 'Where we are: <img src="map.png">\n'))
    code, hint, _ = reported(run, site, f"{VIB}:5:15", "warning", "'map.png' has no alt text")
    assert code == 0
    assert '<img alt="' in hint  # the way to fix an HTML tag, not Markdown's brackets


def test_html_image_with_an_unquoted_source_is_named_by_it(run: Run, site: Path) -> None:
    (site / "content/partners/vib/map.png").write_bytes(tiny_png())
    write(site / VIB, page("VIB", "Where we are: <img src=map.png>\n"))
    code, _, err = reported(run, site, f"{VIB}:5:15", "warning", "'map.png' has no alt text")
    assert code == 0
    assert "this image" not in err


def test_page_image_without_image_alt_is_a_warning_per_language(run: Run, site: Path) -> None:
    (site / "content/partners/vib/photo.png").write_bytes(tiny_png())
    write(site / "content/partners/vib/data.yaml", "image: photo.png\n")
    code, hint, _ = reported(
        run, site, f"{VIB}:4:1", "warning", "the page image 'photo.png' has no alt text"
    )
    assert code == 0 and "image_alt:" in hint


def test_title_too_long_for_search_results_is_a_warning(run: Run, site: Path) -> None:
    write(site / IMEC, page("i" * 61, "Text.\n"))
    code, hint, _ = reported(run, site, f"{IMEC}:2:8", "warning", "the title is 61 characters")
    assert code == 0 and hint == "shorten the title to at most 60 characters"


def test_description_too_long_for_search_results_is_a_warning(run: Run, site: Path) -> None:
    write(site / IMEC, page("imec", "Text.\n", description="d" * 161))
    code, hint, _ = reported(
        run, site, f"{IMEC}:3:14", "warning", "the description is 161 characters"
    )
    assert code == 0 and "160" in hint


def test_image_over_the_size_limit_is_a_warning(run: Run, site: Path) -> None:
    (site / "content/partners/imec/poster.jpg").write_bytes(b"\xff\xd8" + b"\0" * 600 * 1024)
    code, hint, err = reported(
        run, site, "content/partners/imec/poster.jpg:1:1", "warning", "the image is 600 KB"
    )
    assert code == 0 and "2000 pixels" in hint
    assert "     1 |" not in err  # no excerpt of a binary file


def test_empty_translation_is_a_warning(run: Run, site: Path) -> None:
    write(site / "content/partners/imec/nl.md", page("imec", "\n"))
    code, hint, _ = reported(
        run,
        site,
        "content/partners/imec/nl.md:5:1",
        "warning",
        "this translation has no text below the front matter",
    )
    assert code == 0 and IMEC in hint


def test_link_to_a_draft_page_is_an_error_that_says_draft(run: Run, site: Path) -> None:
    write(site / "content/partners/voka/en.md", page("Voka", "Text.\n", "draft: true\n"))
    write(site / VIB, page("VIB", "With [Voka](/partners/voka).\n"))
    for command in ("check", "build"):
        code, hint, err = reported(
            run,
            site,
            f"{VIB}:5:13",
            "error",
            "goes to a draft page, which is not published",
            command,
        )
        assert code == 1 and "draft: true" in hint
        assert "does not match any page" not in err


def test_link_to_a_draft_translation_is_a_warning(run: Run, site: Path) -> None:
    write(site / "content/partners/vib/nl.md", page("VIB", "Tekst.\n", "draft: true\n"))
    write(site / "content/partners/imec/nl.md", page("imec", "Zie [VIB](../vib).\n"))
    code, hint, _ = reported(
        run,
        site,
        "content/partners/imec/nl.md:5:11",
        "warning",
        "the 'nl' text of '../vib' is still a draft, so this link shows its 'en' text",
    )
    assert code == 0 and "content/partners/vib/nl.md" in hint


@pytest.mark.parametrize(("strict", "expected"), [(False, 0), (True, 1)])
def test_strict_makes_warnings_fail(run: Run, site: Path, strict: bool, expected: int) -> None:
    write(site / IMEC, page("i" * 61, "Text.\n"))
    args = ("check", "--strict") if strict else ("check",)
    code, _, err = run(*args, "--site", site)
    assert code == expected, err
    assert "0 error(s), 1 warning(s)" in err


def test_basic_site_passes_strict_check(run: Run, site: Path) -> None:
    code, _, err = run("check", "--strict", "--site", site)
    assert code == 0, err


@pytest.mark.parametrize(
    "body", ["[x](" * 30_000, "![" * 30_000, "<img " * 30_000, "`a``" * 30_000]
)
def test_scanning_links_stays_fast_on_unclosed_brackets(body: str) -> None:
    text = CheckedText(
        "content/en.md", "en", "t", "d", None, None, False, None, Body.of(body), 5, ""
    )
    start = time.perf_counter()
    find_links(text)
    assert time.perf_counter() - start < 2.0


def test_a_level_one_heading_in_the_text_is_a_warning_at_its_line(run: Run, site: Path) -> None:
    write(site / VIB, page("VIB", "Intro.\n\n# Our work\n\nMore.\n\nFacts\n=====\n"))
    code, hint, err = reported(run, site, f"{VIB}:7:1", "warning", "second main heading")
    assert code == 0  # it still builds; --strict stops it
    assert hint.startswith("start it with '## '")
    assert f"{VIB}:11:1: warning: this heading is a second main heading" in err  # setext


def test_section_headings_and_hashes_in_code_are_not_main_headings(run: Run, site: Path) -> None:
    body = "## Our work\n\n### Labs\n\n```\n# a comment\n```\n\n#hashtag and a = b\n"
    write(site / VIB, page("VIB", body))
    code, _, err = run("check", "--strict", "--site", site)
    assert code == 0, err
