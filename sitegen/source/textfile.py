"""Reading one text file: UTF-8, one kind of line ending, no invisible characters.

Every problem becomes a diagnostic naming the file, the line and what to do.
"""

from __future__ import annotations

import re
from pathlib import Path

from sitegen.diagnostics.diagnostic import Diagnostic, error
from sitegen.source.yamlpos import YamlDoc, char_name, parse_yaml

MAX_FILE_BYTES = 5 * 1024 * 1024
# Invisible characters that HTML and XML do not allow; tab and newline are fine.
CONTROL = re.compile("[\x01-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")


def size_error(src: str, size: int, limit: int, kind: str, hint: str) -> Diagnostic | None:
    """The message for a file over its size limit (kind: which files the limit is for)."""
    if size <= limit:
        return None
    return error(src, 1, 1, f"the file is {size} bytes; {kind} may be at most {limit} bytes", hint)


def read_text(path: Path, src: str, diagnostics: list[Diagnostic]) -> str | None:
    """Read UTF-8 text, normalising BOM and line endings; bad bytes become a diagnostic."""
    try:
        too_big = size_error(
            src,
            path.stat().st_size,
            MAX_FILE_BYTES,
            "text files",
            "split the text over several pages",
        )
        if too_big is not None:
            diagnostics.append(too_big)
            return None
        raw = path.read_bytes()
    except OSError as exc:
        diagnostics.append(
            error(
                src,
                1,
                1,
                f"cannot read the file: {exc.strerror}",
                "check that the file exists and is readable",
            )
        )
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        col = exc.start - (before.rfind(b"\n") + 1) + 1
        diagnostics.append(
            error(
                src,
                line,
                col,
                "the file is not valid UTF-8 text",
                "save the file with the UTF-8 encoding in your editor",
            )
        )
        return None
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        diagnostics.append(
            error(
                src,
                line,
                1,
                "the file contains a NUL character",
                "remove the invisible character or retype the line",
            )
        )
        return None
    control = CONTROL.search(text)
    if control:
        line = text.count("\n", 0, control.start()) + 1
        col = control.start() - (text.rfind("\n", 0, control.start()) + 1) + 1
        diagnostics.append(
            error(
                src,
                line,
                col,
                f"the file contains the invisible control character {char_name(control.group())}",
                "remove the invisible character or retype the line",
            )
        )
        return None
    return text


def load_yaml_file(path: Path, src: str, diagnostics: list[Diagnostic]) -> YamlDoc | None:
    text = read_text(path, src, diagnostics)
    if text is None:
        return None
    doc, problems = parse_yaml(text, src)
    diagnostics.extend(problems)
    return doc
