"""The Markdown converter of one build, rewriting content-path links per language."""

from __future__ import annotations

import difflib
import posixpath
import xml.etree.ElementTree as etree
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from markdown import Markdown
from markdown.extensions import Extension
from markdown.extensions.attr_list import AttrListExtension
from markdown.extensions.fenced_code import FencedCodeExtension
from markdown.extensions.sane_lists import SaneListExtension
from markdown.extensions.tables import TableExtension
from markdown.treeprocessors import Treeprocessor
from markdown.util import AMP_SUBSTITUTE

from sitegen.diagnostics import codes
from sitegen.diagnostics.diagnostic import Diagnostic, error
from sitegen.model.site import Site, Version
from sitegen.render.images import ImageProcessor
from sitegen.render.linktable import Links
from sitegen.render.markdown.limits import LinkWindow
from sitegen.render.markdown.mdspeed import FastInline, FastToc, speed_up
from sitegen.render.markdown.sanitize import SafeText, make_cleaner, safe_convert


@dataclass(slots=True)
class LinkContext:
    """What the link rewriter needs for the text being converted now."""

    site: Site
    version: Version
    body: str  # the text being converted, for the positions of messages
    links: Links  # the URLs of other pages (from the build's table: see linktable.py)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    images: ImageProcessor | None = None
    # <img> elements that show a file of a page folder: (element, file, its path for messages)
    found_images: list[tuple[etree.Element, Path, str]] = field(default_factory=list)


class _LinkRewriter(Treeprocessor):
    def __init__(self, md: Markdown, holder: SitegenMarkdown) -> None:
        super().__init__(md)
        self.holder = holder

    def run(self, root: etree.Element) -> None:
        ctx = self.holder.context
        if ctx is None:
            return
        for el in root.iter():
            if el.tag == "a" and "href" in el.attrib:
                el.set("href", self.resolve(ctx, el.attrib["href"], el))
            elif el.tag == "img" and "src" in el.attrib:
                el.set("src", self.resolve(ctx, el.attrib["src"], el))
        if ctx.images is not None and ctx.found_images:
            ctx.images.rewrite(root, ctx.found_images)

    def resolve(self, ctx: LinkContext, target: str, el: etree.Element) -> str:
        if target.startswith(AMP_SUBSTITUTE):
            return target  # an autolinked mail address, entity-encoded; sanitize.py checks it
        try:
            parts = urlsplit(target)
        except ValueError:  # e.g. https://[abc: not an address at all
            self.report(ctx, target)
            return target
        if parts.scheme or target.startswith("//"):
            if parts.scheme in ("http", "https"):
                el.set("rel", "noopener")
            return target
        if not parts.path:
            return target
        page = ctx.site.pages[ctx.version.path]
        fragment = f"#{parts.fragment}" if parts.fragment else ""
        if parts.path.startswith("/"):
            wanted = posixpath.normpath(parts.path).strip("/")
        else:
            wanted = posixpath.normpath(posixpath.join(page.path, parts.path)).strip("/")
        wanted = "" if wanted == "." else wanted
        linked = ctx.links.get(wanted, ctx.version.lang) if wanted in ctx.site.pages else None
        if linked is not None:
            return linked.url + fragment
        folder, _, name = wanted.rpartition("/")
        owner = ctx.site.pages.get(folder)
        if owner is not None and name in dict(owner.files):
            owner_version = ctx.site.link(folder, ctx.version.lang)
            if owner_version is not None:
                if el.tag == "img":
                    ctx.found_images.append(
                        (el, dict(owner.files)[name], f"{owner.src_dir}/{name}")
                    )
                return owner_version.url + name
        self.report(ctx, target)
        return target

    def report(self, ctx: LinkContext, target: str) -> None:
        text = ctx.version.text
        line, col = text.body_line, 1
        for offset, body_line in enumerate(ctx.body.split("\n")):
            index = body_line.find(f"]({target}")
            if index >= 0:
                line, col = text.body_line + offset, index + 3
                break
        close = difflib.get_close_matches(target.strip("/"), list(ctx.site.pages), n=3)
        hint = (
            ("did you mean " + " or ".join(f"'/{c}'" for c in close) + "?")
            if close
            else "link to a page by its folder under content/, e.g. /partners/imec"
        )
        ctx.diagnostics.append(
            error(
                text.src,
                line,
                col,
                f"link to '{target}' does not match any page or file",
                hint,
                codes.BROKEN_LINK,
            )
        )


class SitegenMarkdown:
    """One converter per build; reset between documents, context set per conversion."""

    def __init__(self) -> None:
        self.context: LinkContext | None = None
        # Extensions as objects, not names: a name is looked up among the installed entry
        # points, which imports importlib.metadata and took 0.02 s of every command.
        self.md = speed_up(
            Markdown(
                extensions=[
                    TableExtension(),
                    AttrListExtension(),
                    FencedCodeExtension(),
                    SaneListExtension(),
                    FastToc(permalink=False),
                    _Links(self),
                    LinkWindow(),
                    FastInline(),
                ],
                output_format="html",
            )
        )
        self.cleaner = make_cleaner()

    def convert(self, text: str, ctx: LinkContext) -> str:
        self.context = ctx
        try:
            allow_email = ctx.site.pages[ctx.version.path].data.get("publish_email") is True
            safe = SafeText(ctx.version.text.src, ctx.version.text.body_line, allow_email)
            html = safe_convert(lambda t: self.md.reset().convert(t), self.cleaner, text, safe)
            ctx.diagnostics.extend(safe.diagnostics)
            return html
        finally:
            self.context = None


class _Links(Extension):
    def __init__(self, holder: SitegenMarkdown) -> None:
        super().__init__()
        self.holder = holder

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Markdown's API name)
        md.treeprocessors.register(_LinkRewriter(md, self.holder), "sitegen_links", 5)
