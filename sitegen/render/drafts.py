"""Render the draft previews `serve` asks for, each under a band that says it is a draft.

Rendered with a copy of the model that knows the drafts, so a draft page's own links work;
menus and lists come from the published site. A draft's problems are warnings here: they
will be errors when it is published, and must not stop the preview of everything else.
"""

from __future__ import annotations

import dataclasses
import html
import posixpath
from collections.abc import Iterator
from pathlib import Path
from types import MappingProxyType

from sitegen.diagnostics.diagnostic import Diagnostic
from sitegen.model.site import Site, Version
from sitegen.render.assets import fingerprint_assets
from sitegen.render.pages import RenderInput, language_tools, render_version
from sitegen.render.views import site_wide_views

BAND_STYLE = (
    "position:sticky;top:0;z-index:99997;background:#ffe27a;color:#222;"
    "font:600 15px/1.4 system-ui,sans-serif;padding:.5rem 1rem;border-bottom:3px solid #c99a00"
)


def draft_band(version: Version) -> bytes:
    src = html.escape(version.text.src)
    return (
        f'<div class="sitegen-draft" role="note" style="{BAND_STYLE}">Draft: this page is not '
        f"published and is listed nowhere. To publish it, delete the line 'draft: true' in "
        f"{src}.</div>"
    ).encode()


def with_band(page: bytes, version: Version) -> bytes:
    """The page with the band first in its body and a noindex, in case it is ever served."""
    body = page.find(b"<body")
    end = page.find(b">", body) + 1 if body >= 0 else 0
    page = page[:end] + draft_band(version) + page[end:]
    return page.replace(b"</head>", b'<meta name="robots" content="noindex">\n</head>', 1)


def draft_outputs(
    site: Site, inputs: RenderInput, diags: list[Diagnostic]
) -> Iterator[tuple[str, bytes | Path]]:
    """Each draft version as a page with its band, and the files of pages that are all draft."""
    if not site.drafts:
        return
    preview = dataclasses.replace(
        site,
        pages=MappingProxyType({**site.pages, **site.draft_pages}),
        versions=MappingProxyType({**site.versions, **site.drafts}),
    )
    # The footer of the published site; links to the drafts too, as they will be.
    inputs = dataclasses.replace(inputs, wide=site_wide_views(site, preview))
    asset, _ = fingerprint_assets(inputs.assets)
    tools = language_tools(site)
    for version in site.drafts.values():
        found: list[Diagnostic] = []
        page, _ = render_version(preview, version, inputs, tools[version.lang], asset, found)
        diags += [dataclasses.replace(d, severity="warning") for d in found]
        if page is not None:
            yield version.out, with_band(page, version)
        if version.path in site.draft_pages:
            folder = posixpath.dirname(version.out)
            for name, file in site.draft_pages[version.path].files:
                yield posixpath.join(folder, name) if folder else name, file
