"""Word-by-word differences of an English unit, and its earlier text from git history.

The earlier text of a changed unit comes from git (read-only); without git, or when the
history does not have it, the new text is shown whole.
"""

from __future__ import annotations

import html
import re
import shutil
from difflib import SequenceMatcher
from pathlib import Path

from sitegen.source.git import git_output
from sitegen.source.segments import cut_segments

WORD = re.compile(r"\w+|\s+|[^\w\s]")  # words, spaces and each punctuation mark
GIT_DEPTH = 200  # commits of an English file searched for the earlier text of changed units
Words = tuple[tuple[str, str], ...]  # ("=" | "-" | "+", text)


def earlier_texts(root: Path, src: str, wanted: set[str]) -> dict[str, str]:
    """digest -> English text of units no longer in the file, found in its git history."""
    found: dict[str, str] = {}
    if not wanted or shutil.which("git") is None:
        return found
    log = git_output(root, "log", f"-n{GIT_DEPTH}", "--format=%H", "--", src)
    for commit in log.split():
        text = git_output(root, "show", f"{commit}:./{src}")
        for segment in cut_segments(text.replace("\r\n", "\n")):
            if segment.digest in wanted:
                found.setdefault(segment.digest, segment.text)
        if wanted <= found.keys():
            break
    return found


# --- word by word ------------------------------------------------------------------------


def word_diff(old: str, new: str) -> Words:
    """The words of new, with those that replace or add to old marked, old ones kept too."""
    a, b = WORD.findall(old), WORD.findall(new)
    out: list[tuple[str, str]] = []
    for op, a1, a2, b1, b2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(("=", "".join(a[a1:a2])))
            continue
        if a2 > a1:
            out.append(("-", "".join(a[a1:a2])))
        if b2 > b1:
            out.append(("+", "".join(b[b1:b2])))
    return tuple(out)


def words_text(words: Words) -> str:
    """Terminal form, as `git diff --word-diff`: [-removed-]{+added+}."""
    marks = {"=": "{}", "-": "[-{}-]", "+": "{{+{}+}}"}
    return "".join(marks[op].format(text) for op, text in words)


def words_html(words: Words) -> str:
    tags = {"=": "{}", "-": "<del>{}</del>", "+": "<ins>{}</ins>"}
    return "".join(tags[op].format(html.escape(text)) for op, text in words)


# --- the matrix --------------------------------------------------------------------------
