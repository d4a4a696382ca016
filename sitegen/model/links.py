"""The links and images of a Markdown text, found in the source so messages can point at
the exact line and column: inline links and images, reference definitions, and HTML links.
"""

from __future__ import annotations

import bisect
import html
import posixpath
import re
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from sitegen.schema.validate import CheckedText
from sitegen.source.body import SourceChanged
from sitegen.source.load import SourceText

FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})", re.MULTILINE)
CODE_SPAN = re.compile(r"(`+)(?!`)(.+?)(?<!`)\1(?!`)", re.DOTALL)
# Character classes never span lines or nested brackets, so scanning stays linear.
# Starting at the '[' (a '!' before it makes an image) lets the search skip to each '['.
INLINE = re.compile(
    r"\[((?:[^\[\]\n]|\[[^\[\]\n]*\])*)\]"  # [text] or ![alt], one level of [] inside
    r"\(\s*<?([^()\s<>\[\]]*)>?"  # (target
    r"(?:\s+(?:\"[^\"\n]*\"|'[^'\n]*'))?\s*\)"  # optional "title")
)
REF_IMAGE = re.compile(r"!\[\s*\]\[[^\[\]\n]*\]")
DEFINITION = re.compile(r"^ {0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)", re.MULTILINE)
HTML_IMG = re.compile(r"<img\b[^<>]*>", re.IGNORECASE)
HTML_ALT = re.compile(r"\balt\s*=", re.IGNORECASE)
HTML_SRC = re.compile(r"\bsrc\s*=\s*(?:[\"']([^\"']*)|([^\s\"'<>]+))", re.IGNORECASE)
HTML_HREF = re.compile(r"<a\b[^<>]*?\bhref\s*=\s*([\"'])([^\"'<>]*)\1", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class LinkRef:
    """A link or image in a Markdown body: where it is and where it goes."""

    line: int
    col: int
    target: str
    image: bool = False
    alt: str | None = None
    html: bool = False  # written as an HTML tag, not in Markdown


def _blank(match: re.Match[str]) -> str:
    return re.sub(r"[^\n]", " ", match.group(0))


def without_code(body: str) -> str:
    """Blank out code blocks and code spans, keeping every other character where it was."""
    if "`" not in body and "~~~" not in body:
        return body  # nothing to blank: most texts
    out, fence, start = [], "", 0
    for match in FENCE.finditer(body):
        marker = match.group(1)
        if not fence:
            out.append(body[start : match.start()])
            fence, start = marker, match.start()
        elif marker[0] == fence[0] and len(marker) >= len(fence):
            end = body.find("\n", match.end())
            end = len(body) if end < 0 else end
            out.append(re.sub(r"[^\n]", " ", body[start:end]))
            fence, start = "", end
    rest = body[start:]
    out.append(re.sub(r"[^\n]", " ", rest) if fence else rest)
    return CODE_SPAN.sub(_blank, "".join(out))


NEWLINE = re.compile("\n")


def find_links(text: CheckedText | SourceText, source: str | None = None) -> list[LinkRef]:
    """Every inline link, image, reference definition and HTML link or image of a text
    (`source`: its body, when the caller has it already)."""
    try:
        body = without_code(text.body.read() if source is None else source)
    except SourceChanged:  # reported where the page is rendered
        return []
    starts = [0] + [m.end() for m in NEWLINE.finditer(body)]

    def position(offset: int) -> tuple[int, int]:
        index = max(0, bisect.bisect_right(starts, offset) - 1)
        return text.body_line + index, offset - starts[index] + 1

    refs: list[LinkRef] = []
    for m in INLINE.finditer(body) if "](" in body else ():
        if m.start() > 0 and body[m.start() - 1] == "!":
            bang_line, bang_col = position(m.start() - 1)
            refs.append(LinkRef(bang_line, bang_col, m.group(2), True, m.group(1).strip()))
        else:
            refs.append(LinkRef(*position(m.start(2)), m.group(2)))
    for m in REF_IMAGE.finditer(body) if "![" in body else ():
        line, col = position(m.start())
        refs.append(LinkRef(line, col, "", True, ""))
    for m in DEFINITION.finditer(body) if "]:" in body else ():
        refs.append(LinkRef(*position(m.start(1)), m.group(1)))
    tags = "<" in body  # most texts have no HTML at all
    for m in HTML_HREF.finditer(body) if tags else ():
        refs.append(LinkRef(*position(m.start(2)), html.unescape(m.group(2))))
    for m in HTML_IMG.finditer(body) if tags else ():
        tag = m.group(0)
        if not HTML_ALT.search(tag):
            src = HTML_SRC.search(tag)
            name = (src.group(1) or src.group(2) or "") if src else ""
            refs.append(LinkRef(*position(m.start()), name, True, "", html=True))
    return refs


def link_path(page_path: str, target: str) -> tuple[str, str] | None:
    """The content path and fragment a link points at, the way the link rewriter reads it."""
    try:
        parts = urlsplit(target)
    except ValueError:  # e.g. https://[abc: the link rewriter reports it
        return None
    if parts.scheme or target.startswith("//"):
        return None
    if not parts.path:
        return page_path, unquote(parts.fragment)
    joined = parts.path if parts.path.startswith("/") else posixpath.join(page_path, parts.path)
    wanted = posixpath.normpath("/" + joined).strip("/")
    return ("" if wanted == "." else wanted), unquote(parts.fragment)
