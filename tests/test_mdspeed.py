"""The faster Markdown stages give stock Python-Markdown's output, byte for byte."""

from __future__ import annotations

from hypothesis import example, given
from hypothesis import strategies as st
from markdown import Markdown

from sitegen.render.markdown.convert import SitegenMarkdown
from sitegen.render.markdown.mdspeed import (
    FastInline,
    FastInlineProcessor,
    FastToc,
    speed_up,
    supported,
)
from tests.conftest import REPO
from tests.test_fuzz import FAST

EXTENSIONS = ["tables", "attr_list", "fenced_code", "sane_lists"]
# Pieces of Markdown that exercise every inline pattern, blocks, and the [TOC] marker.
TOKENS = [
    "word", "Leuven", " ", "  \n", "\n", "\n\n", "*", "**", "_", "__", "`", "``", "\\", "\\*",
    "[", "]", "(", ")", "](", "![", "[link](/partners/imec)", "[ref][1]", "\n[1]: /x\n",
    "![alt](i.png)", "<", ">", "<b>", "</b>", "<https://kuleuven.be>", "<a@b.org>", "&", "&amp;",
    "&#91;", "# ", "## Heading", "\n## Heading {#id}\n", "{: .c }", "- ", "1. ", "> ", "|",
    "| a | b |\n|---|---|\n| 1 | 2 |\n", "```\ncode\n```\n", "    indented\n", "[TOC]",
    "\n[TOC]\n", "<div>\n[TOC]\n</div>\n", "é", "\u00a0", "---\n", "\n===\n", "\n- - -\n",
    "***", "___", "#", "\\#", "\n#\n", "] [", "]\n[", "]\u00a0[", "[a] [1]",
    "\t", "\r\n", "\r", " \n", "  ", "~~~\nx\n~~~\n", "\x02", "\x03", "x ",
    "|", "]:", "\n[a]: <b> 'c'\n", "\n[x]:/y\n", "\n> > q\n", "a|b\n-|-\n",
]  # fmt: skip
texts = st.lists(st.sampled_from(TOKENS), max_size=60).map("".join)


def stock() -> Markdown:
    return Markdown(extensions=[*EXTENSIONS, "toc"], output_format="html")


def fast() -> Markdown:
    return speed_up(
        Markdown(extensions=[*EXTENSIONS, FastToc(), FastInline()], output_format="html")
    )


STOCK, FAST_MD = stock(), fast()


@FAST
@given(texts)
@example("*a* [b](c) `d` <e> &amp; f  \ng")
@example("[TOC]\n\n# One\n\n## Two")
@example("no marks at all, only words")
@example("[a] [1] and ![b]\u00a0[1] and [c]\n[1]\n\n[1]: /x")
def test_generated_texts_convert_exactly_as_stock(text: str) -> None:
    assert FAST_MD.reset().convert(text) == STOCK.reset().convert(text)


def test_every_page_of_the_real_site_converts_exactly_as_stock() -> None:
    bodies = [p.read_text(encoding="utf-8") for p in sorted((REPO / "content").rglob("*.md"))]
    assert len(bodies) > 200
    for body in bodies:
        assert FAST_MD.reset().convert(body) == STOCK.reset().convert(body)


def test_the_build_uses_the_fast_stages() -> None:
    """Fails when a Python-Markdown upgrade removes what the fast loop relies on: the build
    would still be right, only slower, so this is where the upgrade gets noticed."""
    assert supported()
    md = SitegenMarkdown().md
    assert isinstance(md.treeprocessors["inline"], FastInlineProcessor)
    assert md.is_block_level("p") and not md.is_block_level("em")


def test_marker_table_of_contents_still_works() -> None:
    text = "[TOC]\n\n## Partners\n\n## Clusters\n"
    html = FAST_MD.reset().convert(text)
    assert '<div class="toc">' in html and 'href="#partners"' in html
    STOCK.reset().convert(text)
    assert FAST_MD.toc == STOCK.toc and 'href="#clusters"' in FAST_MD.toc


def test_the_installed_markdown_is_the_version_the_fast_stages_were_tested_with() -> None:
    """The fast inline stage replaces private methods of Python-Markdown 3.11; pyproject.toml
    allows only that minor version. A newer one must be tested here before the range moves."""
    import markdown

    major, minor = (int(part) for part in markdown.__version__.split(".")[:2])
    assert (major, minor) == (3, 11), (
        f"Python-Markdown {markdown.__version__} is untested with render/markdown/mdspeed.py: "
        "run tests/test_mdspeed.py against it, then widen the range in pyproject.toml"
    )
    assert supported(), "the private methods the fast inline stage takes over are gone"
