"""YAML through the safe C loader, keeping the line and column of every value.

Positions let every later stage point an editor at the exact line of a bad value.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import yaml

from sitegen.diagnostics import Diagnostic, error

Key = tuple[str | int, ...]
Position = tuple[int, int]

MAX_NODES = 50_000


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


def _explain(problem: str) -> str:
    """Say in plain words what the YAML parser's problem means for an editor."""
    if "mapping values are not allowed" in problem:
        return "a ': ' inside a value makes it look like a second field on the same line"
    if "'\\t'" in problem or "tab" in problem:
        return "a tab character is used for indentation"
    if "could not determine a constructor" in problem:
        return "a YAML tag ('!' or '!!') is not allowed here"
    if "found undefined alias" in problem:
        return "a value starts with '*', which YAML reads as a reference"
    return f"invalid YAML: {problem}"


def _hint_for(problem: str) -> str:
    if "'\\t'" in problem or "tab" in problem:
        return "indent with spaces, not tabs"
    if "could not determine a constructor" in problem:
        return "remove the '!' tag: only plain text, numbers, dates, lists and mappings are allowed"
    if "mapping values are not allowed" in problem:
        return 'put the whole value in double quotes: title: "Leuven: a knowledge region"'
    if "found undefined alias" in problem:
        return "remove the '*' or put the text in quotes"
    return "check the indentation and put text with special characters (: # @ `) in quotes"


def parse_yaml(
    text: str, path: str, line_offset: int = 0
) -> tuple[YamlDoc | None, list[Diagnostic]]:
    """Parse one YAML document; syntax problems come back as diagnostics."""
    loader = yaml.CSafeLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return YamlDoc(None, {(): (1 + line_offset, 1)}), []
        positions: dict[Key, Position] = {}
        if not _walk(node, (), positions, line_offset, [0]):
            line, col = node.start_mark.line + 1 + line_offset, node.start_mark.column + 1
            return None, [
                error(
                    path,
                    line,
                    col,
                    f"this YAML document has more than {MAX_NODES} values",
                    "remove repeated '*alias' references; write the values out",
                )
            ]
        value = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = (mark.line + 1 if mark else 1) + line_offset
        col = mark.column + 1 if mark else 1
        problem = exc.problem or exc.context or "invalid YAML"
        return None, [error(path, line, col, _explain(problem), _hint_for(problem))]
    except yaml.YAMLError as exc:
        return None, [error(path, 1 + line_offset, 1, f"invalid YAML: {exc}", _hint_for(str(exc)))]
    finally:
        loader.dispose()
    return YamlDoc(value, positions), []


def _walk(
    node: yaml.Node, key: Key, out: dict[Key, Position], offset: int, count: list[int]
) -> bool:
    count[0] += 1
    if count[0] > MAX_NODES:
        return False
    out[key] = (node.start_mark.line + 1 + offset, node.start_mark.column + 1)
    if isinstance(node, yaml.MappingNode):
        for k_node, v_node in node.value:
            name = k_node.value if isinstance(k_node, yaml.ScalarNode) else str(k_node.start_mark)
            if not _walk(v_node, key + (name,), out, offset, count):
                return False
            out[key + (name, "__key__")] = (
                k_node.start_mark.line + 1 + offset,
                k_node.start_mark.column + 1,
            )
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            if not _walk(item, key + (i,), out, offset, count):
                return False
    return True
