"""Every up-to-date translation carries the English page's figures and links to other pages.

A translation that `sitegen status` counts as stale (the English changed after it) is status's
business, not a failure here: the test asks the command line, so it keeps working whichever way
status decides staleness.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from functools import cache

import pytest

from sitegen.model.links import find_links, link_path
from sitegen.model.site import Site
from sitegen.pipeline import load_site
from tests.test_content import NUMBER, REPO, prose

TRANSLATIONS = ("nl", "fr", "de")
UP_TO_DATE = "present"


@cache
def site() -> Site:
    loaded, _, diagnostics = load_site(REPO)
    assert loaded is not None, [d.format() for d in diagnostics]
    return loaded


@cache
def states() -> dict[tuple[str, str], str]:
    """(page path, language) -> the state `sitegen status --format json` gives it."""
    done = subprocess.run(
        [sys.executable, "-m", "sitegen", "status", "--format", "json", "--site", str(REPO)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.stdout, done.stderr
    report = json.loads(done.stdout)
    return {
        (page["path"], lang): entry["state"]
        for page in report["pages"]
        for lang, entry in page["languages"].items()
    }


# Decades and the French first of the month carry their number (the 1970s, die 1970er, le 1er
# janvier = 1 January). Other ordinals are left out: one language writes 100th, another centième.
SUFFIXED = re.compile(r"(?<![\w.,])(\d+)(?:s|er|re)\b")


def figures(markdown: str) -> set[str]:
    """The numbers a reader sees, 9,981 / 9.981 / 9 981 / 9\u202f981 all as 9981."""
    text = prose(markdown)
    found = NUMBER.findall(text) + SUFFIXED.findall(text)
    return {re.sub(r"[.,\s\u202f\u00a0]", "", n) for n in found}


def links(path: str, lang: str) -> set[str]:
    """The pages and page files the body links to, as content paths ('/partners/imec')."""
    version = site().versions[(path, lang)]
    found = set()
    for ref in find_links(version.text):
        resolved = None if ref.image else link_path(path, ref.target)
        if resolved is not None and resolved[0] != path:
            found.add("/" + resolved[0])
    return found


def differences(path: str, lang: str) -> list[str]:
    english = site().versions[(path, site().config.default_language)]
    version = site().versions[(path, lang)]
    problems = []
    for what, ours, theirs in (
        ("figures", figures(version.text.body.read()), figures(english.text.body.read())),
        ("links", links(path, lang), links(path, english.lang)),
    ):
        if theirs - ours:
            problems.append(f"{what} missing: {', '.join(sorted(theirs - ours))}")
        if ours - theirs:
            problems.append(f"{what} not in English: {', '.join(sorted(ours - theirs))}")
    return [f"{version.text.src}: {p}" for p in problems]


def test_status_reports_every_translation() -> None:
    assert states(), "sitegen status --format json listed no page"
    for (path, lang), state in states().items():
        assert state in ("source", "present", "stale", "missing"), (path, lang, state)


@pytest.mark.parametrize("lang", TRANSLATIONS)
def test_up_to_date_translation_has_the_english_figures_and_links(lang: str) -> None:
    checked = [
        path
        for (path, code), state in states().items()
        if code == lang and state == UP_TO_DATE and (path, lang) in site().versions
    ]
    if not checked:
        pytest.skip(f"sitegen status counts no {lang} translation as up to date")
    problems = [p for path in sorted(checked) for p in differences(path, lang)]
    assert not problems, f"{len(problems)} differences from English:\n" + "\n".join(problems)


def test_figures_are_the_same_however_the_digits_are_grouped() -> None:
    written = "9,981 and 9.981 and 9 981 and 9\u202f981 and 9\u00a0981 in 2013–2018"
    assert figures(written) == {"9981", "2013", "2018"}


def test_ordinals_and_decades_count_as_their_number() -> None:
    assert figures("on 1 January, in the 1970s") == figures("le 1er janvier, dans les années 1970")
    assert figures("die 1970er Jahre, am 1. Januar") == {"1970", "1"}
    assert figures("its 100th spin-off") == figures("sa centième spin-off") == set()


def test_a_stale_translation_is_not_compared() -> None:
    stale = {key for key, state in states().items() if state == "stale"}
    # whatever status counts as stale is left out of the comparison above
    assert all(state != UP_TO_DATE for key, state in states().items() if key in stale)
