"""The editor checks on top of a build: anchors, alt text, search snippets, sizes, drafts.

Bad `#anchors` and links to draft pages are errors (the published link would not work); the
rest are warnings that `sitegen check` reports and `--strict` makes fail. Links are found in the
Markdown source so every message points at the exact line and column.
"""

from __future__ import annotations

import difflib
import html
import re
from dataclasses import dataclass
from pathlib import Path

from sitegen.diagnostics import codes
from sitegen.diagnostics.diagnostic import Diagnostic, error, warning
from sitegen.model.links import LinkRef, find_links, link_path
from sitegen.model.site import Site, Version
from sitegen.render.linkreport import regroup_links
from sitegen.schema.validate import CheckedText

TITLE_LIMIT = 60
DESCRIPTION_LIMIT = 160
IMAGE_LIMIT = 500 * 1024
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif", ".svg")

ID_ATTR = re.compile(rb"""id\s*=\s*(?:"([^"]*)"|'([^']*)')""")  # after white space
SPACE = frozenset(b" \t\n\r\f\v")


@dataclass(frozen=True, slots=True)
class _Anchor:
    src: str
    line: int
    col: int
    fragment: str
    target: Version
    text_lang: str


@dataclass(frozen=True, slots=True)
class PageFacts:
    """What the checks need from one rendered page: the links worth a look, and its ids.

    The ids are one string, sorted and joined by NUL (no page holds one: loading refuses a
    text with NUL, and `&#0;` reads as U+FFFD), not a set or a tuple: the build keeps every
    page's facts until the checks run, and only the pages an `#anchor` goes to are looked
    in. A deep page has 9 ids, most its own (heading slugs): as a tuple of strings 590 bytes
    a page, as one string 310 (4,029 pages; 11 MB less at 40,000, all in the main process)."""

    links: tuple[LinkRef, ...] = ()
    ids: str = ""

    def id_set(self) -> frozenset[str]:
        return frozenset(self.ids.split("\0")) if self.ids else frozenset()


NO_FACTS = PageFacts()


def page_facts(site: Site, version: Version, page: bytes | None, body: str) -> PageFacts:
    """Found where the page is rendered (on every core, cached with it), not after the build.

    Only links that a check can complain about are kept: images (alt text), `#anchors`, and
    links to pages that are missing or lack this language (drafts). Most links are none of these.
    """
    kept = []
    for ref in find_links(version.text, body):
        resolved = None if ref.image else link_path(version.path, ref.target)
        if ref.image or (
            resolved is not None
            and (
                bool(resolved[1])
                or resolved[0] not in site.pages
                or version.lang not in site.pages[resolved[0]].translations
            )
        ):
            kept.append(ref)
    return PageFacts(tuple(kept), page_ids(page or b""))


def page_ids(page: bytes) -> str:
    """Every id="..." of a page (see PageFacts.ids), found fast: the search looks for the
    letters 'id' (a quick scan) and then checks for the white space before them, rather
    than trying every space."""
    found, at = set(), 0
    while (match := ID_ATTR.search(page, at)) is not None:
        start = match.start()
        if start > 0 and page[start - 1] in SPACE:
            found.add(html.unescape((match[1] or match[2] or b"").decode("utf-8", "replace")))
            at = match.end()
        else:
            at = start + 1
    return "\0".join(sorted(found))


class EditorChecks:
    """One run's checks over the facts each rendered page reported."""

    def __init__(self, site: Site, root: Path, facts: dict[str, PageFacts]) -> None:
        self.site, self.root, self.facts = site, root, facts
        self.anchors: list[_Anchor] = []
        for version in site.versions.values():
            for ref in self.refs(version):
                resolved = None if ref.image else link_path(version.path, ref.target)
                if resolved is None or not resolved[1]:
                    continue
                target = site.link(resolved[0], version.lang)
                if target is not None:
                    anchor = _Anchor(
                        version.text.src, ref.line, ref.col, resolved[1], target, version.text_lang
                    )
                    self.anchors.append(anchor)
        # A page that failed to render has no facts: its anchors are not judged. A set for
        # each page an anchor goes to, so a page with many anchors into a long one stays fast.
        targets = {a.target.out for a in self.anchors if a.target.out in facts}
        self.ids = {out: facts[out].id_set() for out in targets}

    def refs(self, version: Version) -> tuple[LinkRef, ...]:
        return self.facts.get(version.out, NO_FACTS).links

    def anchor_errors(self) -> list[Diagnostic]:
        """A `#fragment` must name an id on the page it goes to, in each language it shows in."""
        failing: dict[tuple[str, int, int, str, str], list[_Anchor]] = {}
        checked: dict[tuple[str, int, int, str, str], int] = {}
        for a in self.anchors:
            ids = self.ids.get(a.target.out)
            if ids is None:
                continue
            key = (a.src, a.line, a.col, a.fragment, a.target.path)
            checked[key] = checked.get(key, 0) + 1
            if a.fragment not in ids:
                failing.setdefault(key, []).append(a)
        diags = []
        for key, anchors in failing.items():
            src, line, col, fragment, path = key
            langs = sorted({a.target.lang for a in anchors})
            where = "/" + path if path else "the home page"
            if len(anchors) < checked[key]:
                where += " in " + ", ".join(f"'{lang}'" for lang in langs)
            own = next((a for a in anchors if a.target.lang == a.text_lang), anchors[0])
            ids = self.ids[own.target.out]
            close = difflib.get_close_matches(fragment, sorted(ids), n=1, cutoff=0.6)
            hint = (
                f"did you mean '#{close[0]}'?"
                if close
                else "a heading's id is its text in lower case with hyphens: "
                "'## Our work' is '#our-work'"
            )
            if len(anchors) < checked[key]:
                hint = "headings differ per language: give the heading one id in every language, "
                hint += "e.g. '## Our work {#work}', and link to '#work'"
            diags.append(
                error(src, line, col, f"there is no heading '#{fragment}' on {where}", hint)
            )
        return diags

    def draft_links(self, diagnostics: list[Diagnostic]) -> list[Diagnostic]:
        """Say 'draft' where the link rewriter could only say 'no such page'."""
        content = self.root / "content"
        found: list[Diagnostic] = []
        replaced: set[tuple[str, int, int]] = set()  # where a broken link is a draft link
        for version in self.site.versions.values():
            if version.is_fallback:
                continue
            for ref in self.refs(version):
                resolved = None if ref.image else link_path(version.path, ref.target)
                if resolved is None or resolved[0] == version.path:
                    continue
                path, src = resolved[0], version.text.src
                page = self.site.pages.get(path)
                if page is None and path and (content / path).is_dir():
                    replaced.add((src, ref.line, ref.col))
                    found.append(
                        error(
                            src,
                            ref.line,
                            ref.col,
                            f"link to '{ref.target}' goes to a draft page, which is not published",
                            f"publish content/{path}/ first (delete its 'draft: true' line) "
                            "or remove the link",
                            codes.DRAFT_LINK,
                        )
                    )
                elif (
                    page is not None
                    and version.lang not in page.translations
                    and (content / path / f"{version.lang}.md").is_file()
                ):
                    default = self.site.config.default_language
                    found.append(
                        warning(
                            src,
                            ref.line,
                            ref.col,
                            f"the '{version.lang}' text of '{ref.target}' is still a draft, "
                            f"so this link shows its '{default}' text",
                            f"publish content/{path}/{version.lang}.md when it is ready "
                            "(delete its 'draft: true' line)",
                        )
                    )
        kept = [
            d
            for d in diagnostics
            if d.code != codes.BROKEN_LINK or (d.path, d.line, d.col) not in replaced
        ]
        return kept + found

    def warnings(self) -> list[Diagnostic]:
        """What an editor should fix before publishing, though the site would still work."""
        diags: list[Diagnostic] = []
        default = self.site.config.default_language
        for version in self.site.versions.values():
            if version.is_fallback:
                continue
            text = version.text
            page = self.site.pages[version.path]
            diags += self.snippet_warnings(text)
            for ref in self.refs(version):
                if ref.image and not ref.alt:
                    hint = (
                        'describe what it shows in the tag: <img alt="A map of ..." ...>'
                        if ref.html
                        else "describe what it shows between the brackets: "
                        f"![A map of ...]({ref.target or 'this image'})"
                    )
                    what = f"the image '{ref.target}'" if ref.target else "this image"
                    diags.append(
                        warning(text.src, ref.line, ref.col, f"{what} has no alt text", hint)
                    )
            image = page.data.get("image")
            if isinstance(image, str) and not text.image_alt:
                diags.append(
                    warning(
                        text.src,
                        max(1, text.body_line - 1),
                        1,
                        f"the page image '{image}' has no alt text in this language",
                        "add a line 'image_alt: what the image shows' to the front matter",
                    )
                )
            original = self.site.version(version.path, default)
            if (
                version.lang != default
                and text.body.blank
                and original is not None
                and not original.text.body.blank
            ):
                diags.append(
                    warning(
                        text.src,
                        text.body_line,
                        1,
                        "this translation has no text below the front matter",
                        f"translate the text of {original.text.src} into this file, "
                        f"or delete the file so the page shows the '{default}' text",
                    )
                )
        for page in self.site.pages.values():
            for name, file in page.files:
                if not name.lower().endswith(IMAGE_SUFFIXES):
                    continue
                try:
                    size = file.stat().st_size
                except OSError:
                    continue
                if size > IMAGE_LIMIT:
                    diags.append(
                        warning(
                            f"{page.src_dir}/{name}",
                            1,
                            1,
                            f"the image is {size // 1024} KB; images over "
                            f"{IMAGE_LIMIT // 1024} KB make the page slow to load",
                            "save it smaller: at most 2000 pixels wide, as JPEG or WebP",
                        )
                    )
        return diags

    def snippet_warnings(self, text: CheckedText) -> list[Diagnostic]:
        """Title and description as search results show them."""
        diags = []
        for name, value, limit in (
            ("title", text.title, TITLE_LIMIT),
            ("description", text.description, DESCRIPTION_LIMIT),
        ):
            if len(value) > limit:
                line, col = text.field_pos(name)
                diags.append(
                    warning(
                        text.src,
                        line,
                        col,
                        f"the {name} is {len(value)} characters; search results show about {limit}",
                        f"shorten the {name} to at most {limit} characters",
                    )
                )
        return diags


def editor_checks(
    checks: EditorChecks, diagnostics: list[Diagnostic], warnings: bool = True
) -> list[Diagnostic]:
    """The render diagnostics with anchor and draft-link errors, and the warnings if asked."""
    found = checks.draft_links(diagnostics) + checks.anchor_errors()
    found = regroup_links(checks.site, checks.root, checks.refs, found)
    return found + (checks.warnings() if warnings else [])
