"""Stage 1: read content/, templates/ and assets/ into plain values.

This is the only stage that reads files; everything after it works on these values.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from sitegen.diagnostics import Diagnostic, error
from sitegen.frontmatter import split_front_matter
from sitegen.yamlpos import YamlDoc, parse_yaml

MAX_FILE_BYTES = 5 * 1024 * 1024
SKIPPED_NAMES = {".DS_Store", "Thumbs.db", "desktop.ini"}


@dataclass(frozen=True, slots=True)
class SourceText:
    """One translation file: `<lang>.md` with its front matter and body."""

    src: str
    lang: str
    front: YamlDoc | None
    body: str
    body_line: int
    digest: str


@dataclass(frozen=True, slots=True)
class SourcePage:
    """One folder under content/: its translations, shared data and other files."""

    path: str
    src_dir: str
    texts: dict[str, SourceText]
    data: YamlDoc | None
    data_src: str
    files: tuple[tuple[str, Path], ...]


@dataclass(frozen=True, slots=True)
class SiteSources:
    """Everything read from disk for one build."""

    root: Path
    site: YamlDoc | None
    strings: YamlDoc | None
    pages: tuple[SourcePage, ...]
    assets: tuple[tuple[str, bytes], ...]
    templates_dir: Path
    template_names: frozenset[str] = frozenset()
    diagnostics: list[Diagnostic] = field(default_factory=list)


def _rel(root: Path, path: Path) -> str:
    return path.relative_to(root).as_posix()


def read_text(path: Path, src: str, diagnostics: list[Diagnostic]) -> str | None:
    """Read UTF-8 text, normalising BOM and line endings; bad bytes become a diagnostic."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            diagnostics.append(
                error(
                    src,
                    1,
                    1,
                    f"the file is {size} bytes; text files may be at most {MAX_FILE_BYTES} bytes",
                    "split the text over several pages",
                )
            )
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
    return text


def load_yaml_file(path: Path, src: str, diagnostics: list[Diagnostic]) -> YamlDoc | None:
    text = read_text(path, src, diagnostics)
    if text is None:
        return None
    doc, problems = parse_yaml(text, src)
    diagnostics.extend(problems)
    return doc


def _load_page(
    root: Path, folder: Path, content: Path, diagnostics: list[Diagnostic]
) -> SourcePage:
    path = folder.relative_to(content).as_posix()
    path = "" if path == "." else path
    texts: dict[str, SourceText] = {}
    files: list[tuple[str, Path]] = []
    data: YamlDoc | None = None
    data_src = _rel(root, folder / "data.yaml")
    for entry in sorted(folder.iterdir(), key=lambda p: p.name):
        if entry.name.startswith(".") or entry.name in SKIPPED_NAMES or entry.is_dir():
            continue
        src = _rel(root, entry)
        if entry.suffix == ".md":
            text = read_text(entry, src, diagnostics)
            if text is None:
                continue
            front, body, body_line, problems = split_front_matter(text, src)
            diagnostics.extend(problems)
            digest = hashlib.sha256(text.encode()).hexdigest()
            texts[entry.stem] = SourceText(src, entry.stem, front, body, body_line, digest)
        elif entry.name == "data.yaml":
            data = load_yaml_file(entry, src, diagnostics)
        elif path == "" and entry.name in ("site.yaml", "strings.yaml"):
            continue
        else:
            files.append((entry.name, entry))
    return SourcePage(path, _rel(root, folder), texts, data, data_src, tuple(files))


def _page_folders(content: Path) -> list[Path]:
    folders = [content]
    for folder in sorted(content.rglob("*")):
        rel = folder.relative_to(content).parts
        if folder.is_dir() and not any(part.startswith(".") for part in rel):
            folders.append(folder)
    return folders


def load_sources(root: Path) -> SiteSources:
    """Read the whole site below root; problems are collected, never raised."""
    diagnostics: list[Diagnostic] = []
    content = root / "content"
    if not content.is_dir():
        diagnostics.append(
            error(
                "content",
                1,
                1,
                "there is no content/ folder here",
                "run sitegen in the site folder or pass --site DIR",
            )
        )
        return SiteSources(root, None, None, (), (), root / "templates", frozenset(), diagnostics)
    site = load_yaml_file(content / "site.yaml", "content/site.yaml", diagnostics)
    strings_path = content / "strings.yaml"
    strings = (
        load_yaml_file(strings_path, "content/strings.yaml", diagnostics)
        if strings_path.exists()
        else YamlDoc({}, {(): (1, 1)})
    )
    pages = tuple(
        _load_page(root, folder, content, diagnostics) for folder in _page_folders(content)
    )
    assets: list[tuple[str, bytes]] = []
    assets_dir = root / "assets"
    if assets_dir.is_dir():
        for entry in sorted(assets_dir.rglob("*")):
            if entry.is_file() and not entry.name.startswith("."):
                assets.append((entry.relative_to(assets_dir).as_posix(), entry.read_bytes()))
    templates = root / "templates"
    names = (
        frozenset(
            p.relative_to(templates).as_posix() for p in templates.rglob("*.html") if p.is_file()
        )
        if templates.is_dir()
        else frozenset()
    )
    return SiteSources(root, site, strings, pages, tuple(assets), templates, names, diagnostics)
