"""Stage 5b: the Pagefind search index, built inside the staged build before it is swapped in.

Pagefind reads each page's `<html lang>` and writes one index per language, so a visitor's
search only ever loads, and finds, pages in the language they are reading. It runs once per
language, or per part of a big language (render/search_parts.py), so its memory is that of
at most PAGES_PER_INDEX pages, not the whole site's; runs go side by side, one per core,
while their pages together stay within PAGES_AT_ONCE. Each run is a Pagefind service fed
exactly the pages we choose, sorted (output/pagefind_service.py says why): every published
page except the search page itself (whose list of all pages would match every query), the
404 pages and the language chooser.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from sitegen.diagnostics.diagnostic import Diagnostic, error
from sitegen.model.site import Site
from sitegen.output.pagefind_service import PagefindError, Started, index_pages
from sitegen.render.search_parts import index_parts, part_folder
from sitegen.render.textrules import WJ
from sitegen.render.views import is_search_page

BUNDLE = "pagefind"
JOINER = WJ.encode()  # typography's word joiners: no break on the page, no part of a word here
ENTRY = "pagefind-entry.json"
TIMEOUT_SECONDS = 600
# Pages held by the Pagefind runs that go at once: about 800 MB on the longest benchmark pages
# (render/search_parts.py), beside the main process's model (about 400 MB at 40,000 pages),
# so that a build of that size stays within 1.5 GB. Two runs of a part each fit.
PAGES_AT_ONCE = 3000
# Only the page's <main> is indexed: menus, breadcrumbs and footers would match every query.
CONFIG = {"root_selector": "main"}
# Pagefind's ready-made interfaces; assets/js/search.js talks to pagefind.js directly, since
# the default interface alone (120 KB) would break the 60 KB page budget.
UNUSED = (
    "pagefind-ui.js",
    "pagefind-ui.css",
    "pagefind-component-ui.js",
    "pagefind-component-ui.css",
    "pagefind-modular-ui.js",
    "pagefind-modular-ui.css",
    "pagefind-highlight.js",
)


def find_pagefind() -> Path | None:
    """The binary shipped in the `pagefind-bin` wheel, else a `pagefind` on PATH (npm's)."""
    spec = importlib.util.find_spec("pagefind_bin")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        for name in ("pagefind_extended", "pagefind"):
            candidate = Path(folder) / name
            if candidate.is_file() and os.access(candidate, os.X_OK):
                return candidate
    found = shutil.which("pagefind")
    return Path(found) if found else None


def _problem(message: str, hint: str) -> Diagnostic:
    return error(BUNDLE, 1, 1, message, hint)


def index_site(
    site: Site,
    staging: Path,
    binary: Path | None = None,
    bundle: Path | None = None,
    started: Started | None = None,
    jobs: int | None = None,
) -> tuple[int, list[Diagnostic]]:
    """Write `pagefind/` into staging; return the number of files it added and any problem.

    `bundle` puts the index elsewhere (`serve` builds it beside the site, then swaps it in);
    `started` gets each Pagefind process, so `serve` can stop it when it stops itself;
    `jobs` caps how many runs go at once (default: the cores).
    """
    parts = index_parts(site)
    if not parts:
        return 0, []
    exe = binary or find_pagefind()
    if exe is None:
        return 0, [
            _problem(
                "the Pagefind binary is not installed, so the search index cannot be built",
                "run `pip install pagefind-bin` (or `npm install -g pagefind`), "
                "or build without search: sitegen build --no-search",
            )
        ]
    bundle = bundle or staging / BUNDLE
    runs = [
        (lang, number, outs)
        for lang, lang_parts in parts.items()
        for number, outs in enumerate(lang_parts, 1)
    ]
    with tempfile.TemporaryDirectory(prefix="sitegen-search-", dir=staging.parent) as tmp:
        work = Path(tmp)

        def index(run: tuple[str, int, list[str]]) -> tuple[dict[str, object], Diagnostic | None]:
            lang, number, outs = run
            return _index_part(exe, staging, outs, work / part_folder(lang, number, 1), started)

        # Pagefind's memory is that of the pages of its run: run several at once only while
        # their pages together stay within PAGES_AT_ONCE.
        largest = max(len(outs) for _, _, outs in runs)
        at_once = min(jobs or os.cpu_count() or 1, max(1, PAGES_AT_ONCE // largest), len(runs))
        with ThreadPoolExecutor(max_workers=at_once) as pool:
            results = list(pool.map(index, runs))
        for _, problem in results:
            if problem is not None:
                return 0, [problem]
        bundle.mkdir(parents=True, exist_ok=True)
        languages: dict[str, object] = {}
        entry: dict[str, object] = {}
        for (lang, number, _), (found, _) in zip(runs, results, strict=True):
            part = work / part_folder(lang, number, 1) / "bundle"
            if number > 1:  # a bundle of its own, merged in the browser
                os.replace(part, bundle / part_folder(lang, number))
                continue
            _move_into(part, bundle)
            entry = found
            found_languages = found.get("languages")
            if isinstance(found_languages, dict):
                languages.update(found_languages)
    entry["languages"] = dict(sorted(languages.items()))
    (bundle / ENTRY).write_text(
        json.dumps(entry, ensure_ascii=False, separators=(",", ":")), "utf-8"
    )
    return sum(1 for p in bundle.rglob("*") if p.is_file()), _check_languages(site, entry)


def _move_into(source: Path, target: Path) -> None:
    """Every file of one run's bundle into the shared one. The files every run writes
    (pagefind.js, the worker) are the same in each; a language's own have its name."""
    for path in sorted(source.rglob("*")):
        if path.is_file():
            moved = target / path.relative_to(source)
            moved.parent.mkdir(parents=True, exist_ok=True)
            os.replace(path, moved)


def _index_part(
    exe: Path,
    staging: Path,
    outs: list[str],
    work: Path,
    started: Started | None,
) -> tuple[dict[str, object], Diagnostic | None]:
    """One Pagefind run over one part of a language's pages, into `work/bundle`."""
    bundle = work / "bundle"
    try:
        index_pages(exe, _pages(staging, outs), bundle, CONFIG, TIMEOUT_SECONDS, started, UNUSED)
    except OSError as exc:
        return {}, _problem(
            f"Pagefind could not run: {exc}",
            "reinstall it with `pip install --force-reinstall pagefind-bin`, "
            "or build without search: sitegen build --no-search",
        )
    except PagefindError as exc:
        return {}, _problem(
            f"Pagefind failed: {exc}",
            "fix the problem it names, or build without search: sitegen build --no-search",
        )
    if not (bundle / ENTRY).is_file():
        return {}, _problem(
            "Pagefind failed: it wrote no index",
            "build without search to publish meanwhile: sitegen build --no-search",
        )
    found = json.loads((bundle / ENTRY).read_text(encoding="utf-8"))
    return (dict(found) if isinstance(found, dict) else {}), None


def _pages(staging: Path, outs: list[str]) -> Iterator[tuple[str, str]]:
    """(URL, HTML) of each page, read one at a time, in the order given.

    The URL is the one Pagefind would give the file: `en/x/index.html` is `/en/x/`.
    """
    for out in outs:
        page = (staging / out).read_bytes()
        # Pagefind would index "Leuven-\u2060Genk" as "\u2060genk": a search for "Genk" must
        # find the page, so it reads the text without typography's word joiners.
        text = page.replace(JOINER, b"").decode("utf-8")
        folder, _, name = out.rpartition("/")
        yield ("/" + folder + "/" if folder else "/") if name == "index.html" else "/" + out, text


def _check_languages(site: Site, entry: dict[str, object]) -> list[Diagnostic]:
    """Every language with pages must have its own index, or its visitors find nothing."""
    languages = entry.get("languages")
    indexed = set(languages) if isinstance(languages, dict) else set()
    wanted = {v.lang for v in site.versions.values() if not is_search_page(v)}
    missing = sorted(wanted - indexed)
    if not missing:
        return []
    return [
        _problem(
            f"Pagefind wrote no index for {', '.join(missing)}",
            "check that templates/base.html sets <html lang> to the page's language",
        )
    ]
