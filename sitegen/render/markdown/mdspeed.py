"""Python-Markdown, faster, giving the same bytes.

Stock Python-Markdown spends most of its time asking questions whose answer a quick look at
the text gives: each of its stages runs over every text, block or element even where the text
cannot contain what the stage looks for. Here each stage first looks (on the N=1,000
benchmark corpus, conversion went from 8.8 s to 3.1 s):
- Inline patterns: each of the 14 is tried on every piece of text, one Python call each.
  Every stock pattern needs a certain character (a link '[', emphasis '*' or '_'); a text
  without it skips the pattern, and a text with no placeholder comes straight back.
- Preprocessors (whitespace, raw HTML, fences) run over the whole text; a text without a
  tab, '<' or a fence has nothing for them to change.
- Block processors search each whole block with a regex to decide whether it is theirs (a
  heading needs '#', a table '|'); their list is read once, not for every block.
- Tree stages: the toc stage looks for a `[TOC]` marker in every paragraph, and builds a table
  for `md.toc`, which sitegen never reads; attr_list looks for `{...}` in every element; the
  unescape stage runs a substitution over every text. A text without '[TOC]', '{' or the
  unescape marker skips that work.
- `is_block_level`, asked about every element several times, is a dict lookup.
A pattern or processor this module does not know keeps its stock behaviour, and so does a
Python-Markdown without the internals the inline loop relies on. tests/test_mdspeed.py
compares the output with stock Python-Markdown's on generated texts and on the real site.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from collections.abc import Callable
from typing import Any

from markdown import Markdown, blockprocessors, util
from markdown.blockparser import BlockParser
from markdown.extensions import Extension
from markdown.extensions.attr_list import AttrListTreeprocessor
from markdown.extensions.tables import TableProcessor
from markdown.extensions.toc import TocExtension, TocTreeprocessor
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import InlineProcessor, Treeprocessor, UnescapeTreeprocessor

# For each stock pattern, a regex of what the text must contain for the pattern to match.
NEEDS: dict[str, str] = {
    "backtick": "`",
    "escape": r"\\",
    # [text][id] or [text] [id]: the id's '[' follows the text's ']' (evalId's \s?\[).
    "reference": r"\]\s?\[",
    "link": r"\[",
    "image_link": r"!\[",
    "image_reference": r"\]\s?\[",
    "short_reference": r"\[",
    "short_image_ref": r"!\[",
    "autolink": "<",
    "automail": "<",
    "linebreak": "  \n",
    "html": "<",
    "entity": "&",
    "em_strong": "[*_]",
    "em_strong2": "_",
    "not_strong": "[*_]",
}
# The same for the block processors whose test searches the whole block with a regex: a
# string the block must contain (tested with `in`, the quickest), or a pattern it must match.
BLOCK_NEEDS: dict[type[blockprocessors.BlockProcessor], str | re.Pattern[str]] = {
    TableProcessor: "|",
    blockprocessors.HashHeaderProcessor: "#",
    blockprocessors.SetextHeaderProcessor: re.compile("\n[=-]"),
    blockprocessors.HRProcessor: re.compile("[-_*]"),
    blockprocessors.BlockQuoteProcessor: ">",
    blockprocessors.ReferenceProcessor: "]:",  # its test says yes; its run searches
}
INLINE_PRIORITY = 20  # the stock inline stage's, before prettify, toc and unescape
_HANDLE = "_InlineProcessor__handleInline"
_APPLY = "_InlineProcessor__applyPattern"
_PLACE = "_InlineProcessor__processPlaceholders"


class FastInlineProcessor(InlineProcessor):
    """The stock inline processor whose pattern loop skips patterns the text cannot match,
    and which hands a text without placeholders straight back."""

    def run(self, tree: etree.Element, ancestors: list[str] | None = None) -> etree.Element:
        # Extensions register their patterns when the converter is made, before the first
        # document; the pattern list is read again only if the registry grew since.
        if getattr(self, "_count", None) != len(self.inlinePatterns):
            self._read_patterns()
        return super().run(tree, ancestors)

    def _read_patterns(self) -> None:
        registry = self.inlinePatterns
        needs_of = {id(registry[name]): needs for name, needs in NEEDS.items() if name in registry}
        self._patterns: list[Any] = list(registry)  # the stubs mistype this registry
        self._needs = [_finder(needs_of.get(id(p))) for p in self._patterns]
        # A text with none of what any pattern needs is left as it is, in one search.
        known = all(needs is not None for needs in self._needs)
        self._any = re.compile("|".join(sorted(set(needs_of.values())))) if known else None
        self._count = len(registry)

    def _InlineProcessor__handleInline(  # noqa: N802 (overrides the stock private method)
        self,
        data: str,
        patternIndex: int = 0,  # noqa: N803 (the stock signature)
    ) -> str:
        if isinstance(data, util.AtomicString):
            return data
        if self._any is not None and self._any.search(data) is None:
            return data
        patterns, needs = self._patterns, self._needs
        apply = getattr(self, _APPLY)
        count = len(patterns)
        start = 0
        index = patternIndex
        while index < count:
            need = needs[index]
            if need is not None and need(data) is None:
                index += 1
                start = 0  # as the stock loop does after a pattern that found nothing
                continue
            data, matched, start = apply(patterns[index], data, index, start)
            if not matched:
                index += 1
        return data

    def _InlineProcessor__processPlaceholders(  # noqa: N802 (overrides the stock private method)
        self,
        data: str | None,
        parent: etree.Element,
        isText: bool = True,  # noqa: N803 (the stock signature)
    ) -> list[tuple[etree.Element, list[str]]]:
        # Most texts come back from the patterns without a placeholder: the stock method
        # then only gives the text back to where it was taken from, which this does directly.
        if data and util.INLINE_PLACEHOLDER_PREFIX not in data:
            if isText:
                parent.text = parent.text + data if parent.text else data
            else:
                parent.tail = parent.tail + data if parent.tail else data
            return []
        stock: Any = getattr(super(), _PLACE)
        return stock(data, parent, isText)  # type: ignore[no-any-return]


Finder = Callable[[str], "re.Match[str] | None"]


def _finder(needs: str | None) -> Finder | None:
    """ "Does the text contain what the pattern needs" as one search: a single C call."""
    return None if needs is None else re.compile(needs).search


def supported() -> bool:
    """Whether this Python-Markdown has the private methods the fast loop takes over."""
    return all(hasattr(InlineProcessor, name) for name in (_HANDLE, _APPLY, _PLACE))


class FastInline(Extension):
    """Swap the stock inline processor for the fast one, where this Python-Markdown allows."""

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Markdown's API name)
        if supported() and "inline" in md.treeprocessors:
            md.treeprocessors.register(FastInlineProcessor(md), "inline", INLINE_PRIORITY)


def _text_has(md: Markdown, mark: str) -> bool:
    """Whether the text being converted (md.lines, after the preprocessors) contains mark:
    what a tree stage looks for can only come from there. Unknown: assume it does."""
    return any(mark in line for line in getattr(md, "lines", [mark]))


class _MarkerAwareToc(TocTreeprocessor):
    def _has_marker(self) -> bool:
        return _text_has(self.md, self.marker)

    def build_toc_div(self, toc_list: list[Any]) -> etree.Element:
        # Without a marker the list only ends up in md.toc, which sitegen never reads: the
        # heading ids, all a page shows, are set before this.
        return super().build_toc_div(toc_list) if self._has_marker() else etree.Element("div")

    def replace_marker(self, root: etree.Element, elem: etree.Element) -> None:
        if self._has_marker():
            super().replace_marker(root, elem)


class FastToc(TocExtension):
    """The stock `toc` extension, which skips its marker search when the text has no marker,
    and then builds no table of contents (md.toc) either."""

    TreeProcessorClass = _MarkerAwareToc


def _guard(processor: blockprocessors.BlockProcessor, needs: str | re.Pattern[str]) -> None:
    test = processor.test
    if isinstance(needs, str):

        def has_mark(parent: etree.Element, block: str) -> bool:
            return needs in block and test(parent, block)

        processor.test = has_mark  # type: ignore[method-assign]
        return
    find = needs.search

    def guarded(parent: etree.Element, block: str) -> bool:
        return find(block) is not None and test(parent, block)

    processor.test = guarded  # type: ignore[method-assign]


def _fixed_order(parser: BlockParser) -> None:
    # The stock loop asks the registry for its processors again for every block (a sorted
    # copy each time); they are fixed once the converter is made.
    processors = tuple(parser.blockprocessors)

    def parse_blocks(parent: etree.Element, blocks: list[str]) -> None:
        while blocks:
            for processor in processors:
                if processor.test(parent, blocks[0]):
                    if processor.run(parent, blocks) is not False:
                        break

    parser.parseBlocks = parse_blocks  # type: ignore[method-assign]


def _skip_without(processor: Treeprocessor, md: Markdown, mark: str) -> None:
    run = processor.run

    def guarded(root: etree.Element) -> etree.Element | None:
        return run(root) if _text_has(md, mark) else None

    processor.run = guarded  # type: ignore[method-assign]


def _skip_plain_text(unescaper: UnescapeTreeprocessor) -> None:
    stock = unescaper.unescape

    def unescape(text: str) -> str:
        # What it undoes is always marked with STX; most texts have none.
        return stock(text) if util.STX in text else text

    unescaper.unescape = unescape  # type: ignore[method-assign]


def speed_up(md: Markdown) -> Markdown:
    """Call once every extension is loaded: block-level names and processors are read then."""
    for processor in md.parser.blockprocessors:
        if (needs := BLOCK_NEEDS.get(type(processor))) is not None:
            _guard(processor, needs)
    _fixed_order(md.parser)
    unescaper = md.treeprocessors["unescape"] if "unescape" in md.treeprocessors else None
    if isinstance(unescaper, UnescapeTreeprocessor):
        _skip_plain_text(unescaper)
    for name, needed, plain in PRE_NEEDS:
        if name in md.preprocessors:
            _guard_pre(md.preprocessors[name], needed, plain)
    attrs = md.treeprocessors["attr_list"] if "attr_list" in md.treeprocessors else None
    if isinstance(attrs, AttrListTreeprocessor):
        _skip_without(attrs, md, "{")
    blocks = _BlockLevel(md.block_level_elements)
    md.is_block_level = blocks.__getitem__  # type: ignore[method-assign, assignment]
    return md


class _BlockLevel(dict[object, bool]):
    """The stock answer per tag, remembered: one dict lookup in C per question."""

    def __init__(self, names: list[str]) -> None:
        super().__init__()
        self.levels = frozenset(names)

    def __missing__(self, tag: object) -> bool:
        found = self[tag] = isinstance(tag, str) and tag.lower().rstrip("/") in self.levels
        return found


def _as_is(lines: list[str]) -> list[str]:
    return "\n".join(lines).split("\n")


def _normalized(lines: list[str]) -> list[str]:
    return ("\n".join(lines) + "\n\n").split("\n")


def _contains(*parts: str) -> Callable[[str], bool]:
    # A few `in` tests (fast C scans) beat one regex with alternatives on every character.
    return lambda text: any(part in text for part in parts)


# Preprocessors that run over the whole text, whether a text has what they change, and
# what each returns for a text without it.
PRE_NEEDS: tuple[tuple[str, Callable[[str], bool], Callable[[list[str]], list[str]]], ...] = (
    # Drops STX/ETX, turns \r and tabs into newlines and spaces, empties blank lines that
    # hold spaces (a space before a newline, or at the very end), adds two empty lines.
    (
        "normalize_whitespace",
        lambda text: _contains("\x02", "\x03", "\r", "\t", " \n")(text) or text.endswith(" "),
        _normalized,
    ),
    ("html_block", _contains("<", "&"), _as_is),  # raw HTML starts with '<'; '&': entities
    ("fenced_code_block", _contains("```", "~~~"), _as_is),
)


def _guard_pre(
    processor: Preprocessor,
    needed: Callable[[str], bool],
    plain: Callable[[list[str]], list[str]],
) -> None:
    run = processor.run

    def guarded(lines: list[str]) -> list[str]:
        return run(lines) if needed("\n".join(lines)) else plain(lines)

    processor.run = guarded  # type: ignore[method-assign]
