"""What locale typography changes in one run of text: the rules, per language.

render/typography.py finds the runs of a page (the text a reader sees, one line of it at a
time, in the language of its element); this module says what to put in place of which
character of one run.

Per language (see docs/typography.md for the choices and their reasons):

- every language: a space between digit groups ("185 000") becomes U+202F NARROW NO-BREAK
  SPACE, so is the space before "%"; dots and commas the writer chose stay; a hyphen or en dash
  between two capitalised words or two numbers ("Leuven–Genk", "2013-2018") is followed by
  U+2060 WORD JOINER, and so is a word-initial hyphen ("-technologie" after
  "Raumfahrtwissenschaft,"); a full stop after an abbreviation's own ("Inc.." or
  `<a>Inc.</a>.`) is dropped;
- en: “ ” and ‘ ’; nl: “ ” and ‘ ’ (Belgian Dutch print usage; „ ” is handwriting); de: „ “ and
  ‚ ‘; fr: « » for double quotes and “ ” for single ones; the apostrophe is ’ everywhere;
- fr: U+202F before ; ! ? and inside « », U+00A0 before : (not in 10:30, not in addresses).
"""

from __future__ import annotations

import re

NNBSP = "\u202f"  # narrow no-break space
NBSP = "\u00a0"
WJ = "\u2060"  # word joiner: no break here, and nothing visible
INLINE_CODE = "\ue000"  # stands for an inline <code> in the run: a word, never rewritten
MASK = "\ue001"  # stands for a character of an address written out in the text

# (open double, close double, open single, close single) per language
QUOTES = {
    "en": ("“", "”", "‘", "’"),
    "nl": ("“", "”", "‘", "’"),
    "de": ("„", "“", "‚", "‘"),
    "fr": ("«", "»", "“", "”"),
}
APOSTROPHE = "’"

WEB_ADDRESS = r"(?:https?://|www\.)[^\s<>\"“”«»]*[^\s<>\"“”«».,;:!?)\]]"
WEB = re.compile(WEB_ADDRESS)
# web and mail addresses: the mail half is a slow scan, only for runs with an "@"
ADDRESS = re.compile(WEB_ADDRESS + r"|[\w.+-]+@[\w-]+\.[\w.-]*\w")
# Each pattern below starts with the character it is about, so the scan jumps from one such
# character to the next (a pattern that starts with a look-behind is tried at every position).
# Anything this step may change: runs without one are left alone without further work.
TRIGGER = re.compile(
    r"[-–'\"«»;:!?.\d](?:(?<=[-–'\"«»;:!?])|(?<=\.)\.|(?<=\d)[ \u00a0\u202f][\d%])"
)
NUMBER = re.compile(r"(?<![\d.,])\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?!\d)")
DIGIT_SPACE = re.compile(r"\d[ \u00a0\u202f]\d")  # what every grouped number has
PERCENT = re.compile(r"[ \u00a0](?<=\d[ \u00a0])(?=%)")
JOINED = re.compile(r"[-–](?:(?<=\d[-–])(?=\d)|(?<=[^\W\d_][-–])(?=[A-ZÀ-ÖØ-Þ]))")
NAME_START = re.compile(r"[A-ZÀ-ÖØ-Þ0-9]")
LEADING_HYPHEN = re.compile(r"-(?<!\S-)(?=[^\W\d_])")  # after a space or at the start
DOUBLE_STOP = re.compile(r"\.\.(?<=[^\W\d_]\.\.)(?!\.)")
HIGH_PUNCT = re.compile(r"[;:!?]")
QUOTE = re.compile(r"['\"]")
GUILLEMET = re.compile("[«»]")

SPACES = frozenset(" \u00a0\u202f")
OPENING_CONTEXT = frozenset(" \t\n\r\f\u00a0\u202f([{“‘„‚«—–-/")
CLOSING_CONTEXT = frozenset(" \t\n\r\f\u00a0\u202f)]}.,;:!?…<”’“»")


def base_language(lang: str) -> str:
    """'fr' for 'fr', 'fr-BE' or 'fr_BE'."""
    return lang.replace("_", "-").split("-", 1)[0].lower()


def edit_text(text: str, lang: str) -> dict[int, str]:
    """What to put in place of each changed character of one run of text.

    Every change replaces one character with a string (empty to drop it), so the positions of
    the run's text nodes stay valid and each change lands in the node that holds its character.
    """
    if "@" in text:
        masked = ADDRESS.sub(_mask, text)
    elif "/" in text or "www." in text:
        masked = WEB.sub(_mask, text)
    else:
        masked = text
    edits: dict[int, str] = {}
    lang = base_language(lang)
    if ("'" in masked or '"' in masked) and lang in QUOTES:
        masked = _quotes(masked, lang, edits)
    if lang == "fr":
        _french_spacing(masked, edits)
    # Each rule below scans the whole run; the cheap substring tests skip the scans that
    # cannot match (most runs have no grouped number, no "%", no dash and no "..").
    if DIGIT_SPACE.search(masked) is not None:
        for m in NUMBER.finditer(masked):
            for k in range(m.start(), m.end()):
                if masked[k] in " \u00a0":
                    edits[k] = NNBSP
    if "%" in masked:
        for m in PERCENT.finditer(masked):
            edits[m.start()] = NNBSP
    if "-" in masked or "–" in masked:
        for m in JOINED.finditer(masked):
            k = m.start()
            if masked[k - 1].isdigit() or _capitalised_word_before(masked, k):
                edits[k] = edits.get(k, masked[k]) + WJ
        if "-" in masked:
            for m in LEADING_HYPHEN.finditer(masked):
                edits[m.start()] = "-" + WJ
    if ".." in masked:
        for m in DOUBLE_STOP.finditer(masked):
            edits[m.start() + 1] = ""
    return edits


def _mask(address: re.Match[str]) -> str:
    return MASK * len(address[0])


def _capitalised_word_before(text: str, k: int) -> bool:
    start = k
    while start > 0 and (text[start - 1].isalnum() or text[start - 1] in "-–"):
        start -= 1
    return bool(NAME_START.match(text, start))


def _quotes(text: str, lang: str, edits: dict[int, str]) -> str:
    """Curl straight quotes; returns the text with the new marks, for the rules after this."""
    open_double, close_double, open_single, close_single = QUOTES[lang]
    chars = list(text)
    open_doubles = open_singles = 0
    last = len(text) - 1
    for m in QUOTE.finditer(text):
        k = m.start()
        before = text[k - 1] if k > 0 else " "
        after = text[k + 1] if k < last else " "
        opens = before in OPENING_CONTEXT and after not in CLOSING_CONTEXT
        if m[0] == '"':
            if opens:
                new, open_doubles = open_double, open_doubles + 1
            elif open_doubles:
                new, open_doubles = close_double, open_doubles - 1
            else:
                continue  # a stray mark: leave it for the writer to see
        elif before.isalnum() and after.isalpha():
            new = APOSTROPHE  # it's, l'imec, Leuven's
        elif opens and re.match(r"(?:s|t|n)\b|\d\ds\b", text[k + 1 : k + 4]):
            new = APOSTROPHE  # 's-Hertogenbosch, 't, the '90s
        elif opens:
            new, open_singles = open_single, open_singles + 1
        elif open_singles and before not in " \t\n\r\f":
            new, open_singles = close_single, open_singles - 1
        elif before.isalnum():
            new = APOSTROPHE  # the partners' websites
        else:
            continue
        chars[k] = new
        edits[k] = new
    return "".join(chars)


def _french_spacing(text: str, edits: dict[int, str]) -> None:
    """Narrow no-break spaces before ; ! ? and inside « », a no-break space before :."""
    last = len(text) - 1
    for m in GUILLEMET.finditer(text):
        k, char = m.start(), m[0]
        if char == "«" and k < last:
            after = text[k + 1]
            if after in " \u00a0":
                edits[k + 1] = NNBSP
            elif after != NNBSP:
                edits[k] = edits.get(k, char) + NNBSP
        elif char == "»" and k > 0:
            before = text[k - 1]
            if before in " \u00a0":
                edits[k - 1] = NNBSP
            elif before != NNBSP:
                edits[k] = NNBSP + edits.get(k, char)
    for m in HIGH_PUNCT.finditer(text):
        mark, k = m[0], m.start()
        after = text[k + 1] if k < last else " "
        if not (after.isspace() or after in ")]»”’\"'<" or k == last):
            continue  # 10:30, a?b, addresses (masked already)
        space = NBSP if mark == ":" else NNBSP
        before = text[k - 1] if k > 0 else ""
        if before in SPACES:  # the space the writer typed: made the right one
            if before != space and k > 1:
                edits[k - 1] = space
            continue
        if before and (before.isalnum() or before in "»”’)]%\ue000\ue001"):
            edits[k] = space + mark
