"""Pages from the model and the templates: a pure function from a page version to bytes."""

from __future__ import annotations

import dataclasses
import posixpath
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import TypeVar

from jinja2 import Environment, TemplateError, TemplateNotFound, TemplateSyntaxError
from markupsafe import Markup

from sitegen.diagnostics import codes
from sitegen.diagnostics.diagnostic import Diagnostic, error
from sitegen.model.site import Site, Version
from sitegen.render.alternates import alternates as hreflang_links
from sitegen.render.assets import fingerprint_assets
from sitegen.render.checks import NO_FACTS, PageFacts, page_facts
from sitegen.render.environment import LangTools, MissingString
from sitegen.render.headings import main_headings
from sitegen.render.images import ImageProcessor
from sitegen.render.markdown.convert import LinkContext, SitegenMarkdown
from sitegen.render.repeats import Repeats
from sitegen.render.search_parts import extra_parts
from sitegen.render.sitemap import render_feed, render_robots, render_sitemap
from sitegen.render.typography import SectionMemo, typeset
from sitegen.render.unfinished import scaffold_problems
from sitegen.render.views import (
    SiteWide,
    is_search_page,
    menu_links,
    page_view,
    site_wide_views,
)
from sitegen.source.body import Body


@dataclass(frozen=True, slots=True)
class RenderInput:
    """What rendering needs besides the model: templates, converter, assets, and the way to
    a page's body. Rendering opens no file itself: `bodies` is the source stage's reader
    (None: the file changed since it was loaded), images come with what loading read."""

    env: Environment
    markdown: SitegenMarkdown
    assets: tuple[tuple[str, bytes], ...]
    templates_dir: Path
    bodies: Callable[[Body], str | None]
    images: ImageProcessor | None = None
    wide: SiteWide | None = None  # set once per build by iter_outputs
    # sections typography met on earlier pages (each worker fills its own copy)
    sections: SectionMemo = field(default_factory=SectionMemo)


def _template_position(exc: BaseException, templates_dir: Path) -> tuple[str, int]:
    """Find the template file and line an exception came from (Jinja rewrites tracebacks)."""
    if isinstance(exc, TemplateSyntaxError) and exc.name:
        return f"templates/{exc.name}", exc.lineno or 1
    tb: TracebackType | None = exc.__traceback__
    found = ("templates", 1)
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.startswith(str(templates_dir)):
            found = (
                "templates/" + Path(filename).relative_to(templates_dir).as_posix(),
                tb.tb_lineno,
            )
        tb = tb.tb_next
    return found


def _raised_in_template(exc: BaseException, inputs: RenderInput) -> bool:
    """True when the innermost frame is template code (a template misused a value)."""
    tb = exc.__traceback__
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    return tb is not None and tb.tb_frame.f_code.co_filename.startswith(str(inputs.templates_dir))


def _render_template(
    inputs: RenderInput,
    names: list[str],
    context: dict[str, object],
    diags: list[Diagnostic],
    src: str,
) -> bytes | None:
    try:
        template = inputs.env.select_template(names)
        # every page, 404 page and the chooser: locale typography on the text readers see
        return typeset(template.render(context), inputs.sections).encode("utf-8")
    except MissingString as exc:
        path, line = _template_position(exc, inputs.templates_dir)
        diags.append(
            error(
                "content/strings.yaml",
                1,
                1,
                f"{path}:{line} uses the string '{exc.key}', which has no '{exc.lang}' text",
                f"add '{exc.key}: {{{exc.lang}: ...}}' to content/strings.yaml",
            )
        )
    except TemplateNotFound:
        diags.append(
            error(
                src,
                1,
                1,
                f"none of the templates {', '.join(names)} exists",
                "add the template to templates/ or remove the 'template' line",
            )
        )
    except (TemplateError, TypeError, ValueError, AttributeError, KeyError) as exc:
        if not isinstance(exc, TemplateError) and not _raised_in_template(exc, inputs):
            raise  # a bug in sitegen's own code: reported as one, not as a template error
        path, line = _template_position(exc, inputs.templates_dir)
        diags.append(
            error(
                path,
                line,
                1,
                f"template error: {exc}",  # render/repeats.py adds the pages it struck
                "fix the tag on this line: each {% if %} or {% for %} needs its condition "
                "and its {% endif %} or {% endfor %}"
                if isinstance(exc, TemplateSyntaxError)
                else "fix the template; every variable must exist for every page",
                codes.TEMPLATE_ERROR,
            )
        )
    return None


def _common(site: Site, tools: LangTools, asset: dict[str, str]) -> dict[str, object]:
    prefix = site.config.url_prefix

    def asset_url(name: str) -> str:
        if name not in asset:
            raise KeyError(f"asset '{name}' is not in assets/")
        return prefix + "assets/" + asset[name]

    return {
        "t": tools.t,
        "format_date": tools.date,
        "asset": asset_url,
        "language_name": tools.language_name,
        "site": {"name": site.config.name, "prefix": prefix},
    }


def template_names(site: Site, version: Version) -> list[str]:
    """The templates a page may use, in order: its own choice, its kind's, the default."""
    chosen = version.text.template
    names = [chosen if chosen.endswith(".html") else chosen + ".html"] if chosen else []
    return names + [site.pages[version.path].template, "page.html"]


def render_version(
    site: Site,
    version: Version,
    inputs: RenderInput,
    tools: LangTools,
    asset: dict[str, str],
    diags: list[Diagnostic],
) -> tuple[bytes | None, PageFacts]:
    """Render one page in one language: Markdown body, then its template; with what the
    editor checks need of it, found while the text is at hand."""
    text = inputs.bodies(version.text.body)
    if text is None:
        diags.append(
            error(
                version.text.src,
                1,
                1,
                "the file changed while the site was being built",
                "build again; the last build was left as it was",
            )
        )
        return None, NO_FACTS
    diags.extend(scaffold_problems(version.path, version.text, text))
    diags.extend(main_headings(version.text, text))
    wide = inputs.wide or site_wide_views(site)
    ctx = LinkContext(site, version, text, wide.links, images=inputs.images)
    body = inputs.markdown.convert(text, ctx)
    diags.extend(ctx.diagnostics)
    view = page_view(site, version, Markup(body), tools, images=inputs.images, wide=wide)
    names = template_names(site, version)
    context = _common(site, tools, asset) | {"page": view}
    if is_search_page(version):  # the parts of a big language's index, merged in the browser
        context["search_parts"] = extra_parts(site, version.lang)
    html = _render_template(inputs, names, context, diags, version.text.src)
    return html, page_facts(site, version, html, text)


@dataclass(frozen=True, slots=True)
class RenderedPage:
    """Everything rendering one page version gives: its bytes (None when it failed), the
    problems found, what the editor checks need of it, the images it asked for, and the
    model keys it read (filled by the speed layer, which records them)."""

    out: str
    html: bytes | None
    diagnostics: tuple[Diagnostic, ...]
    facts: PageFacts
    images: tuple[tuple[str, str], ...] = ()
    dependencies: tuple[tuple[str, object], ...] = ()


# What a page renders to: bytes here; the speed layer's renderer hands on its own forms
# (already compressed, or reused from the last build), which rendering never looks into.
T = TypeVar("T")
RenderedVersion = tuple[Version, T | None, list[Diagnostic], PageFacts]
VersionRenderer = Callable[
    [Site, RenderInput, Mapping[str, LangTools], dict[str, str]], Iterator[RenderedVersion[T]]
]


def render_page(
    site: Site, version: Version, inputs: RenderInput, tools: LangTools, asset: dict[str, str]
) -> RenderedPage:
    """One page version to a RenderedPage: the pure step every renderer goes through."""
    if inputs.images is not None:
        inputs.images.take_asked()  # nothing left over from the page before
    diags: list[Diagnostic] = []
    html, facts = render_version(site, version, inputs, tools, asset, diags)
    asked = inputs.images.take_asked() if inputs.images is not None else ()
    return RenderedPage(version.out, html, tuple(diags), facts, asked)


def render_versions(
    site: Site, inputs: RenderInput, tools: Mapping[str, LangTools], asset: dict[str, str]
) -> Iterator[RenderedVersion[bytes]]:
    """Every version in model order, one after the other (the speed layer does better)."""
    for version in site.versions.values():
        page = render_page(site, version, inputs, tools[version.lang], asset)
        yield version, page.html, list(page.diagnostics), page.facts


def language_tools(site: Site) -> dict[str, LangTools]:
    """t() and date formatting for each language of the site."""
    strings = {k: dict(v) for k, v in site.strings.items()}
    return {lang.code: LangTools(lang.code, lang.locale, strings) for lang in site.config.languages}


def iter_outputs(
    site: Site,
    inputs: RenderInput,
    diags: list[Diagnostic],
    renderer: VersionRenderer[T],
    facts: dict[str, PageFacts] | None = None,
    site_wide: bool = True,
) -> Iterator[tuple[str, bytes | Path | T]]:
    """Yield every output file; problems go to diags so one failure does not hide others.

    What the editor checks need from each page goes to facts, by output path. Without
    site_wide, only the pages the renderer gives and their files (`serve`, after a body edit).
    """
    wide = inputs.wide or site_wide_views(site)
    inputs = dataclasses.replace(inputs, wide=wide)
    asset, asset_files = fingerprint_assets(inputs.assets)
    for name, data in sorted(asset_files.items()):
        yield "assets/" + name, data
    tools = language_tools(site)
    repeats = Repeats()
    for version, html, page_diags, found in renderer(site, inputs, tools, asset):
        diags.extend(repeats.keep(page_diags, version.text.src))
        if facts is not None and html is not None:
            facts[version.out] = found
        if html is not None:
            yield version.out, html
        folder = posixpath.dirname(version.out)
        for name, file in site.pages[version.path].files:
            yield posixpath.join(folder, name) if folder else name, file
    if not site_wide:
        diags.extend(repeats.merged())
        return
    extras: list[Diagnostic] = []  # what the 404 pages and the chooser found
    default_tools = tools[site.config.default_language]
    for language in site.config.languages:
        lt = tools[language.code]
        context = _common(site, lt, asset) | {
            "lang": language.code,
            "home_url": f"{site.config.url_prefix}{language.code}/",
            "languages": site.config.languages,
            "menu": menu_links(site, wide.links, language.code, lt),
            "search": wide.links.get("search", language.code),  # None without a search page
        }
        extra = _render_template(inputs, ["404.html"], context, extras, "templates/404.html")
        diags.extend(repeats.keep(extras, f"the {language.code} 404 page"))
        extras.clear()
        if extra is not None:
            yield f"{language.code}/404.html", extra
            if language.code == site.config.default_language:
                # Hosts with one 404 page for everything (GitHub Pages) look for it here.
                yield "404.html", extra
        try:
            yield (
                f"{language.code}/feed.xml",
                render_feed(site, language.code, f"{site.config.name}: {lt.t('timeline')}"),
            )
        except MissingString as exc:
            diags.append(
                error(
                    "content/strings.yaml",
                    1,
                    1,
                    f"there is no string '{exc.key}'",
                    f"add '{exc.key}: {{{exc.lang}: ...}}' to content/strings.yaml",
                )
            )
    chooser = _common(site, default_tools, asset) | {
        "choices": [(lang, site.link("", lang.code)) for lang in site.config.languages],
        "tools": tools,
        "origin": site.config.origin,
        "alternates": hreflang_links(site, ""),  # the home pages' cluster, x-default included
    }
    extra = _render_template(inputs, ["chooser.html"], chooser, extras, "templates/chooser.html")
    if extra is not None:
        yield "index.html", extra
    diags.extend(repeats.keep(extras, "the language chooser"))
    diags.extend(repeats.merged())
    yield "sitemap.xml", render_sitemap(site)
    yield "robots.txt", render_robots(site)
