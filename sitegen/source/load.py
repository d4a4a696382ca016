"""Stage 1: read content/, templates/ and assets/ into plain values.

This is the only stage that reads files; everything after it works on these values.
"""

from __future__ import annotations

import dataclasses
import hashlib
import posixpath
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from sitegen.diagnostics.diagnostic import Diagnostic, error
from sitegen.source.body import Body
from sitegen.source.frontmatter import split_front_matter
from sitegen.source.listing import list_folder, rel_path, walk
from sitegen.source.pictures import Picture, is_picture, read_picture
from sitegen.source.record import RECORD_NAME
from sitegen.source.stamp import Stamp
from sitegen.source.textfile import load_yaml_file, read_text, size_error
from sitegen.source.yamlpos import YamlDoc

MAX_ASSET_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class SourceText:
    """One translation file: `<lang>.md` with its front matter and body."""

    src: str
    lang: str
    front: YamlDoc | None
    body: Body
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
    # translations.yaml: what each translation was made from (source/record.py reads it)
    record: YamlDoc | None = None
    # the size and hash of each image among the files, so rendering never opens one
    pictures: tuple[tuple[Path, Picture], ...] = ()
    # languages whose text is there but could not be read (reported already): not "missing"
    unread: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class SiteSources:
    """Everything read from disk for one build."""

    root: Path
    site: YamlDoc | None
    strings: YamlDoc | None
    pages: tuple[SourcePage, ...]
    assets: tuple[tuple[str, bytes], ...]
    templates_dir: Path
    diagnostics: list[Diagnostic] = field(default_factory=list)
    # every file below templates/ by its name there, so rendering reads none of them
    templates: tuple[tuple[str, str], ...] = ()

    @property
    def template_names(self) -> frozenset[str]:
        """The page templates (`.html`) a text's `template:` may name."""
        return frozenset(name for name, _ in self.templates if name.endswith(".html"))


def _load_page(
    root: Path,
    folder: Path,
    files: tuple[Path, ...],
    content: Path,
    diagnostics: list[Diagnostic],
    memo: Memo | None = None,
) -> SourcePage:
    path = folder.relative_to(content).as_posix()
    path = "" if path == "." else path
    texts: dict[str, SourceText] = {}
    attachments: list[tuple[str, Path]] = []
    pictures: list[tuple[Path, Picture]] = []
    unread: list[str] = []
    data: YamlDoc | None = None
    record: YamlDoc | None = None
    data_src = rel_path(root, folder / "data.yaml")
    for entry in files:
        src = rel_path(root, entry)
        stamp, cached = memo.get(src, entry) if memo is not None else (None, None)
        before = len(diagnostics)
        if entry.suffix == ".md":
            if isinstance(cached, SourceText):
                texts[entry.stem] = cached
                continue
            text = read_text(entry, src, diagnostics)
            if text is None:
                unread.append(entry.stem)
                continue
            front, body, body_line, problems = split_front_matter(text, src)
            diagnostics.extend(problems)
            digest = hashlib.sha256(text.encode()).hexdigest()
            ref = Body(entry.absolute(), len(text) - len(body), digest, not body.strip())
            texts[entry.stem] = SourceText(src, entry.stem, front, ref, body_line, digest)
            if memo is not None and len(diagnostics) == before:
                memo.put(src, stamp, texts[entry.stem])
        elif entry.name == "data.yaml":
            if isinstance(cached, YamlDoc):
                data = cached
                continue
            data = load_yaml_file(entry, src, diagnostics)
            if memo is not None and data is not None and len(diagnostics) == before:
                memo.put(src, stamp, data)
        elif entry.name == RECORD_NAME:
            record = load_yaml_file(entry, src, diagnostics)
        elif path == "" and entry.name in ("site.yaml", "strings.yaml"):
            continue
        else:
            attachments.append((entry.name, entry))
            if is_picture(entry):
                picture = cached if isinstance(cached, Picture) else read_picture(entry)
                if picture is not None:
                    pictures.append((entry, picture))
                    if memo is not None and not picture.problem and cached is None:
                        memo.put(src, stamp, picture)
    return SourcePage(
        path,
        rel_path(root, folder),
        texts,
        data,
        data_src,
        tuple(attachments),
        record,
        tuple(pictures),
        tuple(unread),
    )


def _read_assets(root: Path, diagnostics: list[Diagnostic]) -> list[tuple[str, bytes]]:
    assets: list[tuple[str, bytes]] = []
    assets_dir = root / "assets"
    if not assets_dir.is_dir():
        return assets
    for _folder, files in walk(root, assets_dir, diagnostics, page_names=False):
        for entry in files:
            src = rel_path(root, entry)
            try:
                too_big = size_error(
                    src,
                    entry.stat().st_size,
                    MAX_ASSET_BYTES,
                    "files in assets/",
                    "make the file smaller, or put it in a page folder",
                )
                if too_big is not None:
                    diagnostics.append(too_big)
                    continue
                assets.append((entry.relative_to(assets_dir).as_posix(), entry.read_bytes()))
            except OSError as exc:
                diagnostics.append(
                    error(src, 1, 1, f"cannot read the file: {exc.strerror}", "check the file")
                )
    return assets


Folder = tuple[Path, tuple[Path, ...]]
Part = tuple[list[SourcePage], list[Diagnostic], dict[str, tuple[Stamp, object]], bool]


class Memo(Protocol):
    """What reading needs of a memory of parsed files (the speed layer provides one)."""

    old: dict[str, tuple[Stamp, object]]
    new: dict[str, tuple[Stamp, object]]
    changed: bool

    def get(self, src: str, path: Path) -> tuple[Stamp | None, object | None]: ...
    def put(self, src: str, stamp: Stamp | None, value: object) -> None: ...
    def fork(self) -> Memo: ...
    def absorb(self, new: dict[str, tuple[Stamp, object]], changed: bool) -> None: ...


# How the page folders are shared out: fn over `jobs` slices of items (the speed layer can
# run the slices in processes; reading itself stays one plain loop).
Mapper = Callable[[Callable[[Sequence[Folder]], Part], Sequence[Folder], int], Iterable[Part]]


def serial_map(
    fn: Callable[[Sequence[Folder]], Part], items: Sequence[Folder], jobs: int
) -> list[Part]:
    return [fn(items)]


def _load_pages(
    root: Path,
    folders: list[Folder],
    content: Path,
    diagnostics: list[Diagnostic],
    memo: Memo | None,
    jobs: int,
    mapper: Mapper,
) -> tuple[SourcePage, ...]:
    """Folders are independent of each other: with nothing remembered, parsing them all is
    most of the work, and each process can take a share. A memo that knows the files makes
    reading cheap; sending the pages between processes would then cost more than it saves."""

    def load(part: Sequence[Folder]) -> Part:
        found: list[Diagnostic] = []
        local = memo.fork() if memo is not None else None
        pages = [_load_page(root, folder, files, content, found, local) for folder, files in part]
        return pages, found, local.new if local else {}, bool(local and local.changed)

    shared = 1 if memo is not None and memo.old else jobs
    pages: list[SourcePage] = []
    for part, found, seen, changed in mapper(load, folders, shared):
        pages += part
        diagnostics.extend(found)
        if memo is not None:
            memo.absorb(seen, changed)
    return tuple(pages)


def load_sources(
    root: Path, memo: Memo | None = None, jobs: int = 1, mapper: Mapper = serial_map
) -> SiteSources:
    """Read the whole site below root; problems are collected, never raised.

    With a memo, files that did not change since it was made are not read again. Without
    one (or an empty one), the page folders are read in `jobs` processes.
    """
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
        return SiteSources(root, None, None, (), (), root / "templates", diagnostics)
    site = load_yaml_file(content / "site.yaml", "content/site.yaml", diagnostics)
    strings_path = content / "strings.yaml"
    strings = (
        load_yaml_file(strings_path, "content/strings.yaml", diagnostics)
        if strings_path.exists()
        else YamlDoc({}, {(): (1, 1)})
    )
    folders = list(walk(root, content, diagnostics))
    pages = _load_pages(root, folders, content, diagnostics, memo, jobs, mapper)
    assets = _read_assets(root, diagnostics)
    templates = root / "templates"
    held = _read_templates(root, templates, diagnostics)
    return SiteSources(root, site, strings, pages, tuple(assets), templates, diagnostics, held)


def _read_templates(
    root: Path, templates: Path, diagnostics: list[Diagnostic]
) -> tuple[tuple[str, str], ...]:
    if not templates.is_dir():
        return ()
    held = []
    for _folder, files in walk(root, templates, diagnostics, page_names=False):
        for path in files:
            text = read_text(path, rel_path(root, path), diagnostics)
            if text is not None:
                held.append((path.relative_to(templates).as_posix(), text))
    return tuple(sorted(held))


def reload_pages(sources: SiteSources, folders: set[str]) -> SiteSources:
    """The same sources with these page folders (paths under content/) read again.

    For `serve`: one saved file costs one folder's reading, not the whole site's.
    """
    content = sources.root / "content"
    diagnostics: list[Diagnostic] = []
    pages = []
    for page in sources.pages:
        if page.path in folders:
            folder = content / page.path if page.path else content
            listing = list_folder(sources.root, folder, diagnostics)
            page = _load_page(sources.root, folder, listing.files, content, diagnostics)
        pages.append(page)
    reread = {f"content/{path}" if path else "content" for path in folders}
    kept = [d for d in sources.diagnostics if posixpath.dirname(d.path) not in reread]
    return dataclasses.replace(sources, pages=tuple(pages), diagnostics=kept + diagnostics)
