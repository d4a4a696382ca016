"""A text's body, read from its file when it is rendered rather than kept in the model.

Bodies are most of a site's text: 40,000 pages hold about 300 MB of them. The model keeps
where each body starts in its file and the file's hash; reading checks the hash, so a file
saved again during a build is reported, never rendered half old, half new.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from sitegen.source.textfile import read_text


class SourceChanged(Exception):
    """The file changed after the build read it; carries its path for the message."""


@dataclass(frozen=True, slots=True)
class Body:
    """Where a body is: its file (None: held in `held`), the offset it starts at, the hash."""

    path: Path | None
    start: int
    digest: str
    blank: bool  # only white space: known without reading the file
    held: str | None = None

    @classmethod
    def of(cls, text: str) -> Body:
        """A body held in memory (tests, and text that has no file)."""
        return cls(None, 0, "", not text.strip(), text)

    def read(self) -> str:
        if self.held is not None or self.path is None:
            return self.held or ""
        text = read_text(self.path, str(self.path), [])
        if text is None or hashlib.sha256(text.encode()).hexdigest() != self.digest:
            raise SourceChanged(str(self.path))
        return text[self.start :]


NO_BODY = Body(None, 0, "", True, "")


def read_body(body: Body) -> str | None:
    """The body as loading hashed it; None when its file changed since (the page reports it)."""
    try:
        return body.read()
    except SourceChanged:
        return None
