"""After rendering: the broken links the pages reported, regrouped per missing page.

The link rewriter reports each broken link where it meets it, once per language the text is
shown in. Here the links that rendering kept for the checks are grouped by the page they
miss (model/missing.py), and the rewriter's own reports for those lines are dropped.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from sitegen.diagnostics import codes
from sitegen.diagnostics.diagnostic import Diagnostic
from sitegen.model.links import LinkRef
from sitegen.model.missing import Dangling, classify, moved_to, report
from sitegen.model.site import Site, Version
from sitegen.source.history import former_pages


def regroup_links(
    site: Site,
    root: Path,
    refs: Callable[[Version], tuple[LinkRef, ...]],
    diagnostics: list[Diagnostic],
) -> list[Diagnostic]:
    """The diagnostics with every broken page link, image and file link reported once."""
    files = {path: {name for name, _ in page.files} for path, page in site.pages.items()}
    content = root / "content"
    dangling: list[Dangling] = []
    for version in site.versions.values():
        if version.is_fallback:
            continue  # the same text as its original: the same links
        for ref in refs(version):
            found = classify(version.path, version.text.src, ref, files)
            if found is not None and not (content / found.path).is_dir():  # drafts: checks.py
                dangling.append(found)
    if not dangling:
        return diagnostics
    lines = {(d.src, d.line) for d in dangling}
    kept = [
        d for d in diagnostics if not (d.code == codes.BROKEN_LINK and (d.path, d.line) in lines)
    ]
    moved = moved_to((path, page.data) for path, page in site.pages.items())
    return kept + report(dangling, files, moved, lambda: former_pages(root))
