"""Shared helpers: a fresh copy of a test site per test, and the CLI run in-process."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from sitegen.cli import main

REPO = Path(__file__).resolve().parent.parent
SITES = Path(__file__).resolve().parent / "sites"


def copy_site(name: str, dest: Path) -> Path:
    """A test site's content plus the real templates, assets and UI strings."""
    shutil.copytree(SITES / name, dest)
    shutil.copytree(REPO / "templates", dest / "templates")
    shutil.copytree(REPO / "assets", dest / "assets")
    strings = dest / "content" / "strings.yaml"
    if not strings.exists():
        shutil.copy(REPO / "content" / "strings.yaml", strings)
    return dest


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return copy_site("basic", tmp_path / "site")


Run = Callable[..., tuple[int, str, str]]


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str]) -> Run:
    def _run(*args: str | Path) -> tuple[int, str, str]:
        try:
            code = main([str(a) for a in args])
        except SystemExit as exc:
            code = int(exc.code or 0)
        out, err = capsys.readouterr()
        return code, out, err

    return _run


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def tree_bytes(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }
