"""One message per broken template line, not one per page that went through it.

A typo in templates/base.html fails every page of the site the same way: a report of 4,000
identical errors would hide everything else. Template errors (by their code) are kept back
while pages render and given once, naming the first page and how many others failed there.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

from sitegen.diagnostics import codes
from sitegen.diagnostics.diagnostic import Diagnostic


class Repeats:
    """Template errors seen so far: each with the first page it failed on and how many."""

    def __init__(self) -> None:
        self.seen: dict[Diagnostic, tuple[str, int]] = {}

    def keep(self, diagnostics: Iterable[Diagnostic], src: str) -> list[Diagnostic]:
        """The diagnostics of one page (`src`) but its template errors, which are noted."""
        rest = []
        for d in diagnostics:
            if d.code != codes.TEMPLATE_ERROR:
                rest.append(d)
                continue
            first, count = self.seen.get(d, (src, 0))
            self.seen[d] = (first, count + 1)
        return rest

    def merged(self) -> list[Diagnostic]:
        """Each template error once, saying where it struck."""
        found = []
        for d, (first, count) in self.seen.items():
            others = count - 1
            where = (
                f"{first} and {others} other page{'s' if others > 1 else ''}" if others else first
            )
            found.append(dataclasses.replace(d, message=f"{d.message} (rendering {where})"))
        return found
