"""Refuse to publish the placeholder text `sitegen new` wrote (schema/scaffold.py).

Checked where a page is rendered, because that is where its body is at hand; a draft is
never rendered by `build`, so only pages about to go live are judged.
"""

from __future__ import annotations

from sitegen.diagnostics import codes
from sitegen.diagnostics.diagnostic import Diagnostic, error
from sitegen.schema.scaffold import scaffold_body_lines, scaffold_fields
from sitegen.schema.validate import CheckedText

WHAT = {
    "title": ("the title is still the placeholder 'sitegen new' wrote", "write the real title"),
    "description": (
        "the description is still the placeholder 'sitegen new' wrote",
        "write one sentence that says what this page is about",
    ),
}


def scaffold_problems(path: str, text: CheckedText, body: str) -> list[Diagnostic]:
    """An error for each placeholder still in a text that is about to be published."""
    if text.draft:
        return []  # a preview in `serve` may show it; the build does not publish drafts
    slug = path.rpartition("/")[2]
    diags = []
    for name in scaffold_fields(slug, text.title, text.description):
        message, hint = WHAT[name]
        diags.append(
            error(
                text.src,
                *text.field_pos(name),
                message,
                hint + ", or put back 'draft: true' to keep the page unpublished",
                codes.SCAFFOLD_TEXT,
            )
        )
    for index in scaffold_body_lines(body):
        diags.append(
            error(
                text.src,
                text.body_line + index,
                1,
                "this line is still the placeholder text 'sitegen new' wrote",
                "replace it with the page text, or put back 'draft: true' to keep the page "
                "unpublished",
                codes.SCAFFOLD_TEXT,
            )
        )
    return diags
