"""Render only the pages whose inputs changed, over all cores, in the order of the model.

A page records every model key its Markdown, view and template read (recording.py). Next
build, the page is reused when its own version, the build-wide inputs (templates, strings,
settings, assets, sitegen itself) and every value it read are the same; otherwise it is
rendered again. Recording what was read, rather than listing by hand what a page shows,
keeps the cache right when views change. One assumption: a page never shows another page's
body (titles, URLs and data only).
"""

from __future__ import annotations

import dataclasses
import hashlib
import operator
from array import array
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from sitegen.incremental.cache import BuildCache, Entry
from sitegen.incremental.parallel import ordered_map
from sitegen.incremental.pending import PendingEntries
from sitegen.incremental.recording import (
    EVERY_KEY,
    EVERYTHING,
    Dep,
    NotedLinks,
    Recorder,
    in_order,
)
from sitegen.incremental.skip import code_digest
from sitegen.incremental.templatecode import TemplateCode
from sitegen.model.site import Site, Version
from sitegen.output.outputs import Output, Reused
from sitegen.output.write import Ledger
from sitegen.render.checks import PageFacts
from sitegen.render.environment import LangTools
from sitegen.render.linktable import LinkTable
from sitegen.render.pages import (
    RenderedPage,
    RenderedVersion,
    RenderInput,
    render_page,
    template_names,
)
from sitegen.render.templatedeps import template_digests
from sitegen.render.views import SiteWide, site_wide_views
from sitegen.schema.validate import CheckedText

MAX_DEPS = 600  # past this, a page depends on the whole model: cheaper to check than list


def _getter(cls: type, leave_out: tuple[str, ...]) -> Callable[[object], tuple[object, ...]]:
    names = [f.name for f in dataclasses.fields(cls) if f.name not in leave_out]
    return operator.attrgetter(*names)


_VERSION_SHOWN = _getter(Version, ("text",))
_TEXT_SHOWN = _getter(CheckedText, ("body", "digest"))


def shown(version: Version) -> tuple[object, ...]:
    """What other pages can show of a version: every field but its body and the body's hash.
    Read field by field, not copied with dataclasses.replace: 3 us a version instead of 8,
    and every version is digested in every incremental build."""
    return _VERSION_SHOWN(version), _TEXT_SHOWN(version.text)


def _h(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


class Digests:
    """Digests of model values, computed at most once per build."""

    def __init__(
        self,
        site: Site,
        build_wide: str,
        templates: dict[str, str],
        wide: SiteWide | None = None,
    ) -> None:
        self.site = site
        self.wide = wide
        self.build_wide = build_wide
        self.templates = templates
        self._memo: dict[Dep, str] = {}
        self._by_number: list[str] = []  # digests of a DepTable's keys, by their number

    def own(self, version: Version) -> str:
        """The page's own text and the template files it renders with."""
        names = template_names(self.site, version)
        chosen = next((self.templates[n] for n in names if n in self.templates), "")
        return _h(f"{self.build_wide}|{chosen}|{version!r}")

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
            parts += [self.dep(("s", k)) for k in site.strings]
            keys = repr(list(site.pages)) + repr(list(site.versions)) + repr(list(site.strings))
            return _h("|".join(parts) + keys)
        mapping: Mapping[str, object] | Mapping[tuple[str, str], Version]
        if tag == "w":  # a site-wide view in one language: its shown values
            wide = self.wide
            return _h(repr(wide.official.get(str(key)) if wide is not None else None))
        if tag == "s":  # a UI string, in every language
            found = site.strings.get(str(key))
            return _h(repr(sorted(found.items()) if found is not None else None))
        mapping = site.pages if tag == "p" else site.versions
        if key == EVERY_KEY:
            return _h(repr(list(mapping)))
        value = mapping.get(key)  # type: ignore[call-overload]
        if isinstance(value, Version):
            value = shown(value)
        return _h(repr(value))

    def share(self) -> None:
        """Digest every model key here, before the workers fork, so that they share the
        digests; then lay the memo out again, keys and digests side by side. Made among the
        reprs they were digested from, they sat on scattered memory pages, and a worker
        looking them up copied each page it read (a lookup writes the key's reference count):
        14 MB of a worker's 48 at 10,000 deep folders."""
        self.dep(EVERYTHING)
        self._memo = {(tag, key): (digest + ".")[:-1] for (tag, key), digest in self._memo.items()}

    def of_numbers(self, numbers: array[int], keys: list[Dep]) -> str:
        """of() for dependencies packed as DepTable numbers, without unpacking them. Every
        key is digested once, the first time; then each page costs one join in C. Checking
        the 4,028 pages of a one-page edit went from about 0.45 s to 0.25 s."""
        by_number = self._by_number
        if len(by_number) < len(keys):
            by_number += [self.dep(key) for key in keys[len(by_number) :]]
        return _h("|".join(map(by_number.__getitem__, numbers)))

    def of(self, deps: tuple[Dep, ...]) -> str:
        memo = self._memo
        try:  # every page of a build asks: the memo answers nearly all of it
            parts = [memo[d] for d in deps]
        except KeyError:
            parts = [self.dep(d) for d in deps]
        return _h("|".join(parts))


def build_wide_digest(site: Site, inputs: RenderInput, asset: dict[str, str]) -> str:
    """What every page depends on: sitegen, the settings, the assets, the images.

    Templates and UI strings are not here: a page depends on the template files it renders
    with (Digests.own) and on the strings it looked up (recorded like model values).
    """
    h = hashlib.sha256(code_digest().encode())
    h.update(repr(site.config).encode())
    h.update(repr(sorted(asset.items())).encode())
    for page in site.pages.values():  # a page links to the files beside it
        h.update(f"{page.path}\0{[name for name, _ in page.files]}\0".encode())
    if inputs.images is not None:  # sizes and hashes, as loading read them
        h.update(repr(sorted((str(k), v) for k, v in inputs.images.pictures.items())).encode())
    return h.hexdigest()


def render_setup(
    site: Site,
    inputs: RenderInput,
    tools: Mapping[str, LangTools],
    asset: dict[str, str],
) -> Callable[[], Callable[[Version], RenderedPage]]:
    """Runs once per worker: its own copy of the image planner, which lists what each page asks.
    A worker only renders: the writer, in the main process, writes and compresses."""

    wide = inputs.wide or site_wide_views(site)
    table = wide.links if isinstance(wide.links, LinkTable) else LinkTable(site)

    def setup() -> Callable[[Version], RenderedPage]:
        worker_inputs = inputs
        if inputs.images is not None:  # this worker's own list of the images a page asks for
            worker_inputs = dataclasses.replace(inputs, images=inputs.images.fork())

        def render(version: Version) -> RenderedPage:
            seen: set[Dep] = set()
            recording = Site(
                site.config,
                site.strings,
                Recorder(site.pages, seen, "p"),
                Recorder(site.versions, seen, "v"),
            )
            lang_tools = tools[version.lang]
            lang_tools = dataclasses.replace(
                lang_tools, strings=Recorder(lang_tools.strings, seen, "s")
            )
            noted = dataclasses.replace(wide, links=NotedLinks(table, seen))
            page_inputs = dataclasses.replace(worker_inputs, wide=noted)
            page = render_page(recording, version, page_inputs, lang_tools, asset)
            seen.add(("w", version.lang))  # the footer (the official websites)
            deps = (EVERYTHING,) if len(seen) > MAX_DEPS else in_order(seen)
            return dataclasses.replace(page, dependencies=deps)

        return render

    return setup


def _with_digests(
    setup: Callable[[], Callable[[Version], RenderedPage]], digests: Digests
) -> Callable[[], Callable[[Version], tuple[RenderedPage, str, str]]]:
    """The worker digests what it rendered: the parent, which also writes every file, would
    otherwise spend about a second of a 4,000-page build on it while both cores render."""

    def setup_digesting() -> Callable[[Version], tuple[RenderedPage, str, str]]:
        render = setup()

        def render_digested(version: Version) -> tuple[RenderedPage, str, str]:
            page = render(version)
            return page, digests.own(version), digests.of(page.dependencies)

        return render_digested

    return setup_digesting


@dataclass(frozen=True, slots=True)
class Reuse:
    """Where the last build is, to link unchanged pages from, and where this one is noted."""

    out: Path | None  # None: nothing is written (check), so nothing needs to be on disk
    compress: bool = True


class DepTable:
    """Every model key a page read, numbered once: pages keep arrays of numbers, not keys.

    At 40,000 pages with dozens of keys each, tuples of keys took hundreds of megabytes.
    """

    def __init__(self, keys: list[Dep] | None = None) -> None:
        self.keys: list[Dep] = list(keys or [])
        self.numbers: dict[Dep, int] = {dep: n for n, dep in enumerate(self.keys)}

    def pack(self, deps: tuple[Dep, ...]) -> array[int]:
        known = list(map(self.numbers.get, deps))  # one lookup loop in C: nearly all are known
        if None in known:
            for i, dep in enumerate(deps):
                if known[i] is None:
                    n = self.numbers.get(dep)
                    if n is None:
                        n = self.numbers[dep] = len(self.keys)
                        self.keys.append(dep)
                    known[i] = n
        # 16 bits a number while the table allows: 40,000 pages have about 50,000 keys
        return array("H" if len(self.keys) <= 0x10000 else "I", known)  # type: ignore[arg-type]

    def unpack(self, numbers: array[int]) -> tuple[Dep, ...]:
        keys = self.keys
        return tuple(keys[n] for n in numbers)


@dataclass(slots=True)
class Kept:
    """What `serve` keeps from a build: each page's cache entry and editor-check facts, and
    the site-wide views the pages were rendered with (a body edit renders with them too)."""

    entries: dict[str, Entry] = field(default_factory=dict)
    facts: dict[str, PageFacts] = field(default_factory=dict)
    table: DepTable = field(default_factory=DepTable)
    wide: SiteWide | None = None


class IncrementalRenderer:
    """A VersionRenderer for iter_outputs that reuses the pages of the last build whose inputs
    did not change and renders the rest in `jobs` processes.

    What it rendered is remembered only once the writer has written it: the pipeline calls
    `commit(ledger)` after writing (a check, which writes nothing, never commits)."""

    def __init__(
        self,
        cache: BuildCache | None,
        jobs: int,
        reuse: Reuse = Reuse(None),
        kept: Kept | None = None,
    ) -> None:
        self.cache, self.jobs, self.reuse, self.kept = cache, jobs, reuse, kept
        self.key = ""
        self.table = DepTable()
        self.wide: SiteWide | None = None
        self.new: dict[str, Entry] = {}
        # What each page rendered now needs next build, until the writer is done: on disk
        # (pending.py), but for its facts, which the pipeline keeps for the checks anyway.
        self.pending = PendingEntries(cache.store.folder if cache is not None else None)
        self.pending_facts: list[PageFacts] = []

    def __call__(
        self, site: Site, inputs: RenderInput, tools: Mapping[str, LangTools], asset: dict[str, str]
    ) -> Iterator[RenderedVersion[Output]]:
        reuse, cache = self.reuse, self.cache
        # Only a build that writes, or serve, commits: else no one reads what was rendered.
        remember = self.kept is not None or (cache is not None and reuse.out is not None)
        self.close()  # a render that was never committed is not remembered
        self.key = key = build_wide_digest(site, inputs, asset)
        self.wide = inputs.wide
        code = inputs.env.bytecode_cache
        parsed = code.refs if isinstance(code, TemplateCode) else None
        digests = Digests(site, key, template_digests(inputs.env, parsed), inputs.wide)
        keys, old = cache.load_manifest(key) if cache is not None else ([], {})
        self.table = table = DepTable(keys)
        versions = list(site.versions.values())
        hits: dict[str, tuple[Entry, Reused]] = {}
        for version in versions:
            entry = old.get(version.out)
            if (
                entry is not None
                and entry.own == digests.own(version)
                and entry.deps_digest == digests.of_numbers(entry.deps, table.keys)
            ):
                reused = Reused((reuse.out or Path()) / version.out, entry.hashes, entry.stamps)
                if reuse.out is None or (entry.compressed == reuse.compress and reused.intact()):
                    hits[version.out] = (entry, reused)
        del old
        misses = [v for v in versions if v.out not in hits]
        rendered = ordered_map(
            _with_digests(render_setup(site, inputs, tools, asset), digests),
            misses,
            self.jobs,
            # A page that read more than MAX_DEPS keys digests the whole model; done in a
            # worker, that reads every object and copies most of the heap into the worker.
            before_fork=digests.share,
        )
        for version in versions:
            hit = hits.pop(version.out, None)
            if hit is not None:
                entry, reused = hit
                replay_images(inputs, entry.images)
                self.new[version.out] = entry
                yield version, reused, [], entry.facts
                continue
            page, own, deps_digest = next(rendered)
            replay_images(inputs, page.images)
            facts = page.facts
            if page.html is not None and not page.diagnostics and remember:
                numbers = table.pack(page.dependencies)
                self.pending.add((version.out, own, numbers, deps_digest, page.images))
                self.pending_facts.append(facts)
            yield version, page.html, list(page.diagnostics), facts

    def commit(self, ledger: Ledger) -> None:
        """Remember each page the writer wrote (its hashes and stamps are in the ledger), so
        the next build can link it instead of rendering it again."""
        new = self.new
        pending = zip(self.pending.drain(), self.pending_facts, strict=True)
        for (out, own, numbers, deps_digest, images), facts in pending:
            stamps = ledger.stamps.get(out)
            if stamps is None:
                continue
            hashes = tuple((suffix, ledger.hashes[out + suffix]) for suffix, _ in stamps)
            new[out] = Entry(
                own, numbers, deps_digest, hashes, stamps, self.reuse.compress, images, facts
            )
        self.close()
        if self.cache is not None:
            self.cache.save_manifest(self.key, self.table.keys, new)
        if self.kept is not None:
            self.kept.entries.update(new)
            self.kept.table = self.table
            self.kept.wide = self.wide

    def close(self) -> None:
        """Forget what was rendered and not yet remembered (its file on disk)."""
        self.pending.close()
        self.pending_facts = []


def replay_images(inputs: RenderInput, images: tuple[tuple[str, str], ...]) -> None:
    """Plan a page's images in this process too, so their files are written with the build."""
    if inputs.images is not None:
        inputs.images.replay(images)
