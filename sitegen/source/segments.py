"""A page text cut into the units a translator translates, each with its place in the file.

Units (segments): the front matter's title, description and image_alt, then every heading,
paragraph, list item, table cell and image alt text of the body, in file order. Code blocks,
HTML blocks and rules are not translated. Inline Markdown (links, emphasis, code, images,
escapes, attribute lists) becomes protected codes, so a translator changes only the words.

A paragraph is one unit: there is no segmentation into sentences. A unit's text is its lines
joined with one space, so re-wrapping a paragraph does not change it.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

import yaml

from sitegen.source.yamlpos import load_plain

Kind = Literal["title", "description", "alt", "heading", "paragraph", "item", "cell"]
KINDS: tuple[Kind, ...] = ("title", "description", "alt", "heading", "paragraph", "item", "cell")
FRONT_FIELDS: dict[str, Kind] = {"title": "title", "description": "description", "image_alt": "alt"}

FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,})")
HEADING = re.compile(r"^ {0,3}#{1,6}[ \t]+(?P<text>.*?)(?:[ \t]+#+)?[ \t]*$")
SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
LIST = re.compile(r"^(?P<lead>[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]+)(?P<text>\S.*)$")
RULE = re.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
QUOTE = re.compile(r"^[ \t]*>[ \t]?")
HTML_BLOCK = re.compile(r"^[ \t]*<(?:[A-Za-z/]|!--)")
TABLE_RULE = re.compile(r"^[ \t|:-]*-[ \t|:-]*$")
IMAGE = re.compile(r"!\[(?P<alt>[^\]\n]*)\]\((?P<rest>[^)\n]*)\)")
FRONT_KEY = re.compile(r"^(?P<key>[A-Za-z_][\w-]*):[ \t]*(?P<value>.*)$")


@dataclass(frozen=True, slots=True)
class Segment:
    """One translatable unit: its kind, text, position and the span of that text in the file."""

    kind: Kind
    text: str
    line: int
    col: int
    start: int
    end: int
    parent: int = -1  # for an alt text inside a block: the index of that block's segment
    field: str = ""  # front matter: the field name

    @property
    def digest(self) -> str:
        return digest(self.text)


def digest(text: str) -> str:
    """The short hash the translation record keeps of an English text."""
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def _join(text: str) -> str:
    return " ".join(line.strip() for line in text.split("\n") if line.strip())


def _blank_alts(text: str) -> str:
    """A block's text without its images' alt texts, which are units of their own."""
    return IMAGE.sub(lambda m: f"![]({m.group('rest')})", text)


@dataclass(slots=True)
class _Cutter:
    text: str
    starts: list[int]  # offset of each line
    found: list[Segment]

    def line_of(self, offset: int) -> tuple[int, int]:
        low, high = 0, len(self.starts) - 1
        while low < high:
            mid = (low + high + 1) // 2
            if self.starts[mid] <= offset:
                low = mid
            else:
                high = mid - 1
        return low + 1, offset - self.starts[low] + 1

    def add(self, kind: Kind, start: int, end: int) -> None:
        raw = self.text[start:end]
        plain = _join(_blank_alts(raw))
        parent = -1
        if IMAGE.sub("", plain).strip():
            line, col = self.line_of(start)
            self.found.append(Segment(kind, plain, line, col, start, end))
            parent = len(self.found) - 1
        for match in IMAGE.finditer(raw):
            alt = _join(match.group("alt"))
            if alt:
                a, b = start + match.start("alt"), start + match.end("alt")
                line, col = self.line_of(a)
                self.found.append(Segment("alt", alt, line, col, a, b, parent))


def _front(text: str, cut: _Cutter, end: int) -> None:
    """title, description and image_alt: top-level scalars of the front matter."""
    lines = text[:end].split("\n")
    offset = len(lines[0]) + 1
    index = 1
    while index < len(lines):
        line = lines[index]
        match = FRONT_KEY.match(line)
        if match is None or match.group("key") not in FRONT_FIELDS:
            offset += len(line) + 1
            index += 1
            continue
        start = offset + match.start("value")
        stop = offset + len(line.rstrip())
        following = index + 1
        more = offset + len(line) + 1
        while following < len(lines) and lines[following][:1] in (" ", "\t"):
            if lines[following].strip():
                stop = more + len(lines[following].rstrip())
            more += len(lines[following]) + 1
            following += 1
        try:
            value = load_plain(text[offset:stop] if stop > start else "x: ")
        except yaml.YAMLError:
            value = None
        field = match.group("key")
        found = value.get(field) if isinstance(value, dict) else None
        if isinstance(found, str) and found.strip() and stop > start:
            line_no, col = cut.line_of(start)
            kind = FRONT_FIELDS[field]
            cut.found.append(Segment(kind, _join(found), line_no, col, start, stop, field=field))
        offset, index = more, following


def _table_cells(cut: _Cutter, start: int, line: str) -> None:
    """Each cell of a table row, between unescaped pipes."""
    bounds = [i for i, ch in enumerate(line) if ch == "|" and (i == 0 or line[i - 1] != "\\")]
    edges = [-1, *bounds, len(line)]
    for a, b in zip(edges, edges[1:], strict=False):
        cell = line[a + 1 : b]
        if not cell.strip():
            continue
        lead = len(cell) - len(cell.lstrip())
        cut.add("cell", start + a + 1 + lead, start + a + 1 + len(cell.rstrip()))


def cut_segments(text: str) -> tuple[Segment, ...]:
    """The units of one page file (front matter and Markdown body), in file order."""
    lines = text.split("\n")
    starts, offset = [], 0
    for line in lines:
        starts.append(offset)
        offset += len(line) + 1
    cut = _Cutter(text, starts, [])
    body = 0
    if lines and lines[0].rstrip() == "---":
        for index in range(1, len(lines)):
            if lines[index].rstrip() in ("---", "..."):
                _front(text, cut, starts[index])
                body = index + 1
                break

    def end_of(index: int) -> int:
        return starts[index] + len(lines[index].rstrip())

    def starts_block(line: str) -> bool:
        return bool(
            FENCE.match(line)
            or HEADING.match(line)
            or LIST.match(line)
            or HTML_BLOCK.match(line)
            or RULE.match(line)
        )

    index, after_list = body, False
    while index < len(lines):
        line = lines[index]
        stripped = line.strip()
        if not stripped:
            index += 1
            continue
        fence = FENCE.match(line)
        if fence:
            index += 1
            while index < len(lines) and not lines[index].strip().startswith(fence.group(1)):
                index += 1
            index += 1
            continue
        if RULE.match(line) or HTML_BLOCK.match(line):
            index += 1
            while HTML_BLOCK.match(line) and index < len(lines) and lines[index].strip():
                index += 1
            continue
        heading = HEADING.match(line)
        if heading:
            if heading.group("text"):
                cut.add("heading", starts[index] + heading.start("text"), end_of(index))
            index, after_list = index + 1, False
            continue
        if "|" in line and index + 1 < len(lines) and TABLE_RULE.match(lines[index + 1]):
            if "|" in lines[index + 1]:
                _table_cells(cut, starts[index], line)
                index += 2
                while index < len(lines) and "|" in lines[index] and lines[index].strip():
                    _table_cells(cut, starts[index], lines[index])
                    index += 1
                continue
        item = LIST.match(line)
        if item:
            last = index
            while (
                last + 1 < len(lines)
                and lines[last + 1].strip()
                and not starts_block(lines[last + 1])
            ):
                last += 1
            cut.add("item", starts[index] + item.start("text"), end_of(last))
            index, after_list = last + 1, True
            continue
        if (line.startswith("    ") or line.startswith("\t")) and not after_list:
            while index < len(lines) and lines[index].strip():
                index += 1  # indented code
            continue
        first = index
        quote = QUOTE.match(line)
        lead = quote.end() if quote else len(line) - len(line.lstrip())
        while (
            index + 1 < len(lines)
            and lines[index + 1].strip()
            and not starts_block(lines[index + 1])
            and not SETEXT.match(lines[index + 1])
        ):
            index += 1
        kind: Kind = "paragraph"
        if index + 1 < len(lines) and SETEXT.match(lines[index + 1]) and not quote:
            kind = "heading"
        start, end = starts[first] + lead, end_of(index)
        if quote:
            raw = "\n".join(QUOTE.sub("", part) for part in text[start:end].split("\n"))
            if _join(raw) and raw.strip():
                line_no, col = cut.line_of(start)
                cut.found.append(Segment(kind, _join(raw), line_no, col, start, end))
        else:
            cut.add(kind, start, end)
        index += 2 if kind == "heading" else 1
    return tuple(cut.found)


def _yaml_scalar(text: str, old: str) -> str:
    """A front matter value: kept in the old style when the text allows it."""
    quoted = '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if old.startswith(("'", '"', "|", ">")) or not text:
        return quoted
    try:
        plain_ok = load_plain(f"x: {text}") == {"x": text}
    except yaml.YAMLError:
        plain_ok = False
    return text if plain_ok and ": " not in text and " #" not in text else quoted


def _block_text(new: str, alts: list[str]) -> str:
    """A block's new text with each image's alt text filled in, in order."""
    queue = iter(alts)
    return IMAGE.sub(lambda m: f"![{next(queue, '')}]({m.group('rest')})", new)


def replace_segments(text: str, segments: tuple[Segment, ...], new: Mapping[int, str]) -> str:
    """The file text with some units' text replaced (index -> text); the rest byte for byte.

    A unit whose new text equals its current text is left as it is, line breaks included.
    The alt texts of a replaced block are written with that block.
    """
    changed = [i for i, t in new.items() if t != segments[i].text]
    out = text
    for index in sorted(changed, key=lambda i: segments[i].start, reverse=True):
        seg = segments[index]
        value = new[index]
        if seg.field:
            value = _yaml_scalar(value, text[seg.start : seg.end])
        elif seg.kind == "alt":
            if seg.parent in changed:
                continue
            value = value.replace("]", "\\]")
        else:
            alts = [
                new.get(j, s.text)
                for j, s in enumerate(segments)
                if s.kind == "alt" and s.parent == index
            ]
            value = _block_text(value, alts)
            if seg.kind == "cell":
                value = re.sub(r"(?<!\\)\|", r"\\|", value)
        out = out[: seg.start] + value + out[seg.end :]
    return out
