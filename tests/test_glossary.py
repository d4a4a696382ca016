"""Each language's glossary keeps its rejected forms out of that language's pages.

`docs/glossary/<lang>.md` holds one table `| Concept | Write | Never write |`; every backticked
form in the last column must not occur in `content/**/<lang>.md`, matched case-sensitively as a
whole word. Link targets and written-out addresses are not text a reader sees and are skipped.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
GLOSSARY = REPO / "docs" / "glossary"
CONTENT = REPO / "content"
LANGS = ("en", "nl", "fr", "de")
HEADER = re.compile(r"^\|\s*Concept\s*\|\s*Write\s*\|\s*Never write\s*\|\s*$")
FORM = re.compile(r"`([^`]+)`")
# Not prose: link targets ](...) and addresses; blanked so columns and lines stay where they were.
NOT_PROSE = re.compile(r"\]\([^)\n]*\)|https?://\S+|<[a-z][^>\n]*>")


def cells(row: str) -> list[str]:
    return [c.strip() for c in row.strip().strip("|").split("|")]


def never_write(lang: str) -> list[str]:
    """The rejected forms of one glossary, in table order."""
    lines = (GLOSSARY / f"{lang}.md").read_text(encoding="utf-8").splitlines()
    starts = [i for i, line in enumerate(lines) if HEADER.match(line)]
    assert len(starts) == 1, (
        f"docs/glossary/{lang}.md: want one '| Concept | Write | Never write |'"
    )
    forms = []
    for row in lines[starts[0] + 2 :]:
        if not row.startswith("|"):
            break
        row_cells = cells(row)
        assert len(row_cells) == 3, f"docs/glossary/{lang}.md: a row needs 3 cells: {row}"
        forms += FORM.findall(row_cells[2])
    return forms


def pattern(form: str) -> re.Pattern[str]:
    return re.compile(r"(?<!\w)" + re.escape(form) + r"(?!\w)")


def hits(lang: str, forms: list[str]) -> list[str]:
    """file:line: form, for every rejected form in a page of this language."""
    patterns = [(form, pattern(form)) for form in forms]
    found = []
    for file in sorted(CONTENT.rglob(f"{lang}.md")):
        rel = file.relative_to(REPO).as_posix()
        text = file.read_text(encoding="utf-8")
        text = NOT_PROSE.sub(lambda m: " " * len(m[0]), text)
        for number, line in enumerate(text.splitlines(), 1):
            for form, rx in patterns:
                for m in rx.finditer(line):
                    found.append(f"{rel}:{number}:{m.start() + 1}: '{form}'")
    return found


@pytest.mark.parametrize("lang", LANGS)
def test_glossary_has_one_table_of_rejected_forms(lang: str) -> None:
    assert (GLOSSARY / f"{lang}.md").is_file(), f"add docs/glossary/{lang}.md"
    assert never_write(lang), f"docs/glossary/{lang}.md rejects no form"


@pytest.mark.parametrize("lang", LANGS)
def test_pages_avoid_the_rejected_forms_of_their_glossary(lang: str) -> None:
    found = hits(lang, never_write(lang))
    assert not found, f"forms docs/glossary/{lang}.md rejects:\n" + "\n".join(found)


def test_rejected_forms_are_matched_as_whole_words_and_with_case() -> None:
    rx = pattern("Note")
    assert rx.search("die Note sagt")
    assert not rx.search("die Notes, die Fußnote, die note")
    assert pattern("KU Leuven R&D").search("bei KU Leuven R&D.")
    assert not pattern("ICT").search("ICTs") and pattern("ICT").search("(ICT)")


def test_link_targets_are_not_checked() -> None:
    text = "see [the cluster](/clusters/mechatronics) and https://x.example/Mechatronics"
    assert "Mechatronics" not in NOT_PROSE.sub(lambda m: " " * len(m[0]), text)
