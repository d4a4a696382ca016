"""Diagnostics printed for people and for CI: text on stderr, JSON on stdout, annotations."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path

from sitegen.diagnostics.diagnostic import (
    Diagnostic,
    SourceLines,
    format_annotation,
    format_json,
    format_text,
    summary,
    use_colour,
)


def _annotation_path(root: Path | None, path: str) -> str:
    """The file as GitHub sees it: relative to the checked-out workspace when we can."""
    if root is None:
        return path
    workspace = Path(os.environ.get("GITHUB_WORKSPACE") or Path.cwd()).resolve()
    full = (root / path).resolve()
    return full.relative_to(workspace).as_posix() if full.is_relative_to(workspace) else path


def print_diagnostics(
    diagnostics: Sequence[Diagnostic],
    root: Path | None = None,
    fmt: str = "text",
    **extra: object,
) -> None:
    """Text with source excerpts on stderr, or one JSON document on stdout; CI annotations too."""
    if fmt == "json":
        print(format_json(diagnostics, **extra))
    else:
        source = SourceLines(root) if root is not None else None
        colour = use_colour(sys.stderr, os.environ)
        for diagnostic in diagnostics:
            print(format_text(diagnostic, source, colour), file=sys.stderr)
        if diagnostics:
            print(summary(diagnostics), file=sys.stderr)
    if os.environ.get("GITHUB_ACTIONS") == "true":
        stream = sys.stderr if fmt == "json" else sys.stdout
        for diagnostic in diagnostics:
            print(
                format_annotation(diagnostic, _annotation_path(root, diagnostic.path)), file=stream
            )
