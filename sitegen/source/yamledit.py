"""Small edits to YAML text that keep everything else as the editor wrote it.

`sitegen move` and `remove` change one list entry or add one; a round trip through a YAML
dumper would drop comments and reorder fields, so the text is edited at the positions the
parser reported.
"""

from __future__ import annotations

import re

from sitegen.source.yamlpos import YamlDoc, parse_yaml

PLAIN_END = re.compile(r"\s*(?:,|\]|\}|#|$)")


def _token(line: str, col: int) -> tuple[int, int]:
    """Start and end (0-based, end exclusive) of the scalar that starts at 1-based col."""
    start = col - 1
    if line[start : start + 1] in ("'", '"'):
        quote = line[start]
        end = line.find(quote, start + 1)
        return start + 1, (end if end >= 0 else len(line))
    end = start
    while end < len(line) and not PLAIN_END.match(line, end):
        end += 1
    return start, end


def replace_scalar(text: str, line: int, col: int, value: str) -> str:
    """The text with the scalar at (line, col) replaced by value, its quotes kept."""
    lines = text.split("\n")
    current = lines[line - 1]
    start, end = _token(current, col)
    lines[line - 1] = current[:start] + value + current[end:]
    return "\n".join(lines)


def remove_item(text: str, doc: YamlDoc, field: str, index: int) -> str:
    """The text without item `index` of the list under `field` (flow or block style)."""
    line, col = doc.pos(field, index)
    lines = text.split("\n")
    current = lines[line - 1]
    dash = current[: col - 1].rstrip()
    if dash.endswith("-") and not dash[:-1].strip():
        del lines[line - 1]  # a block item: '  - name' on its own line
        return "\n".join(lines)
    start, end = _token(current, col)
    if current[start - 1 : start] in ("'", '"'):
        start, end = start - 1, end + 1
    after = current[end:]
    before = current[:start]
    if after.lstrip().startswith(","):
        after = after.lstrip()[1:].lstrip()
    elif before.rstrip().endswith(","):
        before = before.rstrip()[:-1]
    lines[line - 1] = before + after
    return "\n".join(lines)


def append_item(text: str, field: str, value: str) -> str:
    """The text with value added to the list under top-level `field`, or the field added."""
    doc, _ = parse_yaml(text, "")
    data = doc.value if doc is not None and isinstance(doc.value, dict) else {}
    lines = text.split("\n")
    items = data.get(field)
    if field in data and isinstance(items, list) and doc is not None:
        line, col = doc.pos(field)
        current = lines[line - 1]
        if current[col - 1 : col] == "[":
            close = current.find("]", col)
            inside = current[col:close].strip() if close >= 0 else ""
            if close >= 0:
                joiner = ", " if inside else ""
                lines[line - 1] = current[:close].rstrip() + joiner + value + current[close:]
                if not inside:
                    lines[line - 1] = current[:col] + value + current[close:]
                return "\n".join(lines)
        elif items:
            last_line, _ = doc.pos(field, len(items) - 1)
            first_line, first_col = doc.pos(field, 0)
            prefix = lines[first_line - 1][: first_col - 1]
            lines.insert(last_line, prefix + value)
            return "\n".join(lines)
    if field in data and doc is not None:  # 'moved_from:' with nothing after it
        key_line, _ = doc.pos(field, "__key__")
        lines[key_line - 1] = f"{field}: [{value}]"
        return "\n".join(lines)
    body = text if text.endswith("\n") or not text else text + "\n"
    return body + f"{field}: [{value}]\n"
