"""Which pages go into which Pagefind index: one answer for the indexer and the search page.

Pagefind holds every page of one run in memory until it writes the index: measured with the
pagefind-bin wheel, peak RSS of one run, about 170 KB a page on the benchmark's baseline
pages (176 MB for 1,000) and up to 265 KB on its longer `outside` pages (248 MB for 1,000,
396 MB for 1,500, 708 MB for 3,000). One run per language is not bound enough for a big site
(10,000 pages in one language: about 2.5 GB), so a language with more pages than
PAGES_PER_INDEX is indexed in parts of equal size, each its own bundle. The search
page lists the extra parts and assets/js/search.js merges them in the browser (Pagefind's
`mergeIndex`), so a visitor still searches every page of the language at once.
"""

from __future__ import annotations

from sitegen.model.site import Site
from sitegen.render.views import is_search_page

# At most about 400 MB of Pagefind memory for one run (see above), so that two runs can go
# at once on a big site (output/search.py, PAGES_AT_ONCE). Read at call time, not bound as a
# default argument, so that a test can make parts of a small site.
PAGES_PER_INDEX = 1500


def searchable_outputs(site: Site) -> dict[str, list[str]]:
    """Per language, the output files of every page a search may return, sorted.

    Not the search page itself: its list of all pages would match every query.
    """
    found: dict[str, list[str]] = {}
    for version in site.versions.values():
        if not is_search_page(version):
            found.setdefault(version.lang, []).append(version.out)
    return {lang: sorted(outs) for lang, outs in sorted(found.items())}


def index_parts(site: Site) -> dict[str, list[list[str]]]:
    """Per language, its searchable pages in consecutive parts of at most PAGES_PER_INDEX."""
    per_index = max(1, PAGES_PER_INDEX)
    parts: dict[str, list[list[str]]] = {}
    for lang, outs in searchable_outputs(site).items():
        count = -(-len(outs) // per_index)
        size = -(-len(outs) // count)
        parts[lang] = [outs[k : k + size] for k in range(0, len(outs), size)]
    return parts


def part_folder(lang: str, number: int, first: int = 2) -> str:
    """Where part `number` (from 1) of a language's index goes inside the `pagefind/` bundle:
    the first part is the bundle itself, the others are bundles of their own below it.
    `first=1` names every part, the first too (the indexer's own work folders)."""
    return "" if number < first else f"{lang}-{number}/"


def extra_parts(site: Site, lang: str) -> tuple[str, ...]:
    """The folders, below `pagefind/`, that the search page in `lang` merges in."""
    count = len(index_parts(site).get(lang, ()))
    return tuple(part_folder(lang, k) for k in range(2, count + 1))
