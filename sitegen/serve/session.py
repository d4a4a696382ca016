"""`serve` keeps the site in memory, so saving one page re-renders only what that save touches.

A saved text or data.yaml re-reads its folder only, models the site again (cheap next to
reading it), and compares the new model with the last one: a page is rendered again when its
own text changed or when a value it read while rendering last time (recorded then, see
incremental.py) changed. Those pages and the site-wide files (sitemap, feeds, 404 pages) are
rendered into memory and checked; if all is well each changed file is replaced in build/ by an
atomic rename, and only the addresses of changed pages go to the browsers. Anything else (a
template, an asset, site.yaml, strings.yaml, a new folder, an image) takes the full cached
build, as does any error, so its messages are the build's own. The search index follows in
the background (after a second of quiet), so no reload waits for it.
"""

from __future__ import annotations

import dataclasses
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

from sitegen import pipeline
from sitegen.diagnostics.diagnostic import Diagnostic, SourceLines, format_text, has_errors
from sitegen.diagnostics.report import print_diagnostics
from sitegen.incremental.changes import DepIndex, model_changes
from sitegen.incremental.parallel import split_map
from sitegen.incremental.renderer import (
    Kept,
)
from sitegen.incremental.sourcememo import SourceMemo
from sitegen.incremental.store import Store
from sitegen.model.bodies import with_new_bodies
from sitegen.model.site import Site
from sitegen.output.manifest import ManifestError, manifest_path, read_manifest
from sitegen.output.search import BUNDLE, index_site
from sitegen.output.write import update_in_place
from sitegen.render.checks import PageFacts
from sitegen.render.pages import RenderInput
from sitegen.render.views import SiteWide, site_wide_views
from sitegen.schema.validate import CheckedMemo
from sitegen.serve.http import EVERY_PAGE, ServeState, page_url
from sitegen.source.load import SiteSources, load_sources, reload_pages

MAX_FAST = 400  # past this many pages to render, the full build (all cores, streamed) is faster
SEARCH_DELAY = 1.0  # seconds of quiet before the search index is brought up to date


def changed_urls(before: dict[str, str], after: dict[str, str]) -> list[str]:
    """The pages added, removed or changed between two build manifests."""
    names = {n for n in before.keys() | after.keys() if before.get(n) != after.get(n)}
    return sorted(url for url in map(page_url, names) if url is not None)


class LiveRebuilder:
    """The Rebuilder `serve` uses: a fast path for saved texts, the full build for the rest."""

    def __init__(
        self, root: Path, out: Path, base_url: str | None, state: ServeState, jobs: int
    ) -> None:
        self.root, self.out, self.base_url, self.state, self.jobs = (
            root,
            out.absolute(),
            base_url,
            state,
            jobs,
        )
        self.sources: SiteSources | None = None
        self.site: Site | None = None
        self.inputs: RenderInput | None = None
        # The menu, footer and link table of self.site: a save that changes no value another
        # page shows (a body edit) renders with them as they are. Built again, they took
        # 0.2-0.3 s of a 0.5 s save at 10,000 folders.
        self.wide: SiteWide | None = None
        self.index = DepIndex()
        self.checked = CheckedMemo()  # the pages' schema checks, redone only for saved folders
        self.model_diags: list[Diagnostic] = []  # what modelling found, reported with each save
        self.facts: dict[str, PageFacts] = {}
        self.lock = threading.Lock()  # one writer of build/ at a time: rebuilds or the indexer
        self.search_due: float | None = None
        self.searchable_changed = False  # the last save changed text Pagefind indexes
        self.wake = threading.Event()
        self.closed = False
        self.indexer: subprocess.Popen[bytes] | None = None  # Pagefind, while it runs
        self.thread = threading.Thread(target=self._search_loop, daemon=True)
        self.thread.start()

    def first(self) -> None:
        self._full()

    def _built(self) -> dict[str, str]:
        try:
            return read_manifest(manifest_path(self.out))
        except ManifestError:
            return {}

    def apply(self, changed: set[Path]) -> list[str]:
        start = time.perf_counter()
        folders = self._text_folders(changed)
        if folders is not None and self.site is not None and not self.state.errors:
            warned = list(self.state.warnings)
            urls = self._fast(folders)
            if urls is not None and self.state.warnings != warned:
                urls = [EVERY_PAGE]  # the warnings panel changes on every page
            if urls is not None:
                ms = (time.perf_counter() - start) * 1000
                print(f"updated {len(urls)} pages in {ms:.0f} ms", file=sys.stderr)
                return urls
        had_errors, before = bool(self.state.errors), self._built()
        self._full()
        if had_errors or self.state.errors:
            return [EVERY_PAGE]  # the overlay comes or goes on every page
        return changed_urls(before, self._built())

    def _text_folders(self, changed: set[Path]) -> set[str] | None:
        """The page folders whose texts or data changed, or None if anything else did."""
        if self.sources is None:
            return None
        content = self.root.absolute() / "content"
        pages = {page.path for page in self.sources.pages}
        folders: set[str] = set()
        for path in changed:
            try:
                rel = path.absolute().relative_to(content)
            except ValueError:
                return None
            folder = rel.parent.as_posix()
            folder = "" if folder == "." else folder
            if folder not in pages or rel.name in ("site.yaml", "strings.yaml"):
                return None
            if not (rel.name.endswith(".md") or rel.name == "data.yaml"):
                return None
            folders.add(folder)
        return folders

    def _full(self) -> None:
        """The whole pipeline (cached); keeps what it read for the next save."""
        start = time.perf_counter()
        memo = SourceMemo(Store.of_site(self.root), self.root)  # unchanged files: not parsed
        sources = load_sources(self.root, memo, self.jobs, split_map)
        memo.save()
        loaded = pipeline.model_site(sources, self.base_url, drafts=True, checked=self.checked)
        kept = Kept()
        with self.lock:
            result = pipeline.build(
                self.root,
                self.out,
                self.base_url,
                jobs=self.jobs,
                search=False,  # indexed in the background: the site shows sooner
                use_cache=True,
                compress=False,
                loaded=loaded,
                keep=kept,
            )
        self._report(result.diagnostics)
        if result.ok and loaded[0] is not None:
            self.sources, (self.site, self.inputs, self.model_diags) = sources, loaded
            self.wide = kept.wide  # what the build rendered with
            self.index = DepIndex()
            for version in loaded[0].versions.values():
                entry = kept.entries.get(version.out)
                deps = kept.table.unpack(entry.deps) if entry is not None else None
                self.index.record(version.out, deps)
            self.facts = kept.facts
            elapsed = time.perf_counter() - start
            print(f"rebuilt {result.files} files in {elapsed:.2f}s", file=sys.stderr)
            self.search_due = time.monotonic()
            self.wake.set()
        else:
            self.site = None
            print("build failed; still serving the last good build", file=sys.stderr)

    def _fast(self, folders: set[str]) -> list[str] | None:
        """Re-render what the saved folders touch; None when the full build must decide."""
        assert self.sources is not None and self.site is not None and self.inputs is not None
        sources = reload_pages(self.sources, folders)
        site: Site | None = with_new_bodies(self.site, self.sources, sources, folders)
        inputs: RenderInput | None = self.inputs
        diags = self.model_diags
        if site is None:  # more than a body changed: model the site again
            site, inputs, diags = pipeline.model_site(
                sources, self.base_url, self.inputs, drafts=True, checked=self.checked
            )
        if site is None or inputs is None or has_errors(diags):
            return None
        if site.drafts.keys() != self.site.drafts.keys() or folders & {p for p, _ in site.drafts}:
            return None  # draft previews are rendered by the full build
        keys, own = model_changes(self.site, site)
        touched = self.index.touched(keys)
        todo = [
            v
            for key, v in site.versions.items()
            if key in own or v.out in touched or v.out not in self.index.deps
        ]
        if len(todo) > MAX_FAST:
            return None
        wide = self.wide if self.wide is not None and not keys else site_wide_views(site)
        # A body is shown on its own page only: the sitemap, feeds and 404s stay as they are.
        old_facts = {
            v.out: self.facts[v.out] for v in site.versions.values() if v.out in self.facts
        }
        with_wide = dataclasses.replace(inputs, wide=wide)
        again = pipeline.rerender(site, with_wide, todo, bool(keys), self.root, old_facts)
        if has_errors(again.diagnostics):
            return None
        gone = {v.out for v in self.site.versions.values()} - {
            v.out for v in site.versions.values()
        }
        with self.lock:
            written, self.searchable_changed = update_in_place(self.out, again.outputs, gone)
        urls = sorted({url for url in map(page_url, written) if url})
        self._report(diags + again.diagnostics)
        self.sources, self.site, self.inputs, self.facts = sources, site, inputs, again.facts
        self.wide = wide
        self.model_diags = diags
        for out in set(self.index.deps) - {v.out for v in site.versions.values()}:
            self.index.drop(out)
        for out, page_deps in again.deps.items():
            self.index.record(out, page_deps)
        if self.searchable_changed:  # a footer or menu edit changes no indexed text
            self.search_due = time.monotonic() + SEARCH_DELAY
            self.wake.set()
        return urls

    def _report(self, diagnostics: list[Diagnostic]) -> None:
        print_diagnostics(diagnostics, self.root)
        source = SourceLines(self.root)
        self.state.errors = [format_text(d, source) for d in diagnostics if d.severity == "error"]
        self.state.warnings = [format_text(d, source) for d in diagnostics if d.severity != "error"]

    def _search_loop(self) -> None:
        """Bring the search index up to date once edits pause; serving never waits for it."""
        while not self.closed:
            self.wake.wait()
            self.wake.clear()
            due = self.search_due
            if due is None:
                continue
            if (left := due - time.monotonic()) > 0:
                time.sleep(left)
                if self.search_due != due:  # another save came in meanwhile
                    self.wake.set()
                    continue
            self.search_due = None
            site = self.site
            if site is None or self.closed:
                continue
            # Indexed beside build/ without the lock (a save meanwhile is not kept waiting),
            # then swapped in; a save during indexing schedules the next run.
            fresh = (
                self.out.parent / f".{self.out.name}.new-search-{os.getpid()}"
            )  # see clean_stale
            shutil.rmtree(fresh, ignore_errors=True)
            try:
                _, problems = index_site(
                    site, self.out, bundle=fresh, started=self._started, jobs=1
                )
                with self.lock:
                    if not problems and fresh.is_dir():
                        old = self.out / BUNDLE
                        if old.is_dir():
                            old.rename(fresh.with_name(fresh.name + "-old"))
                        fresh.rename(old)
            except OSError as exc:  # e.g. build/ replaced meanwhile: the next run redoes it
                print(f"search index not updated: {exc}", file=sys.stderr)
                problems = []
            finally:
                for leftover in (fresh, fresh.with_name(fresh.name + "-old")):
                    shutil.rmtree(leftover, ignore_errors=True)
            for problem in problems if not self.closed else []:
                print(problem.format(), file=sys.stderr)

    def _started(self, proc: subprocess.Popen[bytes]) -> None:
        self.indexer = proc
        if self.closed:
            proc.kill()

    def close(self) -> None:
        """Stop the search indexer, and Pagefind if it is running, leaving no files behind."""
        self.closed = True
        self.wake.set()
        indexer = self.indexer
        if indexer is not None and indexer.poll() is None:
            indexer.kill()
        self.thread.join(timeout=10)
