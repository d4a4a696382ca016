"""Which content paths were pages once: read from git, only when a link goes nowhere.

A link to a page that was deleted deserves 'it no longer exists', not a 'did you mean' that
names another page. Without git (or outside a repository) nothing is known, and the messages
fall back to the plain 'there is no page'.
"""

from __future__ import annotations

import subprocess
from pathlib import Path, PurePosixPath

PAGE_FILES = (".md", ".yaml")
TIMEOUT = 20  # seconds: a history question must never hang a build


def _git(root: Path, *args: str) -> list[str]:
    try:
        done = subprocess.run(
            ["git", "-C", str(root), *args],
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return []
    return done.stdout.splitlines() if done.returncode == 0 else []


def _page_path(file: str) -> str | None:
    """content/partners/voka/en.md -> partners/voka; '' for the home page's files."""
    parts = PurePosixPath(file)
    if parts.suffix not in PAGE_FILES or not parts.parts or parts.parts[0] != "content":
        return None
    folder = parts.parent.relative_to("content").as_posix()
    return "" if folder == "." else folder


def former_pages(root: Path) -> frozenset[str]:
    """Content paths that had a page file in the last commit or in any earlier one."""
    prefix = "".join(_git(root, "rev-parse", "--show-prefix")[:1])
    files = _git(root, "ls-tree", "-r", "--name-only", "--full-name", "HEAD", "--", "content")
    files += _git(
        root, "log", "--all", "--diff-filter=D", "--name-only", "--format=", "--", "content"
    )
    paths = set()
    for file in files:
        if file.startswith(prefix):
            path = _page_path(file[len(prefix) :])
            if path is not None:
                paths.add(path)
    return frozenset(paths)
