"""The placeholder text `sitegen new` writes, and how to recognise it wherever it stays.

`new` and the check that refuses to publish a placeholder read the same constants, so a
scaffold written by one version of `new` is always recognised by the check.
"""

from __future__ import annotations

import re

TITLE_MARK = "(check this title)"
DESCRIPTION = "Say in one sentence what this page is about (shown in search results)."
BODY = "Write the {lang} text of this page here."
BODY_LINE = re.compile(r"^Write the [a-z]{2,3}(?:-[a-z0-9]{2,8})? text of this page here\.\s*$")


def placeholder_title(slug: str) -> str:
    """The folder name's words, capitalised, marked as a guess: 'Flanders Make (check ...)'."""
    words = " ".join(word.capitalize() for word in slug.split("-"))
    return f"{words} {TITLE_MARK}"


def old_placeholder(slug: str) -> str:
    """What `new` wrote as title and description before it marked them: 'Flanders make'."""
    return slug.replace("-", " ").capitalize()


def scaffold_fields(slug: str, title: str, description: str) -> list[str]:
    """The front matter fields ('title', 'description') that still hold `new`'s placeholder."""
    found = []
    legacy = old_placeholder(slug)
    if title.endswith(TITLE_MARK) or (title == legacy and description == legacy):
        found.append("title")
    if description == DESCRIPTION or (description == legacy and title == legacy):
        found.append("description")
    return found


def scaffold_body_lines(body: str) -> list[int]:
    """The 0-based lines of a body that are still `new`'s 'Write the ... text' placeholder."""
    if "text of this page here" not in body:
        return []  # almost every body: no line-by-line look
    return [i for i, line in enumerate(body.split("\n")) if BODY_LINE.match(line)]
