"""Render only the pages whose inputs changed, over all cores, in the order of the model.

A page is rendered through a Site whose `pages` and `versions` mappings record every key the
page's Markdown, view and template read. Next build, the page is reused when its own version,
the build-wide inputs (templates, strings, settings, assets, sitegen itself) and every value
it read are the same; otherwise it is rendered again. Recording what was read, rather than
listing by hand what a page shows, keeps the cache right when views change. One assumption:
a page never shows another page's body (titles, URLs and data only).
"""

from __future__ import annotations

import copy
import dataclasses
import hashlib
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import TypeVar

from sitegen.cache import BuildCache, Entry, code_digest
from sitegen.diagnostics import Diagnostic
from sitegen.model.site import Site, Version
from sitegen.parallel import ordered_map
from sitegen.render.environment import LangTools
from sitegen.render.images import ImageProcessor, ImageSet
from sitegen.render.pages import RenderedVersion, RenderInput, VersionRenderer, render_version

K = TypeVar("K")
V = TypeVar("V")
Dep = tuple[str, object]
EVERY_KEY = "*keys"
EVERYTHING: Dep = ("*", "*")
MAX_DEPS = 300  # past this, a page depends on the whole model: cheaper to check than list


class _Recorder(Mapping[K, V]):
    """A read-only mapping that notes each key looked up (and whether all keys were listed)."""

    __slots__ = ("_inner", "_seen", "_tag")

    def __init__(self, inner: Mapping[K, V], seen: set[Dep], tag: str) -> None:
        self._inner, self._seen, self._tag = inner, seen, tag

    def __getitem__(self, key: K) -> V:
        self._seen.add((self._tag, key))
        return self._inner[key]

    def __contains__(self, key: object) -> bool:
        self._seen.add((self._tag, key))
        return key in self._inner

    def __iter__(self) -> Iterator[K]:
        self._seen.add((self._tag, EVERY_KEY))
        return iter(self._inner)

    def __len__(self) -> int:
        self._seen.add((self._tag, EVERY_KEY))
        return len(self._inner)


def _h(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


class Digests:
    """Digests of model values, computed at most once per build."""

    def __init__(self, site: Site, build_wide: str) -> None:
        self.site = site
        self.build_wide = build_wide
        self._memo: dict[Dep, str] = {}

    def own(self, version: Version) -> str:
        return _h(f"{self.build_wide}|{version!r}")

    def dep(self, dep: Dep) -> str:
        found = self._memo.get(dep)
        if found is None:
            found = self._memo[dep] = self._compute(dep)
        return found

    def _compute(self, dep: Dep) -> str:
        tag, key = dep
        site = self.site
        if dep == EVERYTHING:
            parts = [self.dep(("p", p)) for p in site.pages]
            parts += [self.dep(("v", v)) for v in site.versions]
            return _h("|".join(parts) + repr(list(site.pages)) + repr(list(site.versions)))
        mapping: Mapping[str, object] | Mapping[tuple[str, str], Version]
        mapping = site.pages if tag == "p" else site.versions
        if key == EVERY_KEY:
            return _h(repr(list(mapping)))
        value = mapping.get(key)  # type: ignore[call-overload]
        if isinstance(value, Version):  # another page's body is never shown: leave it out
            text = dataclasses.replace(value.text, body="", digest="")
            value = dataclasses.replace(value, text=text)
        return _h(repr(value))

    def of(self, deps: tuple[Dep, ...]) -> str:
        return _h("|".join(self.dep(d) for d in deps))


def build_wide_digest(site: Site, inputs: RenderInput, asset: dict[str, str]) -> str:
    """Everything every page may depend on besides the model's pages and versions."""
    h = hashlib.sha256(code_digest().encode())
    h.update(repr(site.config).encode())
    h.update(repr(sorted((k, sorted(v.items())) for k, v in site.strings.items())).encode())
    h.update(repr(sorted(asset.items())).encode())
    for path in sorted(inputs.templates_dir.rglob("*")) if inputs.templates_dir.is_dir() else []:
        if path.is_file():
            h.update(path.as_posix().encode() + b"\0" + path.read_bytes())
    for page in site.pages.values():  # images are read from disk while rendering
        for name, file in page.files:
            st = file.stat()
            h.update(f"{page.path}/{name}\0{st.st_size}\0{st.st_mtime_ns}".encode())
    return h.hexdigest()


Rendered = tuple[bytes | None, list[Diagnostic], tuple[Dep, ...], tuple[tuple[str, str], ...]]


def _render_setup(
    site: Site, inputs: RenderInput, tools: Mapping[str, LangTools], asset: dict[str, str]
) -> Callable[[], Callable[[Version], Rendered]]:
    """Runs once per worker: its own copy of the converter, and an image log per page."""

    def setup() -> Callable[[Version], Rendered]:
        log: list[tuple[str, str]] = []
        worker_inputs = inputs
        if inputs.images is not None:
            images = copy.copy(inputs.images)
            plain = ImageProcessor.image_set

            def logged(path: Path, label: str) -> ImageSet | None:
                log.append((str(path), label))
                return plain(images, path, label)

            setattr(images, "image_set", logged)  # noqa: B010 - this copy only
            worker_inputs = dataclasses.replace(inputs, images=images)

        def render(version: Version) -> Rendered:
            seen: set[Dep] = set()
            recording = Site(
                site.config,
                site.strings,
                _Recorder(site.pages, seen, "p"),
                _Recorder(site.versions, seen, "v"),
            )
            log.clear()
            diags: list[Diagnostic] = []
            html = render_version(
                recording, version, worker_inputs, tools[version.lang], asset, diags
            )
            deps = (
                (EVERYTHING,)
                if len(seen) > MAX_DEPS
                else tuple(sorted(seen, key=lambda d: (d[0], repr(d[1]))))
            )
            return html, diags, deps, tuple(dict.fromkeys(log))

        return render

    return setup


def incremental_renderer(cache: BuildCache | None, jobs: int, save: bool = True) -> VersionRenderer:
    """A VersionRenderer for iter_outputs that reuses cached pages and renders the rest in
    `jobs` processes; with save=False (check) it reads the cache but writes nothing."""

    def renderer(
        site: Site, inputs: RenderInput, tools: Mapping[str, LangTools], asset: dict[str, str]
    ) -> Iterator[RenderedVersion]:
        build_wide = build_wide_digest(site, inputs, asset)
        digests = Digests(site, build_wide)
        old = cache.load_manifest(build_wide) if cache is not None else {}
        new: dict[str, Entry] = {}
        versions = list(site.versions.values())
        hits: dict[str, Entry] = {}
        for version in versions:
            entry = old.get(version.out)
            if (
                entry is not None
                and cache is not None
                and entry.own == digests.own(version)
                and entry.deps_digest == digests.of(entry.deps)
                and cache.store.has(entry.content)
            ):
                hits[version.out] = entry
        misses = [v for v in versions if v.out not in hits]
        setup = _render_setup(site, inputs, tools, asset)
        rendered = ordered_map(setup, misses, jobs)
        for version in versions:
            entry = hits.get(version.out)
            data = cache.store.get(entry.content) if entry is not None and cache else None
            if entry is None or data is None:
                result = next(rendered) if entry is None else setup()(version)
                html, diags, deps, images = result
                if html is not None and not diags and cache is not None:
                    content = cache.store.put(html) if save else ""
                    entry = Entry(digests.own(version), deps, digests.of(deps), content, images)
                _replay(inputs, images)
                if entry is not None:
                    new[version.out] = entry
                yield version, html, diags
                continue
            _replay(inputs, entry.images)
            new[version.out] = entry
            yield version, data, []
        if cache is not None and save:
            cache.save_manifest(build_wide, new)

    return renderer


def _replay(inputs: RenderInput, images: tuple[tuple[str, str], ...]) -> None:
    """Plan a page's images in this process too, so their files are written with the build."""
    if inputs.images is not None:
        for path, label in images:
            inputs.images.image_set(Path(path), label)
