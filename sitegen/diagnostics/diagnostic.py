"""Diagnostics: content problems as values, reported all at once.

The formatters live here too, so the terminal, CI annotations, JSON and the browser overlay
all say the same thing in the same words.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, TextIO

Severity = Literal["error", "warning"]

EXCERPT_WIDTH = 100
RESET, BOLD = "\033[0m", "\033[1m"
COLOURS: dict[str, str] = {
    "error": "\033[1;31m",
    "warning": "\033[1;33m",
    "hint": "\033[36m",
    "gutter": "\033[34m",
}


@dataclass(frozen=True, slots=True, order=True)
class Diagnostic:
    """One problem an editor can fix, anchored to a file position (1-based)."""

    path: str
    line: int
    col: int
    message: str
    hint: str = ""
    severity: Severity = "error"
    # A stable name (see diagnostics/codes.py): programs decide on it, never on the message.
    code: str = ""

    def format(self) -> str:
        """Render as `path:line:col: error: message` with the hint on its own line."""
        text = f"{self.path}:{self.line}:{self.col}: {self.severity}: {self.message}"
        if self.hint:
            text += f"\n  hint: {self.hint}"
        return text


def error(
    path: str, line: int, col: int, message: str, hint: str = "", code: str = ""
) -> Diagnostic:
    return Diagnostic(path, line, col, message, hint, "error", code)


def warning(
    path: str, line: int, col: int, message: str, hint: str = "", code: str = ""
) -> Diagnostic:
    return Diagnostic(path, line, col, message, hint, "warning", code)


def has_errors(diagnostics: Iterable[Diagnostic]) -> bool:
    return any(d.severity == "error" for d in diagnostics)


def sort_diagnostics(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    """Sort by file and position, dropping exact duplicates."""
    return sorted(set(diagnostics))


class SourceLines:
    """The lines of the files that diagnostics point at, read once per report.

    Reading here (not in load) is deliberate: the excerpt is for display only, like a
    compiler re-reading a file to show the line with the mistake.
    """

    def __init__(self, root: Path) -> None:
        self.root = root
        self.files: dict[str, list[str] | None] = {}

    def line(self, path: str, number: int) -> str | None:
        if path not in self.files:
            self.files[path] = self._read(path)
        lines = self.files[path]
        if lines is None or not 1 <= number <= len(lines):
            return None
        return lines[number - 1]

    def _read(self, path: str) -> list[str] | None:
        file = self.root / path
        try:
            # A symbolic link may point outside the site: never print what it points at.
            if file.is_symlink() or not file.is_file() or file.stat().st_size > 5 * 1024 * 1024:
                return None
            raw = file.read_bytes()
        except OSError:
            return None
        if b"\x00" in raw[:8192]:
            return None  # an image or other binary file: nothing to show
        text = raw.decode("utf-8", errors="replace").removeprefix("\ufeff")
        return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def _pad(prefix: str) -> str:
    """Blank out text so a caret printed after it lands under the next character."""
    out = []
    for char in prefix:
        if char == "\t":
            out.append("\t")
        elif unicodedata.combining(char):
            continue
        elif unicodedata.east_asian_width(char) in ("W", "F"):
            out.append("  ")
        else:
            out.append(" ")
    return "".join(out)


def excerpt(text: str, col: int, width: int = EXCERPT_WIDTH) -> tuple[str, str]:
    """The source line (cut around col when long) and the caret line under it."""
    text = text.rstrip("\n")
    index = max(0, min(col - 1, len(text)))
    if len(text) <= width:
        return text, _pad(text[:index]) + "^"
    start = max(0, min(index - width // 2, len(text) - width))
    end = start + width
    shown = ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")
    before = ("…" if start else "") + text[start:index]
    return shown, _pad(before) + "^"


def _paint(text: str, style: str, colour: bool) -> str:
    return f"{style}{text}{RESET}" if colour and text else text


def format_text(
    diagnostic: Diagnostic, source: SourceLines | None = None, colour: bool = False
) -> str:
    """`path:line:col: error: message`, the hint, then the line with a caret under the column."""
    d = diagnostic
    head = (
        _paint(f"{d.path}:{d.line}:{d.col}:", BOLD, colour)
        + " "
        + _paint(f"{d.severity}:", COLOURS[d.severity], colour)
        + " "
        + _paint(d.message, BOLD, colour)
    )
    parts = [head]
    if d.hint:
        parts.append("  " + _paint("hint:", COLOURS["hint"], colour) + " " + d.hint)
    line = source.line(d.path, d.line) if source is not None else None
    if line is not None and line.strip():
        shown, caret = excerpt(line, d.col)
        gutter = f"{d.line:>6} | "
        blank = " " * (len(gutter) - 2) + "| "
        parts.append(_paint(gutter, COLOURS["gutter"], colour) + shown)
        parts.append(
            _paint(blank, COLOURS["gutter"], colour) + _paint(caret, COLOURS[d.severity], colour)
        )
    return "\n".join(parts)


def summary(diagnostics: Sequence[Diagnostic]) -> str:
    errors = sum(1 for d in diagnostics if d.severity == "error")
    return f"{errors} error(s), {len(diagnostics) - errors} warning(s)"


def use_colour(stream: TextIO, environ: Mapping[str, str]) -> bool:
    """Colour only on a terminal, and never when NO_COLOR is set (no-color.org)."""
    if environ.get("NO_COLOR"):
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def format_annotation(diagnostic: Diagnostic, path: str | None = None) -> str:
    """A GitHub Actions workflow command, so the message shows on the changed line of a PR."""
    d = diagnostic
    message = d.message + (f"\nhint: {d.hint}" if d.hint else "")
    file = _escape_property(path or d.path)
    return f"::{d.severity} file={file},line={d.line},col={d.col}::{_escape_data(message)}"


def to_dict(diagnostic: Diagnostic) -> dict[str, object]:
    d = diagnostic
    return {
        "path": d.path,
        "line": d.line,
        "col": d.col,
        "severity": d.severity,
        "message": d.message,
        "hint": d.hint,
        "code": d.code,
    }


def format_json(diagnostics: Sequence[Diagnostic], **extra: object) -> str:
    """One JSON document for other tools: counts, extra fields, then every diagnostic."""
    errors = sum(1 for d in diagnostics if d.severity == "error")
    document: dict[str, object] = {
        "ok": errors == 0,
        "errors": errors,
        "warnings": len(diagnostics) - errors,
    }
    document.update(extra)
    document["diagnostics"] = [to_dict(d) for d in diagnostics]
    return json.dumps(document, ensure_ascii=False, indent=2)
