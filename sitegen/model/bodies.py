"""After a save that changed only the text below the front matter: the same model, new bodies.

No other page shows a body (titles, URLs and data only), so a body edit leaves the model as
it was but for that text. `serve` then skips checking and modelling the whole site, which
is most of the time between a save and the reload on a site of thousands of pages.
"""

from __future__ import annotations

import dataclasses

from sitegen.model.site import Site
from sitegen.source.load import SiteSources, SourcePage, SourceText


def _same_but_body(now: SourceText, was: SourceText) -> bool:
    return (now.src, now.front, now.body_line, now.body.start, now.body.blank) == (
        was.src,
        was.front,
        was.body_line,
        was.body.start,
        was.body.blank,
    )


def _same_folder(now: SourcePage, was: SourcePage) -> bool:
    return (
        now.texts.keys() == was.texts.keys()
        and (now.data, now.files, now.record, now.pictures)
        == (was.data, was.files, was.record, was.pictures)
        and all(_same_but_body(text, was.texts[lang]) for lang, text in now.texts.items())
    )


def with_new_bodies(
    site: Site, before: SiteSources, after: SiteSources, folders: set[str]
) -> Site | None:
    """`site` with the new bodies of the texts read again in `folders`; None when anything
    else changed there too (front matter, data, files, or what reading reported)."""
    if after.diagnostics != before.diagnostics:
        return None
    old = {page.path: page for page in before.pages if page.path in folders}
    new: dict[str, SourceText] = {}
    for page in after.pages:
        if page.path not in folders:
            continue
        was = old.get(page.path)
        if was is None or not _same_folder(page, was):
            return None
        new.update({text.src: text for text in page.texts.values()})
    versions = {}
    for key, version in site.versions.items():
        text = new.get(version.text.src)
        if text is not None and text.digest != version.text.digest:
            checked = dataclasses.replace(version.text, body=text.body, digest=text.digest)
            version = dataclasses.replace(version, text=checked)
        versions[key] = version
    return dataclasses.replace(site, versions=versions)
