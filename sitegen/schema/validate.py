"""Stage 2: check every file against the schema and turn raw values into typed ones.

All problems are collected; the model stage only ever sees checked values.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

from sitegen.diagnostics.diagnostic import Diagnostic, error, warning
from sitegen.schema.config import SiteConfig
from sitegen.schema.fields import FieldChecker, Value
from sitegen.schema.kinds import DIAGRAMS, PageKind, data_fields, front_matter_fields, suggest
from sitegen.schema.moved import check_moved_from
from sitegen.source.body import Body
from sitegen.source.load import SiteSources, SourcePage, SourceText
from sitegen.source.yamlpos import YamlDoc, shorten

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
TEMPLATE_NAME = re.compile(r"^[A-Za-z0-9_-]+(?:\.html)?$")


@dataclass(frozen=True, slots=True)
class CheckedText:
    """A translation whose front matter passed the schema."""

    src: str
    lang: str
    title: str
    description: str
    slug: str | None
    template: str | None
    draft: bool
    image_alt: str | None
    body: Body
    body_line: int
    digest: str
    slug_pos: tuple[int, int] = (1, 1)  # where the editor wrote the slug, for collisions
    title_pos: tuple[int, int] = (1, 1)  # where the title and description are, for warnings
    description_pos: tuple[int, int] = (1, 1)

    def field_pos(self, name: str) -> tuple[int, int]:
        """Where the editor wrote the title or the description."""
        return self.title_pos if name == "title" else self.description_pos


@dataclass(frozen=True, slots=True)
class CheckedPage:
    """A page folder with checked translations and typed data.yaml values."""

    path: str
    kind: PageKind
    src_dir: str
    data_src: str
    texts: MappingProxyType[str, CheckedText]
    data: MappingProxyType[str, Value]
    files: tuple[tuple[str, Path], ...]


def section_label(path: str) -> str:
    """A page as editors name it in messages: by the section folder it is in."""
    first, _, rest = path.partition("/")
    return f"a page in {first}/" if rest else "this page"


def page_kind(path: str, config: SiteConfig) -> PageKind:
    """The kind follows from the section (first folder) a page lives in."""
    if not path:
        return "home"
    first, _, rest = path.partition("/")
    if first in config.sections:
        return config.sections[first] if rest else "section"
    return "page"


def _check_text(text: SourceText, kind: PageKind, diags: list[Diagnostic]) -> CheckedText | None:
    if text.front is None:
        return None
    checker = FieldChecker(text.src, text.front, diags)
    before = len(diags)
    values = checker.fields(front_matter_fields(), "front matter")
    slug = values.get("slug")
    if isinstance(slug, str) and not SLUG.match(slug):
        checker.fail(
            ("slug",),
            f"slug '{shorten(slug)}' may only hold a-z, 0-9 and single hyphens",
            "write it in lower case without spaces, e.g. 'partenaires'",
        )
    template = values.get("template")
    if isinstance(template, str) and not TEMPLATE_NAME.match(template):
        checker.fail(
            ("template",),
            f"template '{shorten(template)}' is not a file name in templates/",
            "write only the name, e.g. 'partner.html'",
        )
    if len(diags) > before:
        return None

    def opt(name: str) -> str | None:
        value = values.get(name)
        return value if isinstance(value, str) else None

    return CheckedText(
        text.src,
        text.lang,
        str(values["title"]),
        str(values["description"]),
        opt("slug"),
        opt("template"),
        values.get("draft") is True,
        opt("image_alt"),
        text.body,
        text.body_line,
        text.digest,
        text.front.pos("slug") if opt("slug") else (1, 1),
        text.front.pos("title"),
        text.front.pos("description"),
    )


def _check_page(
    page: SourcePage, config: SiteConfig, templates: frozenset[str], diags: list[Diagnostic]
) -> CheckedPage:
    kind = page_kind(page.path, config)
    texts: dict[str, CheckedText] = {}
    for lang, text in page.texts.items():
        if lang not in config.codes:
            diags.append(
                error(
                    text.src,
                    1,
                    1,
                    f"unknown language code '{lang}' in the file name",
                    suggest(
                        lang,
                        config.codes,
                        "rename the file to one of " + ", ".join(c + ".md" for c in config.codes),
                    )
                    .replace("did you mean '", "rename it to '")
                    .replace("'?", ".md'"),
                )
            )
            continue
        checked = _check_text(text, kind, diags)
        if checked is not None:
            if checked.template and _template_file(checked.template) not in templates:
                line, col = text.front.pos("template") if text.front else (1, 1)
                diags.append(
                    error(
                        text.src,
                        line,
                        col,
                        f"there is no template '{checked.template}' in templates/",
                        suggest(
                            _template_file(checked.template),
                            templates,
                            "remove the 'template' line to use the default",
                        ),
                    )
                )
            texts[lang] = checked
    default = config.default_language
    # A text that is there but could not be read is not missing: its problem is reported.
    if default not in page.texts and default not in page.unread:
        if page.texts or page.unread:
            message = f"this page has no {default}.md, the default language"
            hint = f"add {default}.md; other languages fall back to it"
        else:
            message = "this folder has no page text"
            hint = f"add {default}.md with a title, or remove the folder"
        diags.append(error(page.src_dir, 1, 1, message, hint))
    for name, _file in page.files:
        if name.lower() == "index.html":
            diags.append(
                error(
                    f"{page.src_dir}/{name}",
                    1,
                    1,
                    "a file named index.html would replace the page itself",
                    "rename the file; write the page text in the language files (en.md, ...)",
                )
            )
    data: dict[str, Value] = {}
    if page.data is not None:
        checker = FieldChecker(page.data_src, page.data, diags, config.codes)
        if page.data.value is not None and not isinstance(page.data.value, dict):
            checker.fail(
                (),
                "data.yaml must be a list of 'field: value' lines",
                "write each field as 'name: value' on its own line",
            )
        else:
            data = checker.fields(data_fields(kind), f"data.yaml of {section_label(page.path)}")
        diagram = data.get("diagram")
        if isinstance(diagram, str) and diagram not in DIAGRAMS:
            checker.fail(
                ("diagram",),
                f"there is no diagram '{shorten(diagram)}'",
                suggest(diagram, DIAGRAMS, "use one of: " + ", ".join(DIAGRAMS)),
            )
        image = data.get("image")
        if isinstance(image, str) and image not in dict(page.files):
            checker.fail(
                ("image",),
                f"there is no file '{shorten(image)}' in this folder",
                suggest(image, dict(page.files), "add the image file beside data.yaml"),
            )
    return CheckedPage(
        page.path,
        kind,
        page.src_dir,
        page.data_src,
        MappingProxyType(texts),
        MappingProxyType(data),
        page.files,
    )


def _template_file(name: str) -> str:
    return name if name.endswith(".html") else name + ".html"


def check_strings(
    doc: YamlDoc | None, config: SiteConfig
) -> tuple[dict[str, dict[str, str]], list[Diagnostic]]:
    """Every UI string needs every language; a gap is an error naming key and language."""
    diags: list[Diagnostic] = []
    out: dict[str, dict[str, str]] = {}
    if doc is None:
        return out, diags
    src = "content/strings.yaml"
    raw = doc.value if isinstance(doc.value, dict) else {}
    for key, values in raw.items():
        line, col = doc.pos(str(key))
        if not isinstance(values, dict):
            diags.append(
                error(
                    src,
                    line,
                    col,
                    f"string '{key}' must list its languages",
                    f"write it as '{key}: {{en: ..., nl: ...}}'",
                )
            )
            continue
        for lang in config.codes:
            if not isinstance(values.get(lang), str):
                diags.append(
                    error(
                        src,
                        line,
                        col,
                        f"string '{key}' has no text for '{lang}'",
                        f"add '{lang}: ...' to '{key}'",
                    )
                )
            elif (problem := _placeholder_problem(values[lang])) is not None:
                diags.append(
                    error(
                        src,
                        *doc.pos(str(key), lang),
                        f"string '{key}' in '{lang}': {problem}",
                        "write placeholders as {name}, exactly as in the English text",
                    )
                )
        out[str(key)] = {k: v for k, v in values.items() if isinstance(v, str)}
    return out, diags


def _placeholder_problem(text: str) -> str | None:
    """Only {name} placeholders: '{0}' would crash and '{x.__class__}' would leak internals."""
    try:
        fields = [field for _, field, _, _ in string.Formatter().parse(text) if field is not None]
    except ValueError:
        return None  # a lone brace: shown as it is, or a template error naming the line
    bad = [field for field in fields if not field.isidentifier()]
    return f"'{{{shorten(bad[0])}}}' is not a named placeholder" if bad else None


@dataclass(slots=True)
class CheckedMemo:
    """The pages checked last time, for `serve`: after a save only the folders read again
    are checked again (a page's check depends on nothing but the page and the settings)."""

    config: SiteConfig | None = None
    templates: frozenset[str] = frozenset()
    pages: dict[str, tuple[SourcePage, CheckedPage, list[Diagnostic]]] = field(default_factory=dict)

    def check(
        self, page: SourcePage, config: SiteConfig, templates: frozenset[str]
    ) -> tuple[CheckedPage, list[Diagnostic]]:
        if config != self.config or templates != self.templates:
            self.config, self.templates, self.pages = config, templates, {}
        known = self.pages.get(page.path)
        if known is not None and known[0] is page:
            return known[1], known[2]
        found: list[Diagnostic] = []
        checked = _check_page(page, config, templates, found)
        self.pages[page.path] = (page, checked, found)
        return checked, found


def validate_sources(
    sources: SiteSources,
    config: SiteConfig,
    templates: frozenset[str],
    memo: CheckedMemo | None = None,
) -> tuple[dict[str, CheckedPage], dict[str, dict[str, str]], list[Diagnostic]]:
    """Check every page, data file and string; return typed pages and all problems."""
    diags: list[Diagnostic] = []
    memo = memo if memo is not None else CheckedMemo()
    pages: dict[str, CheckedPage] = {}
    for page in sources.pages:
        pages[page.path], found = memo.check(page, config, templates)
        diags += found
    for gone in memo.pages.keys() - pages.keys():
        del memo.pages[gone]
    paths = frozenset(pages)
    # References to missing pages: model/missing.py, with the text links to them.
    diags += check_moved_from(pages, {source.path: source.data for source in sources.pages})
    for index, item in enumerate(config.menu):
        if item not in paths:
            line, col = sources.site.pos("menu", index) if sources.site else (1, 1)
            diags.append(
                error(
                    "content/site.yaml",
                    line,
                    col,
                    f"menu entry '{item}' is not a page",
                    suggest(item, paths, "use a folder name under content/"),
                )
            )
    diags += _unknown_sections(sources, paths)
    strings, string_diags = check_strings(sources.strings, config)
    return pages, strings, diags + string_diags


def _unknown_sections(sources: SiteSources, paths: frozenset[str]) -> list[Diagnostic]:
    """A section site.yaml names but content/ lacks: most likely a typo, which would leave
    the real folder's pages without their kind (and their template)."""
    doc = sources.site
    written = doc.value.get("sections") if doc is not None and isinstance(doc.value, dict) else None
    if doc is None or not isinstance(written, dict):
        return []  # the built-in sections, or a shape parse_config reports
    return [
        warning(
            "content/site.yaml",
            *doc.pos("sections", str(folder), "__key__"),
            f"section '{folder}' is not a folder under content/",
            suggest(str(folder), paths, "remove the line, or create the folder"),
        )
        for folder in written
        if str(folder) not in paths
    ]
