"""Inline Markdown in a unit's text as protected codes between runs of words.

A translator sees `[`, `](/partners/imec)`, `**` or a whole code span as placeholders they
move but cannot change; the words between them are theirs.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

CODE = re.compile(
    r"(?P<code>(`+)(?:(?!\2).)+?\2)"
    r"|(?P<image>!\[[^\]]*\]\([^)]*\))"
    r"|(?P<close>\]\([^)]*\)|\]\[[^\]]*\])"
    r"|(?P<open>\[)(?=[^\]]*\][(\[])"
    r"|(?P<auto><(?:https?|mailto):[^>\s]+>)"
    r"|(?P<html></?[A-Za-z][^>]*>)"
    r"|(?P<attr>\{[:#.][^}]*\})"
    r"|(?P<escape>\\[\\`*_{}\[\]()#+\-.!|<>])"
    r"|(?P<emphasis>\*{1,3}|(?<!\w)_{1,3}|_{1,3}(?!\w))"
)
CTYPES = {
    "code": "x-code",
    "image": "image",
    "close": "x-link-end",
    "open": "x-link-start",
    "auto": "x-link",
    "html": "x-html",
    "attr": "x-attributes",
    "escape": "x-escape",
    "emphasis": "x-emphasis",
}


@dataclass(frozen=True, slots=True)
class Code:
    """A piece of Markdown syntax kept as it is: its text and what it is (an XLIFF ctype)."""

    native: str
    ctype: str


Piece = str | Code


def split_inline(text: str) -> list[Piece]:
    """Words and codes, in order; joining them gives the text back."""
    pieces: list[Piece] = []
    at = 0
    for match in CODE.finditer(text):
        if match.start() > at:
            pieces.append(text[at : match.start()])
        group = match.lastgroup or "code"
        pieces.append(Code(match.group(0), CTYPES[group]))
        at = match.end()
    if at < len(text):
        pieces.append(text[at:])
    return pieces


def join_pieces(pieces: list[Piece]) -> str:
    return "".join(p.native if isinstance(p, Code) else p for p in pieces)


def codes_of(text: str) -> Counter[str]:
    """The codes of a text, counted: the same for a translation whose markup is intact."""
    return Counter(p.native for p in split_inline(text) if isinstance(p, Code))
