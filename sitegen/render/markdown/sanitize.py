"""Make the HTML of a page text safe, and keep converting it fast, whatever was pasted in.

Editors paste from word processors and pull requests come from outside: raw HTML passes
through a maintained sanitizer (nh3) that keeps a safe subset, and each thing it removes is
reported as a warning at its line. Mail addresses are published only when data.yaml says so.
Limits on the text (limits.py) keep the converter from taking minutes on hostile input.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlsplit

import nh3

from sitegen.diagnostics.diagnostic import Diagnostic, error, warning
from sitegen.render.markdown.limits import check_limits
from sitegen.source.yamlpos import shorten

MAX_WARNINGS = 20

TAGS = frozenset(
    "a abbr b blockquote br caption cite code col colgroup dd del details dfn div dl dt em "
    "figcaption figure h1 h2 h3 h4 h5 h6 hr i iframe img ins kbd li mark ol p picture pre q s "
    "samp small source span strong sub summary sup table tbody td tfoot th thead time tr u ul "
    "var".split()
)
# Removed with everything inside them, not just the tags.
CLEAN_CONTENT = frozenset(
    "script style noscript template object embed applet svg math textarea select title".split()
)
EVERYWHERE = frozenset({"id", "class", "title", "lang", "dir"})
ATTRIBUTES: dict[str, frozenset[str]] = {
    "a": frozenset({"href", "rel", "hreflang"}),
    "img": frozenset({"src", "srcset", "sizes", "alt", "width", "height", "loading", "decoding"}),
    "source": frozenset({"srcset", "sizes", "type", "media"}),
    "td": frozenset({"colspan", "rowspan", "headers"}),
    "th": frozenset({"colspan", "rowspan", "headers", "scope", "abbr"}),
    "col": frozenset({"span"}),
    "colgroup": frozenset({"span"}),
    "ol": frozenset({"start", "reversed", "type"}),
    "li": frozenset({"value"}),
    "time": frozenset({"datetime"}),
    "del": frozenset({"datetime", "cite"}),
    "ins": frozenset({"datetime", "cite"}),
    "q": frozenset({"cite"}),
    "blockquote": frozenset({"cite"}),
    "details": frozenset({"open"}),
    "iframe": frozenset({"src", "title", "width", "height", "allow", "allowfullscreen", "loading"}),
}
# Markdown tables align columns with a style attribute; only these exact values stay.
ALIGN_STYLES = frozenset(f"text-align: {side};" for side in ("left", "center", "right"))
URL_ATTRIBUTES = frozenset({"href", "src", "cite"})
URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
IFRAME_HOSTS = frozenset({"www.youtube-nocookie.com"})
SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")
EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")


def scheme_of(url: str) -> str:
    """The scheme as a browser reads it (tabs and newlines ignored), '' for a relative URL."""
    match = SCHEME.match(re.sub(r"[\t\n\r]", "", url).strip("".join(map(chr, range(33)))))
    return match.group(1).lower() if match else ""


def _iframe_ok(url: str) -> bool:
    try:
        parts = urlsplit(url.strip())
        return parts.scheme == "https" and parts.hostname in IFRAME_HOSTS
    except ValueError:  # e.g. https://[abc: not an address
        return False


def _attribute_filter(tag: str, attr: str, value: str) -> str | None:
    if tag == "iframe" and attr == "src":
        return value if _iframe_ok(value) else None
    if tag == "a" and attr == "rel" and "noopener" not in value.split():
        return f"{value} noopener".strip()
    return value


def make_cleaner() -> nh3.Cleaner:
    """One sanitizer per build, configured with the allow-lists above."""
    return nh3.Cleaner(
        tags=set(TAGS),
        clean_content_tags=set(CLEAN_CONTENT),
        attributes={"*": set(EVERYWHERE)} | {tag: set(names) for tag, names in ATTRIBUTES.items()},
        tag_attribute_values={tag: {"style": set(ALIGN_STYLES)} for tag in ("td", "th")},
        url_schemes=set(URL_SCHEMES),
        attribute_filter=_attribute_filter,
        link_rel=None,
        strip_comments=True,
    )


@dataclass(slots=True)
class Finding:
    """One thing the sanitizer removes or refuses, with strings to find it in the source."""

    message: str
    hint: str
    needles: tuple[str, ...]
    is_error: bool = False


def _attr_allowed(tag: str, name: str, value: str) -> bool:
    if name == "style":
        return tag in ("td", "th") and value.strip() in ALIGN_STYLES
    return name in EVERYWHERE or name in ATTRIBUTES.get(tag, frozenset())


class _Inspector(HTMLParser):
    """Lists what the sanitizer will take out of the converter's HTML, in document order."""

    def __init__(self, allow_email: bool) -> None:
        super().__init__(convert_charrefs=True)
        self.allow_email = allow_email
        self.findings: list[Finding] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in CLEAN_CONTENT:
            self.findings.append(
                Finding(
                    f"removed <{tag}> and its content: it is not allowed in page text",
                    "remove it; scripts, styles and embedded objects are never published",
                    (f"<{tag}",),
                )
            )
            return
        if tag not in TAGS:
            self.findings.append(
                Finding(
                    f"removed the tag <{tag}> (its text stays): it is not allowed in page text",
                    "use Markdown for formatting, or only simple HTML such as <abbr> or <table>",
                    (f"<{tag}",),
                )
            )
            return
        for name, raw in attrs:
            self._attribute(tag, name, raw or "")

    handle_startendtag = handle_starttag

    def _attribute(self, tag: str, name: str, value: str) -> None:
        where = (f"{name}=", f"<{tag}")
        if not _attr_allowed(tag, name, value):
            self.findings.append(
                Finding(
                    f"removed the attribute '{name}' from <{tag}>",
                    "remove it; event handlers (on...) and styles are never published",
                    where,
                )
            )
            return
        if name not in URL_ATTRIBUTES:
            return
        scheme = scheme_of(value)
        if scheme and scheme not in URL_SCHEMES:
            self.findings.append(
                Finding(
                    f"removed the address '{shorten(value, 40)}' from <{tag}>: "
                    f"'{scheme}:' addresses are not allowed",
                    "link to an https:// address or to a page by its folder",
                    (value, *where),
                )
            )
        elif tag == "iframe" and not _iframe_ok(value):
            self.findings.append(
                Finding(
                    f"removed the embedded page from '{shorten(value, 40)}': only "
                    + ", ".join(sorted(IFRAME_HOSTS))
                    + " may be embedded",
                    "embed videos from youtube-nocookie.com, or link to the page instead",
                    (value, *where),
                )
            )
        elif scheme == "mailto" and not self.allow_email:
            self._email(value.strip()[len("mailto:") :] or value)

    def _email(self, address: str) -> None:
        self.findings.append(
            Finding(
                f"the mail address '{shorten(address, 60)}' would be published",
                "remove it (published addresses attract spam) or, if the address is meant to be "
                "public, add 'publish_email: true' to this page's data.yaml",
                (address, "mailto:"),
                is_error=True,
            )
        )

    def handle_data(self, data: str) -> None:
        if self.allow_email:
            return
        for match in EMAIL.finditer(data):
            self._email(match.group())


class _Positions:
    """Find findings in the Markdown source, in order, to report their line and column."""

    def __init__(self, body: str, body_line: int) -> None:
        self.body, self.lower, self.body_line = body, body.lower(), body_line
        self.cursor = 0

    def locate(self, needles: tuple[str, ...]) -> tuple[int, int]:
        for start in (self.cursor, 0):
            for needle in needles:
                index = self.lower.find(needle.lower(), start) if needle else -1
                if index >= 0:
                    self.cursor = index
                    line = self.body.count("\n", 0, index)
                    col = index - (self.body.rfind("\n", 0, index) + 1) + 1
                    return self.body_line + line, col
        return self.body_line, 1


def _external(href: str) -> bool:
    return scheme_of(href) in ("http", "https") or href.strip().startswith("//")


class _Rewriter(HTMLParser):
    """Final touches on sanitized HTML: rel="noopener" on external links, iframes emptied."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.html = html
        self.starts = [0]
        for line in html.split("\n")[:-1]:
            self.starts.append(self.starts[-1] + len(line) + 1)
        self.edits: list[tuple[int, int, str]] = []
        self.iframe: tuple[int, int, bool] | None = None

    def _offset(self) -> int:
        line, col = self.getpos()
        return self.starts[line - 1] + col

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = dict(attrs)
        if tag == "a" and "rel" not in names and _external(names.get("href") or ""):
            self.edits.append((self._offset() + len("<a"), 0, ' rel="noopener"'))
        if tag == "iframe":
            start = self._offset()
            inner = start + len(self.get_starttag_text() or "")
            self.iframe = (start, inner, bool(names.get("src")))
            self.set_cdata_mode("iframe")  # as in HTML, its content is text, never tags

    def handle_endtag(self, tag: str) -> None:
        if tag == "iframe" and self.iframe is not None:
            start, inner, has_src = self.iframe
            end = self._offset()
            if has_src:  # keep the frame, drop what a browser would never show
                self.edits.append((inner, end - inner, ""))
            else:  # its address was not allowed: nothing is left to show
                self.edits.append((start, end + len("</iframe>") - start, ""))
            self.iframe = None

    def result(self) -> str:
        self.feed(self.html)
        self.close()
        pieces, done = [], 0
        for start, length, text in sorted(self.edits):
            pieces += [self.html[done:start], text]
            done = start + length
        return "".join(pieces) + self.html[done:]


def sanitize(
    html: str,
    cleaner: nh3.Cleaner,
    body: str,
    src: str,
    body_line: int,
    allow_email: bool,
) -> tuple[str, list[Diagnostic]]:
    """Clean the HTML of one page text; warnings for what was removed, errors for addresses."""
    cleaned = cleaner.clean(html)
    if cleaned == html and "@" not in html and "<iframe" not in html and 'href="//' not in html:
        # Nothing removed, no address, nothing to rewrite: the usual case, without two
        # pure-Python HTML parses per page.
        return cleaned, []
    inspector = _Inspector(allow_email)
    inspector.feed(html)
    inspector.close()
    positions = _Positions(body, body_line)
    diags: list[Diagnostic] = []
    for finding in inspector.findings:
        line, col = positions.locate(finding.needles)
        make = error if finding.is_error else warning
        diags.append(make(src, line, col, finding.message, finding.hint))
    warnings = [d for d in diags if d.severity == "warning"]
    if len(warnings) > MAX_WARNINGS:
        first = warnings[MAX_WARNINGS]
        dropped = set(map(id, warnings[MAX_WARNINGS:]))
        diags = [d for d in diags if id(d) not in dropped]
        diags.append(
            warning(
                src,
                first.line,
                first.col,
                f"and {len(dropped)} more removed tags or attributes",
                "paste the text without formatting and use Markdown instead",
            )
        )
    return _Rewriter(cleaned).result(), diags


@dataclass(slots=True)
class SafeText:
    """What safe_convert needs to know about the text besides the text itself."""

    src: str
    body_line: int
    allow_email: bool
    diagnostics: list[Diagnostic] = field(default_factory=list)


def safe_convert(
    convert: Callable[[str], str], cleaner: nh3.Cleaner, body: str, text: SafeText
) -> str:
    """Convert within the limits, then sanitize; problems go to text.diagnostics."""
    problems = check_limits(body, text.src, text.body_line)
    if problems:
        text.diagnostics.extend(problems)
        return ""
    try:
        html = convert(body)
    except RecursionError:
        text.diagnostics.append(
            error(
                text.src,
                text.body_line,
                1,
                "lists, quotes or HTML elements are nested too deeply to convert",
                "nest lists and quotes at most a few levels deep",
            )
        )
        return ""
    html, found = sanitize(html, cleaner, body, text.src, text.body_line, text.allow_email)
    text.diagnostics.extend(found)
    return html
