"""Split a Markdown file into its YAML front matter and its body."""

from __future__ import annotations

from sitegen.diagnostics.diagnostic import Diagnostic, error
from sitegen.source.yamlpos import YamlDoc, parse_yaml

FENCE = "---"


def split_front_matter(text: str, path: str) -> tuple[YamlDoc | None, str, int, list[Diagnostic]]:
    """Return (front matter, body, line number where the body starts, diagnostics)."""
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != FENCE:
        return (
            None,
            text,
            1,
            [
                error(
                    path,
                    1,
                    1,
                    "the file does not start with front matter",
                    "begin the file with a line '---', then 'title: ...', then another '---' line",
                )
            ],
        )
    for index in range(1, len(lines)):
        if lines[index].rstrip() in (FENCE, "..."):
            yaml_text = "\n".join(lines[1:index])
            body = "\n".join(lines[index + 1 :])
            doc, diagnostics = parse_yaml(yaml_text, path, line_offset=1)
            if doc is not None and doc.value is None:
                doc.value = {}
            if doc is not None and not isinstance(doc.value, dict):
                line, col = doc.pos()
                return (
                    None,
                    body,
                    index + 2,
                    [
                        error(
                            path,
                            line,
                            col,
                            "front matter must be a list of 'field: value' lines",
                            "write each field as 'name: value' on its own line",
                        )
                    ],
                )
            return doc, body, index + 2, diagnostics
    return (
        None,
        "",
        len(lines),
        [
            error(
                path,
                1,
                1,
                "the front matter block is not closed",
                "add a line with only '---' after the last front matter field",
            )
        ],
    )
