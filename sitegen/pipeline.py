"""load -> validate -> model -> render -> write; `check` stops before write."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from sitegen.diagnostics.diagnostic import Diagnostic, error, has_errors, sort_diagnostics
from sitegen.incremental import cache as build_cache
from sitegen.incremental import skip
from sitegen.incremental.parallel import split_map
from sitegen.incremental.recording import Dep
from sitegen.incremental.renderer import (
    IncrementalRenderer,
    Kept,
    Reuse,
    render_setup,
    replay_images,
)
from sitegen.incremental.sourcememo import SourceMemo
from sitegen.incremental.store import Store
from sitegen.incremental.templatecode import TemplateCode, compile_all
from sitegen.model.build import build_site
from sitegen.model.missing import data_references, missing_pages
from sitegen.model.redirects import site_redirects
from sitegen.model.site import Site, Version
from sitegen.output.compress import compress_tree
from sitegen.output.images import encode_images
from sitegen.output.manifest import manifest_path, render_manifest, stage_manifest
from sitegen.output.outputs import Output
from sitegen.output.redirects import host_outputs, manifest_redirects
from sitegen.output.search import BUNDLE, index_site
from sitegen.output.write import (
    Ledger,
    WriteError,
    build_lock,
    clean_stale,
    hash_rest,
    keep_spare,
    new_staging,
    swap_in,
    write_outputs,
)
from sitegen.render.checks import EditorChecks, PageFacts, editor_checks
from sitegen.render.drafts import draft_outputs
from sitegen.render.environment import LangTools, make_environment
from sitegen.render.images import ImageProcessor
from sitegen.render.markdown.convert import SitegenMarkdown
from sitegen.render.pages import (
    RenderedVersion,
    RenderInput,
    VersionRenderer,
    iter_outputs,
    render_versions,
)
from sitegen.schema.config import parse_config
from sitegen.schema.validate import CheckedMemo, validate_sources
from sitegen.source.body import read_body
from sitegen.source.history import former_pages
from sitegen.source.load import SiteSources, load_sources
from sitegen.source.record import check_records


@dataclass(slots=True)
class Result:
    """What a run produced: the model (if it got that far), problems, and files written."""

    site: Site | None = None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    files: int = 0

    @property
    def ok(self) -> bool:
        return not has_errors(self.diagnostics)


Loaded = tuple[Site | None, RenderInput | None, list[Diagnostic]]


def load_site(
    root: Path, base_url: str | None = None, use_cache: bool = False, jobs: int = 1
) -> Loaded:
    """Stages 1-3: read, check and model the site, collecting every problem."""
    store = Store.of_site(root, use_cache)
    memo = SourceMemo(store, root)
    sources = load_sources(root, memo, jobs, split_map)
    memo.save()
    return model_site(sources, base_url, compiled=TemplateCode(store) if use_cache else None)


def model_site(
    sources: SiteSources,
    base_url: str | None = None,
    inputs: RenderInput | None = None,
    drafts: bool = False,
    checked: CheckedMemo | None = None,
    compiled: TemplateCode | None = None,
) -> Loaded:
    """Stages 2-3 on sources already read; `inputs` are reused when templates did not change.

    `drafts`: serve's preview, where draft pages are rendered (under a band) but listed nowhere.
    `checked`: serve's pages checked last time; a page not read again is not checked again.
    `compiled`: the templates compiled by the last run (saved again by `keep_compiled`).
    """
    root = sources.root
    diags = list(sources.diagnostics)
    config, config_diags = parse_config(sources.site)
    diags += config_diags
    if config is None:
        return None, None, sort_diagnostics(diags)
    if base_url:
        config = config.with_base_url(base_url)
    pages, strings, problems = validate_sources(sources, config, sources.template_names, checked)
    diags += problems + check_records(sources, config.codes, config.default_language)
    references = data_references(pages, {page.path: page.data for page in sources.pages})
    if has_errors(diags) or references:
        # Nothing will be rendered: find every link to a missing page now, not in a next round.
        diags += missing_pages(sources, pages, references, lambda: former_pages(root))
        return None, None, sort_diagnostics(diags)
    site, model_diags = build_site(pages, strings, config, drafts)
    diags += model_diags
    diags += site_redirects(site)[1]
    pictures = {path: picture for page in sources.pages for path, picture in page.pictures}
    images = ImageProcessor(pictures, site.config.url_prefix)
    if inputs is None:
        env = make_environment(dict(sources.templates), sources.templates_dir, compiled)
        if compiled is not None:
            compile_all(env)
        inputs = RenderInput(
            env,
            SitegenMarkdown(),
            sources.assets,
            sources.templates_dir,
            read_body,
            images,
        )
    else:
        inputs = dataclasses.replace(inputs, images=images)
    return site, inputs, sort_diagnostics(diags)


def keep_compiled(inputs: RenderInput) -> None:
    """Save the templates this run compiled, for the next run (after rendering: workers
    compile nothing the main process did not)."""
    env = inputs.env
    if isinstance(env.bytecode_cache, TemplateCode) and env.loader is not None:
        env.bytecode_cache.save({env.loader.get_source(env, n)[0] for n in env.list_templates()})


def _renderer(
    root: Path, jobs: int, use_cache: bool, reuse: Reuse, keep: Kept | None = None
) -> VersionRenderer[Output]:
    """Serial and uncached unless asked: parallel over `jobs` processes, reusing the cache."""
    if jobs <= 1 and not use_cache and not reuse.compress and keep is None:
        return render_versions
    cache = build_cache.BuildCache(Store.of_site(root)) if use_cache else None
    return IncrementalRenderer(cache, jobs, reuse, keep)


def _images(
    root: Path, inputs: RenderInput, diags: list[Diagnostic], only: set[str] | None = None
) -> Iterator[tuple[str, bytes]]:
    """The image files the rendered pages asked for (`only` these source images, if given).
    Encoded images are kept even with --no-cache: they depend only on the image's bytes."""
    if inputs.images is not None:
        wanted = inputs.images.wanted(diags, only)
        yield from encode_images(wanted, Store.of_site(root), diags)


def _all_outputs(
    root: Path,
    site: Site,
    inputs: RenderInput,
    diags: list[Diagnostic],
    renderer: VersionRenderer[Output],
    facts: dict[str, PageFacts],
) -> Iterator[tuple[str, Output]]:
    """The rendered files, the host's files (headers, redirects) that are not pages, then the
    images all of them asked for."""
    rendered: Iterator[tuple[str, Output]] = iter_outputs(site, inputs, diags, renderer, facts)
    yield from rendered
    yield from host_outputs(site)
    yield from draft_outputs(site, inputs, diags)  # serve's previews; none in a build
    yield from _images(root, inputs, diags)


def check(
    root: Path, base_url: str | None = None, jobs: int = 1, use_cache: bool = False
) -> Result:
    """Everything a build does except writing: render into nothing."""
    site, inputs, diags = load_site(root, base_url, use_cache, jobs)
    result = Result(site, diags)
    if site is None or inputs is None or has_errors(diags):
        return result
    render_diags: list[Diagnostic] = []
    facts: dict[str, PageFacts] = {}
    renderer = _renderer(root, jobs, use_cache, Reuse(None, compress=False))
    outputs = _all_outputs(root, site, inputs, render_diags, renderer, facts)
    result.files = sum(1 for _ in outputs)
    keep_compiled(inputs)
    checks = EditorChecks(site, root, facts)
    result.diagnostics = sort_diagnostics(diags + editor_checks(checks, render_diags))
    return result


def build(
    root: Path,
    out: Path,
    base_url: str | None = None,
    search: bool = True,
    jobs: int = 1,
    use_cache: bool = False,
    compress: bool | None = None,
    loaded: Loaded | None = None,
    keep: Kept | None = None,
    stamp: str = "",
) -> Result:
    """Render into a fresh folder and swap it in only if nothing failed.

    `compress` None: precompress as site.yaml's `precompress` says.
    The search index is built inside that folder too, so a failed index never publishes.
    `serve` passes the model it holds (`loaded`) and gets back what each page used (`keep`).
    `stamp`: the inputs' stamp, when the caller has already asked `skip.unchanged_build`
    (the CLI does, before it imports this module).
    """
    options = skip.build_options(base_url, search, compress)
    if use_cache and not stamp:
        stamp = skip.input_stamp(root, options)
        if loaded is None and (last := skip.unchanged_build(root, out, options, stamp)):
            return Result(None, last.diagnostics, last.files)  # nothing changed since
    if loaded is None:
        loaded = load_site(root, base_url, use_cache, jobs)
    site, inputs, diags = loaded
    result = Result(site, diags)
    if site is None or inputs is None or has_errors(diags):
        return result
    if compress is None:
        compress = site.config.precompress
    out = out.absolute()
    render_diags: list[Diagnostic] = []
    try:
        with build_lock(out):
            clean_stale(out)
            staging = new_staging(out)
            reuse = Reuse(out if use_cache else None, compress)
            renderer = _renderer(root, jobs, use_cache, reuse, keep)
            try:
                ledger = Ledger()
                facts: dict[str, PageFacts] = keep.facts if keep is not None else {}
                outputs = _all_outputs(root, site, inputs, render_diags, renderer, facts)
                write_outputs(outputs, staging, ledger)
                result.files = ledger.files
                checks = EditorChecks(site, root, facts)
                render_diags = editor_checks(checks, render_diags)
                if search and not has_errors(render_diags):
                    indexed, search_diags = index_site(site, staging, jobs=jobs)
                    result.files += indexed
                    render_diags += search_diags
                if not has_errors(render_diags):
                    # After the search index (so it is compressed too), before the swap.
                    # Only what the writer did not pack already, and the search index.
                    indexed_files = hash_rest(staging, {}, (BUNDLE,)) if search else {}
                    if compress:
                        to_pack = ledger.written + sorted(indexed_files)
                        compress_tree(
                            staging,
                            jobs,
                            only=to_pack,
                            hashes=ledger.hashes,
                            stamps=ledger.stamps,
                        )
                    hashes = ledger.hashes | indexed_files  # packing noted its own files
                    manifest = render_manifest(
                        hashes, site.config.base_url, manifest_redirects(site)
                    )
                    pending = stage_manifest(manifest_path(out), manifest)
                    try:
                        swap_in(staging, out)
                        os.replace(pending, manifest_path(out))
                    finally:
                        pending.unlink(missing_ok=True)
                    if isinstance(renderer, IncrementalRenderer):
                        renderer.commit(ledger)  # the pages now live where the next build looks
                    keep_compiled(inputs)
            finally:
                if isinstance(renderer, IncrementalRenderer):
                    renderer.close()  # what a failed build rendered is not remembered
                if staging.exists():  # the build failed: what it staged is a spare again
                    keep_spare(staging, out)
    except (WriteError, OSError) as exc:
        message = (
            str(exc)
            if isinstance(exc, WriteError)
            else f"cannot write the build: {exc.strerror or exc}"
        )
        render_diags.append(
            error(
                str(out),
                1,
                1,
                message,
                "free disk space or choose a writable folder with --out; "
                "the previous build was left as it was",
            )
        )
    result.diagnostics = sort_diagnostics(diags + render_diags)
    if use_cache and result.ok:
        skip.record_build(root, out, options, stamp, result.files, result.diagnostics)
    return result


@dataclasses.dataclass
class Rerendered:
    """What `rerender` gives serve: the files to write, and what each page read and showed."""

    outputs: list[tuple[str, Output]]
    deps: dict[str, tuple[Dep, ...] | None]
    facts: dict[str, PageFacts]
    diagnostics: list[Diagnostic]


def rerender(
    site: Site,
    inputs: RenderInput,
    todo: list[Version],
    site_wide: bool,
    root: Path,
    facts: dict[str, PageFacts],
) -> Rerendered:
    """Render only the versions in todo (serve, after a save), through the same renderer and
    editor checks as a build; with site_wide, the sitemap, feeds, 404s and host files too.
    `facts` holds what the other pages showed when last rendered."""
    deps: dict[str, tuple[Dep, ...] | None] = {}
    new_facts: dict[str, PageFacts] = {}
    diags: list[Diagnostic] = []
    asked: set[str] = set()  # the images these pages show

    def renderer(
        site: Site, inputs: RenderInput, tools: Mapping[str, LangTools], asset: dict[str, str]
    ) -> Iterator[RenderedVersion[bytes]]:
        render = render_setup(site, inputs, tools, asset)()
        for version in todo:
            page = render(version)
            replay_images(inputs, page.images)
            asked.update(path for path, _label in page.images)
            ok = page.html is not None and not page.diagnostics
            deps[version.out] = page.dependencies if ok else None
            yield version, page.html, list(page.diagnostics), page.facts

    outputs: list[tuple[str, Output]] = list(
        iter_outputs(site, inputs, diags, renderer, new_facts, site_wide)
    )
    if site_wide:
        outputs += host_outputs(site)
    outputs += _images(root, inputs, diags, None if site_wide else asked)
    all_facts = facts | new_facts
    diags = editor_checks(EditorChecks(site, root, all_facts), diags)
    return Rerendered(outputs, deps, all_facts, diags)
