"""YAML mistakes in an editor's words: one test per entry of the table in source/yamlerrors.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitegen.source.yamlerrors import TABLE, Key, explain
from tests.conftest import Run, write

DATA = "content/partners/imec/data.yaml"

# PyYAML's (problem, context) -> a data.yaml an editor could write, and where the mistake is.
EXAMPLES: dict[Key, tuple[str, str]] = {
    ("mapping values are not allowed in this context", None): (
        "website: https://www.imec-int.com\nfounded: Leuven: 1984\n",
        "2:16",
    ),
    ("did not find expected key", "while parsing a block mapping"): (
        "clusters:\n  - ict\n - life-sciences\n",
        "3:2",
    ),
    ("did not find expected '-' indicator", "while parsing a block collection"): (
        "sources:\n  - title: imec history\n    url: https://www.imec.be/\n  figures: ['1984']\n",
        "4:3",
    ),
    ("did not find expected ',' or ']'", "while parsing a flow sequence"): (
        "clusters: [ict, life-sciences\nfounded: '1984'\n",
        "2:8",
    ),
    ("did not find expected ',' or '}'", "while parsing a flow mapping"): (
        "founded: {1984\n",
        "2:1",
    ),
    ("did not find expected node content", "while parsing a flow node"): (
        "clusters: [ict,, life-sciences]\n",
        "1:16",
    ),
    ("found unexpected end of stream", "while scanning a quoted scalar"): (
        'founded: "1984\n',
        "2:1",
    ),
    ("found character that cannot start any token", "while scanning for the next token"): (
        "founded: @1984\n",
        "1:10",
    ),
    ("found unknown escape character", "while parsing a quoted scalar"): (
        'founded: "19\\q84"\n',
        "1:13",
    ),
    ("found invalid Unicode character escape code", "while parsing a quoted scalar"): (
        'founded: "\\ud800"\n',
        "1:13",
    ),
    ("did not find expected hexdecimal number", "while parsing a quoted scalar"): (
        'founded: "\\x"\n',
        "1:13",
    ),
    ("found a tab character that violates indentation", "while scanning a plain scalar"): (
        "founded: '1984'\n\twebsite: https://www.imec-int.com\n",
        "2:1",
    ),
    ("did not find expected alphabetic or numeric character", "while scanning an alias"): (
        "founded: * 1984\n",
        "1:11",
    ),
    ("did not find expected alphabetic or numeric character", "while scanning an anchor"): (
        "founded: & 1984\n",
        "1:11",
    ),
    ("found undefined alias", None): ("website: *nowhere\n", "1:10"),
    ("did not find expected <document start>", None): (
        "founded: '1984'\n...\nwebsite: https://www.imec-int.com\n",
        "3:1",
    ),
}


def test_every_table_entry_has_an_example() -> None:
    assert set(EXAMPLES) == set(TABLE)


@pytest.mark.parametrize("key", list(EXAMPLES), ids=[k[0][:40] for k in EXAMPLES])
def test_yaml_mistake_is_told_in_plain_words_at_its_position(
    run: Run, site: Path, key: Key
) -> None:
    text, where = EXAMPLES[key]
    write(site / DATA, text)
    code, _, err = run("check", "--site", site)
    assert code == 1
    message, hint = explain(*key, found=text.split("\n")[0][9:10], opened=1)
    head = f"{DATA}:{where}: error: "
    lines = err.splitlines()
    found = [i for i, line in enumerate(lines) if line.startswith(head)]
    assert found, err
    shown, hinted = lines[found[0]][len(head) :], lines[found[0] + 1]
    assert shown.split("{")[0][:30] == message.split("{")[0][:30], err
    assert hinted.startswith("  hint: " + hint[:20]), err
    assert "did not find" not in err and "while parsing" not in err and "scanning" not in err


def test_a_problem_outside_the_table_keeps_pyyaml_words_and_position() -> None:
    message, hint = explain("found something new", "while reading")
    assert message == "YAML cannot read this line (found something new)"
    assert hint.startswith("check the indentation")


def test_a_date_that_does_not_exist_gets_a_date_hint(run: Run, site: Path) -> None:
    write(site / "content/timeline/2016-merger/data.yaml", "date: 2024-13-01\n")
    code, _, err = run("check", "--site", site)
    assert code == 1
    assert "data.yaml:1:7: error: '2024-13-01' is not a date that exists" in err
    assert "hint: write a date that exists as year-month-day" in err
    assert "quotes" not in err


def test_a_yaml_tag_is_refused_in_plain_words(run: Run, site: Path) -> None:
    write(site / DATA, "founded: !!python/object 1984\n")
    code, _, err = run("check", "--site", site)
    assert code == 1 and f"{DATA}:1:10: error: a YAML tag ('!' or '!!') is not allowed" in err


def test_a_bracket_left_open_at_the_end_of_the_file_is_not_called_an_empty_item(
    run: Run, site: Path
) -> None:
    write(site / DATA, "founded: '1984'\nclusters: [\n")
    code, _, err = run("check", "--site", site)
    assert code == 1
    assert f"{DATA}:3:1: error: the file ends inside a list or group in brackets" in err, err
    assert "close it with ']'" in err
    assert "empty item" not in err
