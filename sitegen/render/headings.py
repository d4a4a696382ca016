"""A '# heading' in a page text: a second main heading, after the title the template shows.

Screen-reader users jump from heading to heading and expect one level-1 heading, the page's
title; search engines read it as the page's subject too. Looked for where a page is
rendered, because the body is at hand there; most texts have no such line, so a cheap test
on the raw text comes first and code blocks are only blanked when it matches.
"""

from __future__ import annotations

import re

from sitegen.diagnostics import codes
from sitegen.diagnostics.diagnostic import Diagnostic, warning
from sitegen.model.links import without_code
from sitegen.schema.validate import CheckedText

# '# Title' (up to three spaces before it), or a line of '=' under a line of text.
ATX = re.compile(r"^ {0,3}#(?:[ \t]|$)", re.MULTILINE)
SETEXT = re.compile(r"^(?=[^\n]*\S)(?! {0,3}[-*_=>#])[^\n]*\n {0,3}=+[ \t]*$", re.MULTILINE)
# The same, found fast: starting with a newline, re skips from line to line (7 us, not 90).
MAYBE = re.compile(r"\n {0,3}(?:#(?:[ \t\n]|$)|=+[ \t]*(?:\n|$))")


def main_headings(text: CheckedText, body: str) -> list[Diagnostic]:
    """A warning at each line of the body that makes a level-1 heading."""
    if not MAYBE.search("\n" + body):
        return []
    plain = without_code(body)
    found = [m.start() for m in ATX.finditer(plain)]
    found += [m.start() for m in SETEXT.finditer(plain)]
    diags = []
    for offset in sorted(found):
        line = text.body_line + plain.count("\n", 0, offset)
        diags.append(
            warning(
                text.src,
                line,
                1,
                "this heading is a second main heading: the page title is the first",
                "start it with '## ' (and the headings below it with '### ')",
                codes.SECOND_MAIN_HEADING,
            )
        )
    return diags
