"""`sitegen new KIND SLUG`: a page folder with every language file and the kind's fields."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sitegen.diagnostics import codes
from sitegen.diagnostics.diagnostic import Diagnostic, error
from sitegen.schema.config import parse_config
from sitegen.schema.kinds import PAGE_KINDS, data_fields, front_matter_fields, suggest
from sitegen.schema.validate import SLUG
from sitegen.source.names import folder_problem
from sitegen.source.textfile import load_yaml_file

NEW_KINDS = tuple(k for k in PAGE_KINDS if k not in ("home", "section"))


def new_page(site: Path, kind: str, slug: str) -> tuple[list[str], list[Diagnostic]]:
    """Create the folder; refuse to touch one that exists. Returns created paths."""
    diags: list[Diagnostic] = []
    if kind not in NEW_KINDS:
        return [], [
            error(
                "sitegen new",
                1,
                1,
                f"unknown page kind '{kind}'",
                suggest(kind, NEW_KINDS, "use one of " + ", ".join(NEW_KINDS)),
                codes.UNKNOWN_KIND,
            )
        ]
    if not SLUG.match(slug):
        return [], [
            error(
                "sitegen new",
                1,
                1,
                f"'{slug}' is not a valid folder name",
                "use lower-case letters, digits and single hyphens, e.g. my-partner",
            )
        ]
    if (problem := folder_problem(slug)) is not None:  # e.g. 'con', which Windows cannot store
        return [], [error("sitegen new", 1, 1, *problem)]
    doc = load_yaml_file(site / "content" / "site.yaml", "content/site.yaml", diags)
    config, config_diags = parse_config(doc)
    if config is None:
        return [], diags + config_diags
    section = next((name for name, k in config.sections.items() if k == kind), "")
    folder = site / "content" / section / slug if section else site / "content" / slug
    rel = folder.relative_to(site).as_posix()
    if folder.exists():
        return [], [
            error(
                rel,
                1,
                1,
                "this folder exists already; nothing was changed",
                "choose another name, or edit the files that are there",
            )
        ]
    folder.mkdir(parents=True)
    created: list[str] = []
    title = slug.replace("-", " ").capitalize()
    for lang in config.codes:
        lines = [
            "---",
            f"title: {title}",
            f"description: {title}",
            "# keeps the page unpublished until you delete this line",
            "draft: true",
        ]
        for f in front_matter_fields():
            if f.name not in ("title", "description", "draft"):
                lines.append(f"# {f.name}: ({f.help})")
        lines += ["---", "", f"Write the {lang} text of this page here.", ""]
        (folder / f"{lang}.md").write_text("\n".join(lines), encoding="utf-8")
        created.append(f"{rel}/{lang}.md")
    data = [f"# Facts shared by every language of this {kind} page."]
    for f in data_fields(kind):
        value = dt.date.today().isoformat() if f.type == "date" else f.example
        data.append(f"# {f.help}" + (" (required)" if f.required else ""))
        data.append(f"{f.name}: {value}" if value else f"# {f.name}:")
    (folder / "data.yaml").write_text("\n".join(data) + "\n", encoding="utf-8")
    created.append(f"{rel}/data.yaml")
    return created, diags
