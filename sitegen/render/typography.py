"""Locale typography on a rendered page: no-break spaces, curly quotes, names that hold together.

Writers type plain spaces, straight quotes and "Leuven–Genk"; a reader in French should not see
"185" at the end of one line and "000" at the start of the next. This step rewrites only the
text a reader sees (text nodes), each in the language of its element (`lang` attributes, so an
English fallback on a French page gets English quotes). Markup, attributes, `<code>`, `<pre>`,
`<kbd>`, `<samp>`, `<script>`, `<style>`, `<textarea>` and addresses written out in the text
(https://…, www.…, mail addresses) are left byte for byte as they were, and so is text whose
language is unknown (`lang=""`, as on the list of sources, whose titles stay as each document
gives them).

The rules for one run of text, per language, are in render/textrules.py.

Rendering stays pure and deterministic: the same HTML in gives the same HTML out.
"""

from __future__ import annotations

import html
import re

from sitegen.render.textrules import INLINE_CODE, TRIGGER, base_language, edit_text

# Elements whose content is never typeset: code and preformatted text, and raw text elements.
RAW = frozenset({"script", "style", "textarea"})
CODE = frozenset({"code", "kbd", "samp", "pre"})
CODE_OR_RAW = CODE | RAW
# Elements that do not end a line of text: quotes and numbers may run across them.
INLINE = frozenset(
    {
        "a", "abbr", "b", "bdi", "bdo", "cite", "data", "dfn", "em", "i", "mark", "q", "s",
        "small", "span", "strong", "sub", "sup", "time", "u", "wbr", "code", "kbd", "samp",
        "img", "label",
    }
)  # fmt: skip
VOID = frozenset(
    {
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
        "source", "track", "wbr",
    }
)  # fmt: skip

TAG = re.compile(
    r"<(?:!--.*?--|[!?][^>]*|(/?)([A-Za-z][A-Za-z0-9:-]*)"
    r"""([^>"']*(?:(?:"[^"]*"|'[^']*')[^>"']*)*))>""",
    re.S,
)
# A quiet stretch: from just after a tag that ends a run of text, through the last such tag
# before anything the scan must look at. Its text holds no character a rule starts from (see
# TRIGGER) and no character reference; its tags open no language, no code, no raw text, no
# section and no `<html>` (whose `lang` is the page's). Scanned tag by tag it would change
# nothing and leave the scan as it found it (no run open, the same languages open), so it is
# passed over in one match: most of the menus, lists and footers, about half a page's tags.
# Its tags have no "lang" anywhere in them and no ">" in a quoted value (so the look-ahead
# sees the whole tag), and lower-case names, as the templates and Markdown write them.
_ATTRS = r"""(?=[\s/>])(?![^>]*lang)[^>"']*+(?:(?:"[^">]*+"|'[^'>]*+')[^>"']*+)*+>"""
# The tags a stretch may hold, most frequent first: inline ones, and the common ones that
# end a line. Any other tag ends the stretch, which is then only shorter than it could be.
_QUIET_INLINE = ("a", "span", "strong", "em", "img", "b", "i", "small", "abbr", "time")
_QUIET_BLOCK = (
    "li", "tspan", "text", "p", "rect", "path", "circle", "div", "meta", "td", "h2", "ul",
    "h3", "link", "tr", "nav", "svg", "g", "line", "header", "ol", "th", "head", "title",
    "body", "main", "article", "h1", "footer", "dt", "dd", "table", "thead", "tbody", "dl",
    "h4", "br", "hr", "figure", "figcaption", "blockquote", "picture", "source", "aside",
)  # fmt: skip
assert set(_QUIET_INLINE) <= INLINE - CODE
assert not set(_QUIET_BLOCK) & (INLINE | CODE_OR_RAW | {"section", "html"})
_INLINE_TAG = rf"</?(?:{'|'.join(_QUIET_INLINE)}){_ATTRS}"
_BLOCK_TAG = rf"</?(?:{'|'.join(_QUIET_BLOCK)}){_ATTRS}"
# Text where no rule starts: a digit or a full stop only where the next character of the
# line (past inline tags) is no space or no second stop (see TRIGGER).
_QUIET_TEXT = (
    r"(?:[^<&\-–'\"«»;:!?.\d]++"
    rf"|\d++(?!(?:{_INLINE_TAG})*+[ \u00a0\u202f])"
    rf"|\.(?!(?:{_INLINE_TAG})*+\.))*+"
)
QUIET = re.compile(rf"(?:{_QUIET_TEXT}(?:{_INLINE_TAG}{_QUIET_TEXT})*+{_BLOCK_TAG})*")
NOTHING = re.compile("")  # in QUIET's place: no stretch is quiet, every tag is stepped through
LANG_ATTR = re.compile(r"""\slang\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""", re.I)
RAW_END = {name: re.compile(rf"</{name}\s*>", re.I) for name in RAW}


def typeset(page: str, memo: SectionMemo | None = None, pass_quiet: bool = True) -> str:
    """The page with locale typography applied to every text node a reader sees.

    `memo` carries sections typeset on earlier pages (see SectionMemo); the result is the
    same with it or without it, and with `pass_quiet` False (every tag stepped through, the
    reference the tests and benchmarks/typeset.py compare with)."""
    return _Typesetter(page, memo, QUIET if pass_quiet else NOTHING).run()


# The lang elements open (tags, languages, depths) where a section starts or ends.
LangState = tuple[tuple[str, ...], tuple[str, ...], tuple[int, ...]]
Changes = tuple[tuple[int, int, str], ...]
_Key = tuple[str, LangState]  # a section's text and the languages open where it starts
_Keeping = tuple[int, _Key, int, int]  # end, memo key, first change, start
LIMIT = 100_000  # entries a memo's set or dict holds before it starts over


class SectionMemo:
    """What typesetting gave for a `<section>` it met before, in the same language state.

    Every page of a language carries some sections unchanged (the footer's official
    websites: a quarter of a short page's tags), and typesetting steps through every tag.
    A section is the text from `<section` to the first `</section>`, with no section inside;
    its result depends on that text and the languages open where it starts, nothing else.
    It is kept the second time it is met, so a section that is not repeated costs a hash.
    """

    def __init__(self) -> None:
        self.seen: set[int] = set()
        self.done: dict[_Key, tuple[Changes, LangState]] = {}

    def look(
        self, page: str, start: int, state: LangState
    ) -> tuple[int, _Key, tuple[Changes, LangState] | None] | None:
        """For the section at `start`: its end, its key and what it gave (None: not yet,
        keep it this time); None when it is not kept at all."""
        end = page.find("</section>", start)
        if end < 0 or page.find("<section", start + 8, end) >= 0:
            return None
        end += len("</section>")
        key = (page[start:end], state)
        done = self.done.get(key)
        if done is not None:
            return end, key, done
        number = hash(key)
        if number in self.seen:
            return end, key, None
        if len(self.seen) > LIMIT:  # one-off sections of a very big site: start over
            self.seen.clear()
        self.seen.add(number)
        return None

    def keep(self, key: _Key, done: tuple[Changes, LangState]) -> None:
        if len(self.done) > LIMIT:  # serve's memo lives for hours of edits: start over
            self.done.clear()
        self.done[key] = done


class _Typesetter:
    """One pass over one page: the text between tags, grouped into runs of one line of text."""

    def __init__(
        self, page: str, memo: SectionMemo | None = None, quiet: re.Pattern[str] = QUIET
    ) -> None:
        self.page = page
        self.memo = memo
        self.quiet = quiet
        # what replaces which stretch of the page: (start, end, new text), in page order
        self.changes: list[tuple[int, int, str]] = []
        # the run being collected: (start and end in the page, or -1 for inline code; its text)
        self.run_nodes: list[tuple[int, int, str]] = []
        self.run_lang = ""
        # elements with a lang attribute, open now: tag, language, how many of that tag are open
        self.lang_tags: list[str] = []
        self.lang_codes: list[str] = []
        self.lang_depths: list[int] = []
        self.code_tag = ""
        self.code_depth = 0

    @property
    def lang(self) -> str:
        return self.lang_codes[-1] if self.lang_codes else ""

    def lang_state(self) -> LangState:
        return tuple(self.lang_tags), tuple(self.lang_codes), tuple(self.lang_depths)

    def set_lang_state(self, state: LangState) -> None:
        self.lang_tags[:], self.lang_codes[:], self.lang_depths[:] = state

    def run(self) -> str:
        # The loop runs once for every tag of every page (but inside a section the memo knows):
        # it keeps what it reads in locals.
        page = self.page
        run_nodes, lang_tags, flush, memo = self.run_nodes, self.lang_tags, self.flush, self.memo
        quiet = self.quiet.match
        at = 0
        keeping: _Keeping | None = None  # a section being typeset, to be kept in the memo
        while True:
            if keeping is not None and at >= keeping[0]:
                self.keep(keeping, at)
                keeping = None
            match = TAG.search(page, at)
            if match is None:
                break
            start, end = match.span()
            if start > at and not self.code_depth:
                if run_nodes or not page[at:start].isspace():
                    self.text(at, start)
            at = end
            closing, name, attrs = match.groups()
            if name is None:  # comment, doctype
                continue
            name = name.lower()
            if not self.code_depth and not (lang_tags and lang_tags[-1] == name):
                if closing or ("lang" not in attrs and name not in CODE_OR_RAW):
                    # the usual tag: no language to track, no code to enter
                    if run_nodes and name not in INLINE:
                        flush()
                    if name == "section":  # where a section the memo keeps starts or ends
                        if memo is not None and not closing and not keeping:
                            at, keeping = self.section(memo, start, at)
                    elif name not in INLINE and (not lang_tags or lang_tags[-1] == "html"):
                        stretch = quiet(page, at)  # matches, if only the empty string
                        at = stretch.end() if stretch else at
                    continue
            if not closing and name in RAW:
                flush()
                raw_end = RAW_END[name].search(page, at)
                at = raw_end.end() if raw_end is not None else len(page)
                continue
            self.tag(name, closing == "/", attrs.rstrip())
        if at < len(page):
            self.text(at, len(page))
        self.flush()
        if not self.changes:
            return page
        out: list[str] = []
        pos = 0
        for begin, stop, new in self.changes:
            out += (page[pos:begin], new)
            pos = stop
        out.append(page[pos:])
        return "".join(out)

    def section(self, memo: SectionMemo, start: int, at: int) -> tuple[int, _Keeping | None]:
        """At a `<section>` tag (start): past the section when the memo knows it, or where
        the scan goes on and what to keep when it ends."""
        found = memo.look(self.page, start, self.lang_state())
        if found is None:
            return at, None
        end, key, done = found
        if done is None:
            return at, (end, key, len(self.changes), start)
        changes, state = done
        self.changes += [(b + start, e + start, new) for b, e, new in changes]
        self.set_lang_state(state)
        return end, None

    def keep(self, keeping: _Keeping, at: int) -> None:
        """The section being kept ended at `at`: into the memo, if the scan stopped exactly
        at its end with no run or code open (else it was not what look() took it for)."""
        end, key, first, start = keeping
        if at == end and self.memo is not None and not self.run_nodes and not self.code_depth:
            changes = tuple((b - start, e - start, new) for b, e, new in self.changes[first:])
            self.memo.keep(key, (changes, self.lang_state()))

    def tag(self, name: str, closing: bool, attrs: str) -> None:
        if self.code_depth:
            if name == self.code_tag:
                self.code_depth += -1 if closing else 1
            return
        if name not in INLINE:
            self.flush()
        same = bool(self.lang_tags) and self.lang_tags[-1] == name
        if closing:
            if same:
                self.lang_depths[-1] -= 1
                if not self.lang_depths[-1]:
                    self.lang_tags.pop()
                    self.lang_codes.pop()
                    self.lang_depths.pop()
            return
        if name in VOID or attrs.endswith("/"):
            return
        if name in CODE:
            self.code_tag, self.code_depth = name, 1
            if name != "pre":
                self.run_nodes.append((-1, -1, INLINE_CODE))
            return
        lang = LANG_ATTR.search(attrs) if "lang" in attrs else None
        if lang is not None:
            self.lang_tags.append(name)
            self.lang_codes.append(base_language(lang[1] or lang[2] or lang[3] or ""))
            self.lang_depths.append(1)
        elif same:
            self.lang_depths[-1] += 1

    def text(self, start: int, end: int) -> None:
        if self.run_nodes and self.lang != self.run_lang:
            self.flush()
        if not self.run_nodes:
            self.run_lang = self.lang
        raw = self.page[start:end]
        self.run_nodes.append((start, end, html.unescape(raw) if "&" in raw else raw))

    def flush(self) -> None:
        if not self.run_nodes:
            return
        nodes = self.run_nodes[:]
        self.run_nodes.clear()
        if not self.run_lang:
            return  # lang="" (or none): the language is unknown, so is its typography
        text = "".join([t for _, _, t in nodes])
        if TRIGGER.search(text) is None:
            return
        edits = edit_text(text, self.run_lang)
        if not edits:
            return
        keys = sorted(edits)
        pos = i = 0
        for start, end, node in nodes:
            stop = pos + len(node)
            j = i
            while j < len(keys) and keys[j] < stop:
                j += 1
            if start >= 0 and j > i:
                parts: list[str] = []
                last = pos
                for k in keys[i:j]:
                    parts += (text[last:k], edits[k])
                    last = k + 1
                parts.append(text[last:stop])
                self.changes.append((start, end, html.escape("".join(parts), quote=False)))
            pos, i = stop, j
