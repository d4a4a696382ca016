"""Which content paths were pages once: read from git, only when a link goes nowhere.

A link to a page that was deleted deserves 'it no longer exists', not a 'did you mean' that
names another page. Without git (or outside a repository) nothing is known, and the messages
fall back to the plain 'there is no page'.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from sitegen.source.git import git_output

PAGE_FILES = (".md", ".yaml")


def _page_path(file: str) -> str | None:
    """content/partners/voka/en.md -> partners/voka; '' for the home page's files."""
    parts = PurePosixPath(file)
    if parts.suffix not in PAGE_FILES or not parts.parts or parts.parts[0] != "content":
        return None
    folder = parts.parent.relative_to("content").as_posix()
    return "" if folder == "." else folder


def former_pages(root: Path) -> frozenset[str]:
    """Content paths that had a page file in the last commit or in any earlier one."""
    prefix = "".join(git_output(root, "rev-parse", "--show-prefix").splitlines()[:1])
    files = git_output(
        root, "ls-tree", "-r", "--name-only", "--full-name", "HEAD", "--", "content"
    ).splitlines()
    files += git_output(
        root, "log", "--all", "--diff-filter=D", "--name-only", "--format=", "--", "content"
    ).splitlines()
    paths = set()
    for file in files:
        if file.startswith(prefix):
            path = _page_path(file[len(prefix) :])
            if path is not None:
                paths.add(path)
    return frozenset(paths)
