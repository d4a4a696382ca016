"""YAML through the safe C loader, keeping the line and column of every value.

Positions let every later stage point an editor at the exact line of a bad value. The limits
below keep a hostile document (aliases that expand a billion times, deep nesting, huge numbers)
from costing unbounded time or memory: each one ends in a message instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import yaml

from sitegen.diagnostics.diagnostic import Diagnostic, error
from sitegen.source.yamlerrors import TAB, explain

Key = tuple[str | int, ...]
Position = tuple[int, int]

MAX_NODES = 50_000
MAX_DEPTH = 20
MAX_TEXT_CHARS = 1_000_000
MAX_INT_BITS = 100  # about 30 digits; any longer number in content is a typing mistake
# Characters that are invisible, break YAML's idea of a line, or cannot appear in HTML and XML.
BAD_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff]")


@dataclass(slots=True)
class YamlDoc:
    """A parsed YAML document with the position of each value by key path."""

    value: object
    positions: dict[Key, Position] = field(default_factory=dict)

    def pos(self, *key: str | int) -> Position:
        """Position of the value at key, or of the closest enclosing value."""
        k: Key = tuple(key)
        while k:
            if k in self.positions:
                return self.positions[k]
            k = k[:-1]
        return self.positions.get((), (1, 1))


def shorten(value: object, limit: int = 60) -> str:
    """A value as text for a message, cut short so a huge value cannot flood the terminal."""
    text = value if isinstance(value, str) else repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def char_name(char: str) -> str:
    return f"U+{ord(char):04X}"


class _ValueProblem(yaml.YAMLError):
    """A value YAML can parse but not build (a date that does not exist, a tag, a huge number),
    with the editor's message and hint already worded."""

    def __init__(self, mark: yaml.Mark, message: str, hint: str) -> None:
        super().__init__(message)
        self.mark, self.message, self.hint = mark, message, hint


TIMESTAMP = "tag:yaml.org,2002:timestamp"
DATE_HINT = "write a date that exists as year-month-day, e.g. 2024-12-01 (months 01 to 12)"
NUMBER_HINT = "put the value in double quotes if it is text, or correct the number"


class _Loader(yaml.CSafeLoader):
    """The safe C loader, turning Python errors while building a value into worded problems."""

    def construct_object(self, node: yaml.Node, deep: bool = False) -> object:
        if node.tag not in self.yaml_constructors and not any(
            prefix is not None and node.tag.startswith(prefix)
            for prefix in self.yaml_multi_constructors
        ):
            raise _ValueProblem(
                node.start_mark,
                "a YAML tag ('!' or '!!') is not allowed here",
                "remove the '!' tag: only plain text, numbers, dates, lists and mappings are "
                "allowed",
            )
        try:
            value = super().construct_object(node, deep=deep)
        except (ValueError, OverflowError) as exc:  # e.g. date 2001-13-45, a 5000-digit number
            if node.tag == TIMESTAMP:
                message = f"'{shorten(node.value)}' is not a date that exists"
                raise _ValueProblem(node.start_mark, message, DATE_HINT) from exc
            message = (
                f"the number '{shorten(node.value)}' is too long"
                if len(str(node.value)) > 30
                else f"'{shorten(node.value)}' cannot be read as a value"
            )
            raise _ValueProblem(node.start_mark, message, NUMBER_HINT) from exc
        if isinstance(value, int) and value.bit_length() > MAX_INT_BITS:
            message = f"the number '{shorten(node.value)}' is too long"
            raise _ValueProblem(node.start_mark, message, NUMBER_HINT)
        return value


def load_plain(text: str) -> object:
    """A small YAML value (a field's example, one front-matter line) with the C safe loader,
    as everything sitegen reads; raises yaml.YAMLError like yaml.safe_load."""
    return yaml.load(text, Loader=yaml.CSafeLoader)  # noqa: S506 - the C *safe* loader


def _position(text: str, index: int, line_offset: int) -> Position:
    line = text.count("\n", 0, index) + 1 + line_offset
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def parse_yaml(
    text: str, path: str, line_offset: int = 0
) -> tuple[YamlDoc | None, list[Diagnostic]]:
    """Parse one YAML document; syntax problems and exceeded limits come back as diagnostics."""
    bad = BAD_CHARS.search(text)
    if bad:
        line, col = _position(text, bad.start(), line_offset)
        return None, [
            error(
                path,
                line,
                col,
                f"the text contains the invisible character {char_name(bad.group())}",
                "delete it: retype the line (it often comes with text pasted from elsewhere)",
            )
        ]
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return YamlDoc(None, {(): (1 + line_offset, 1)}), []
        positions: dict[Key, Position] = {}
        walk = _Walk(positions, line_offset)
        problem = walk.node(node, (), 0)
        if problem is not None:
            return None, [error(path, *problem)]
        value = loader.construct_document(node)
    except _ValueProblem as exc:
        line, col = exc.mark.line + 1 + line_offset, exc.mark.column + 1
        return None, [error(path, line, col, exc.message, exc.hint)]
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = (mark.line + 1 if mark else 1) + line_offset
        col = mark.column + 1 if mark else 1
        found = text[mark.index : mark.index + 1] if mark else ""
        key = (exc.problem, exc.context) if found != "\t" else TAB
        opened = exc.context_mark.line + 1 + line_offset if exc.context_mark else line
        message, hint = explain(*key, found=found, opened=opened)
        return None, [error(path, line, col, message, hint)]
    except yaml.reader.ReaderError as exc:
        line, col = _position(text, min(exc.position, len(text)), line_offset)
        message, hint = explain(str(exc.reason), None)
        return None, [error(path, line, col, message, hint)]
    except yaml.YAMLError as exc:
        message, hint = explain(str(exc).split("\n", 1)[0], None)
        return None, [error(path, 1 + line_offset, 1, message, hint)]
    finally:
        loader.dispose()
    return YamlDoc(value, positions), []


class _Walk:
    """Record positions while counting what the document expands to, aliases included."""

    def __init__(self, out: dict[Key, Position], offset: int) -> None:
        self.out, self.offset = out, offset
        self.nodes = 0
        self.chars = 0

    def _where(self, node: yaml.Node) -> Position:
        return node.start_mark.line + 1 + self.offset, node.start_mark.column + 1

    def node(self, node: yaml.Node, key: Key, depth: int) -> tuple[int, int, str, str] | None:
        """None when fine, else (line, col, message, hint) for the first exceeded limit."""
        self.nodes += 1
        where = self._where(node)
        if self.nodes > MAX_NODES:
            return (
                *where,
                f"this YAML document has more than {MAX_NODES} values",
                "remove repeated '*alias' references; write the values out",
            )
        if depth > MAX_DEPTH:
            return (
                *where,
                f"values are nested more than {MAX_DEPTH} levels deep",
                "write the values as a flat list of 'field: value' lines",
            )
        self.out[key] = where
        if isinstance(node, yaml.ScalarNode):
            return self._scalar(node, where)
        if isinstance(node, yaml.MappingNode):
            names: set[str] = set()
            for k_node, v_node in node.value:
                scalar = isinstance(k_node, yaml.ScalarNode)
                name = k_node.value if scalar else str(k_node.start_mark)
                if name in names and name != "<<":
                    return (
                        *self._where(k_node),
                        f"'{shorten(name)}' is written twice; only the last one would count",
                        "remove one of the two lines",
                    )
                names.add(name)
                found = self.node(v_node, key + (name,), depth + 1)
                if found is not None:
                    return found
                self.out[key + (name, "__key__")] = self._where(k_node)
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                found = self.node(item, key + (i,), depth + 1)
                if found is not None:
                    return found
        return None

    def _scalar(self, node: yaml.ScalarNode, where: Position) -> tuple[int, int, str, str] | None:
        value = str(node.value)
        self.chars += len(value)
        if self.chars > MAX_TEXT_CHARS:
            return (
                *where,
                f"this YAML document expands to more than {MAX_TEXT_CHARS} characters of text",
                "remove repeated '*alias' references; write the values out",
            )
        bad = BAD_CHARS.search(value)
        if bad:
            return (
                *where,
                f"the value contains the invisible character {char_name(bad.group())}, "
                "written as an escape",
                "remove the '\\x', '\\u' or '\\0' escape from the quoted text",
            )
        return None
