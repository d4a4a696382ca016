"""The redirects a site publishes: every old address of a moved page, in every language.

One list, made once from the pages' `moved_from:`, feeds `_redirects`, the nginx config, the
redirect pages for hosts that read neither, and the build manifest.
"""

from __future__ import annotations

from dataclasses import dataclass

from sitegen.diagnostics import codes
from sitegen.diagnostics.diagnostic import Diagnostic, error
from sitegen.model.site import Site
from sitegen.model.urls import out_path
from sitegen.schema.moved import FIELD, moved_paths


@dataclass(frozen=True, slots=True, order=True)
class Redirect:
    """An old address (`old`, a URL) that answers 301 with the page's address now (`new`)."""

    old: str
    new: str
    lang: str
    path: str
    data_src: str


def old_url(site: Site, old_path: str, lang: str) -> str:
    """The address `old_path` had in `lang`: the nearest live ancestor's address, then folders.

    A moved page's old folder had no translated slug we could know of, so its own segments are
    folder names; ancestors that still exist keep their (translated) address.
    """
    names = old_path.split("/")
    for depth in range(len(names) - 1, -1, -1):
        ancestor = site.versions.get(("/".join(names[:depth]), lang))
        if ancestor is not None:
            return ancestor.url + "".join(n + "/" for n in names[depth:])
    return site.config.url_prefix + lang + "/" + "".join(n + "/" for n in names)


def site_redirects(site: Site) -> tuple[list[Redirect], list[Diagnostic]]:
    """Every redirect, sorted by old address; an old address that a page has now is an error."""
    live = {v.out.casefold(): v for v in site.versions.values()}
    redirects: dict[str, Redirect] = {}
    diags: list[Diagnostic] = []
    for path, page in site.pages.items():
        data_src = f"{page.src_dir}/data.yaml"
        for old_path in moved_paths(page.data):
            for lang in site.config.codes:
                version = site.versions.get((path, lang))
                if version is None:
                    continue
                old = old_url(site, old_path, lang)
                key = out_path(old, site.config.url_prefix).casefold()
                if key in live:
                    diags.append(
                        error(
                            data_src,
                            1,
                            1,
                            f"'{old_path}' in '{FIELD}' is the address {old} of "
                            f"{live[key].text.src}, so it cannot redirect",
                            "remove it from the list, or give that page another slug",
                            codes.MOVED_FROM_LIVE,
                        )
                    )
                elif key in redirects and redirects[key].path != path:
                    diags.append(
                        error(
                            data_src,
                            1,
                            1,
                            f"'{old_path}' in '{FIELD}' gives the address {old}, which "
                            f"{redirects[key].data_src} redirects already",
                            "keep it on one page only",
                            codes.MOVED_FROM_TWICE,
                        )
                    )
                else:
                    redirects[key] = Redirect(old, version.url, lang, path, data_src)
    return sorted(redirects.values()), diags
