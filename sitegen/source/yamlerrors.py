"""YAML syntax errors in an editor's words: what is wrong at that line, and what to type.

PyYAML reports its problems only as English text (`problem`, and `context`: what it was reading
at the time). This table is the one place in sitegen where such text is matched, exactly; every
entry has a test that makes PyYAML produce it (tests/test_yaml_errors.py). A problem that is
not in the table is still reported, with PyYAML's words, at its position.

Messages may use {found} (the character at the position) and {opened} (the line where the
unfinished thing began).
"""

from __future__ import annotations

Key = tuple[str, str | None]

MAPPING = "while parsing a block mapping"
COLLECTION = "while parsing a block collection"

TABLE: dict[Key, tuple[str, str]] = {
    ("mapping values are not allowed in this context", None): (
        "a ':' here cannot start a field: either this line is indented more than the field "
        "above it, or the value itself contains ': '",
        "start each field at the same column as the others; if the value contains ': ', put "
        'the whole value in double quotes: title: "Leuven: a knowledge region"',
    ),
    ("did not find expected key", MAPPING): (
        "this line does not line up with the fields above it (or there is text after a closing "
        "quote)",
        "start the field at the same column as the fields above it, or put the whole value in "
        'quotes: title: "\\"Leuven\\" in the news"',
    ),
    ("did not find expected '-' indicator", COLLECTION): (
        "this line is inside a list but does not start with '-'",
        "indent it further to belong to the list item above (e.g. under '- title: ...'), or "
        "start it with '- ' to add an item",
    ),
    ("did not find expected ',' or ']'", "while parsing a flow sequence"): (
        "the list that starts with '[' on line {opened} is not closed",
        "close it with ']' on the same line: clusters: [ict, life-sciences]",
    ),
    ("did not find expected ',' or '}'", "while parsing a flow mapping"): (
        "the '{{' on line {opened} is not closed",
        "close it with '}}', or put the value in double quotes if the '{{' is part of the text",
    ),
    ("did not find expected node content", "while parsing a flow node"): (
        "a list in brackets has an empty item here (two commas in a row, or a comma before ']')",
        "remove the extra comma: clusters: [ict, life-sciences]",
    ),
    ("found unexpected end of stream", "while scanning a quoted scalar"): (
        "the quote opened on line {opened} is never closed",
        "add the closing quote at the end of the value, the same kind as the opening one",
    ),
    ("found character that cannot start any token", "while scanning for the next token"): (
        "a value cannot start with '{found}' unless it is in quotes",
        'put the whole value in double quotes: "{found}..."',
    ),
    ("found unknown escape character", "while parsing a quoted scalar"): (
        "a backslash inside double quotes starts a special character, and this one is not one",
        "write the backslash twice (\\\\), or use single quotes around the value instead",
    ),
    ("found invalid Unicode character escape code", "while parsing a quoted scalar"): (
        "a '\\u' escape here names half of a character pair (\\ud800-\\udfff), not a character",
        "type the character itself (for example paste the emoji) instead of the escape",
    ),
    ("did not find expected hexdecimal number", "while parsing a quoted scalar"): (
        "a '\\x' or '\\u' inside double quotes must be followed by a character code",
        "write the backslash twice (\\\\), or use single quotes around the value instead",
    ),
    ("found a tab character that violates indentation", "while scanning a plain scalar"): (
        "a tab character is used for indentation",
        "indent with spaces, not tabs",
    ),
    ("did not find expected alphabetic or numeric character", "while scanning an alias"): (
        "a value that starts with '*' is read as a reference to another value",
        'put the whole value in double quotes: "*..."',
    ),
    ("did not find expected alphabetic or numeric character", "while scanning an anchor"): (
        "a value that starts with '&' is read as a name for the value",
        'put the whole value in double quotes: "&..."',
    ),
    ("found undefined alias", None): (
        "a value starts with '*', which YAML reads as a reference to another value",
        "remove the '*' or put the text in quotes",
    ),
    ("did not find expected <document start>", None): (
        "there is text after the end of the document",
        "remove the '...' or '---' line above it, or the text after it",
    ),
}

TAB = ("found a tab character that violates indentation", "while scanning a plain scalar")
# The same problem at the very end of the file is a bracket never closed, not an empty item.
AT_END: dict[Key, tuple[str, str]] = {
    ("did not find expected node content", "while parsing a flow node"): (
        "the file ends inside a list or group in brackets: a '[' or '{{' above is not closed",
        "close it with ']' (or '}}') on the same line: clusters: [ict, life-sciences]",
    ),
}


def explain(
    problem: str | None, context: str | None, found: str = "", opened: int = 0
) -> tuple[str, str]:
    """The editor's message and hint for a PyYAML problem (its own words when not in the table).

    `found` is the character at the problem ("" at the end of the file)."""
    key = ((problem or "").strip(), (context or "").strip() or None)
    entry = (not found and AT_END.get(key)) or TABLE.get(key)
    if entry is None:
        text = key[0] or key[1] or "invalid YAML"
        return (
            f"YAML cannot read this line ({text})",
            "check the indentation and put text with special characters (: # @ `) in quotes",
        )
    message, hint = entry
    shown = found if found.strip() else "this character"
    return message.format(found=shown, opened=opened), hint.format(found=shown, opened=opened)
