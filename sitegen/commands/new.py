"""`sitegen new SECTION SLUG`: a page folder with every language file and the section's fields.

Editors name the section as they see it in content/ (`timeline`, `partners`); the kind behind
it (`news`, `partner`) is accepted too. What `new` writes as placeholder is recognised by the
build (schema/scaffold.py), so an unfinished page cannot be published by accident.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from sitegen.diagnostics import codes
from sitegen.diagnostics.diagnostic import Diagnostic, error
from sitegen.schema.config import SiteConfig, parse_config
from sitegen.schema.kinds import PAGE_KINDS, PageKind, data_fields, front_matter_fields, suggest
from sitegen.schema.scaffold import BODY, DESCRIPTION, placeholder_title
from sitegen.schema.validate import SLUG
from sitegen.source.names import folder_problem
from sitegen.source.textfile import load_yaml_file

NEW_KINDS = tuple(k for k in PAGE_KINDS if k not in ("home", "section"))
UNSORTED_WEIGHT = 1000  # what lists assume for a page without 'weight' (model/build.py)
WEIGHT_STEP = 10


def section_names(config: SiteConfig) -> list[str]:
    """The names an editor can give `new`: the section folders, then 'page' for the rest."""
    return [*config.sections, "page"]


def find_section(config: SiteConfig, word: str) -> tuple[str, PageKind] | None:
    """The section folder ('' for a top-level page) and kind that `word` names."""
    if word in config.sections:
        return word, config.sections[word]
    if word == "page":
        return "", "page"
    for section, kind in config.sections.items():
        if kind == word:
            return section, kind
    return None


def last_weight(section: Path) -> int:
    """A weight that sorts after every page already in the section."""
    weights = []
    for folder in sorted(p for p in section.iterdir() if p.is_dir()) if section.is_dir() else []:
        data = folder / "data.yaml"
        doc = load_yaml_file(data, str(data), []) if data.is_file() else None
        value = doc.value.get("weight") if doc is not None and isinstance(doc.value, dict) else None
        ok = isinstance(value, int) and not isinstance(value, bool)
        weights.append(value if ok and isinstance(value, int) else UNSORTED_WEIGHT)
    return max(weights, default=0) + WEIGHT_STEP


def _quoted(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def new_page(
    site: Path, section_word: str, slug: str, title: str | None = None
) -> tuple[list[str], list[Diagnostic]]:
    """Create the folder; refuse to touch one that exists. Returns created paths."""
    diags: list[Diagnostic] = []
    doc = load_yaml_file(site / "content" / "site.yaml", "content/site.yaml", diags)
    config, config_diags = parse_config(doc)
    if config is None:
        return [], diags + config_diags
    found = find_section(config, section_word)
    if found is None:
        names = section_names(config)
        return [], [
            error(
                "sitegen new",
                1,
                1,
                f"there is no section '{section_word}'",
                suggest(section_word, names, "use one of " + ", ".join(names)),
                codes.UNKNOWN_KIND,
            )
        ]
    section, kind = found
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
    parent = site / "content" / section if section else site / "content"
    folder = parent / slug
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
    weight = last_weight(parent) if section else 0
    folder.mkdir(parents=True)
    created: list[str] = []
    shown_title = title.strip() if title and title.strip() else placeholder_title(slug)
    for lang in config.codes:
        lines = [
            "---",
            f"title: {_quoted(shown_title)}",
            f"description: {_quoted(DESCRIPTION)}",
            "# keeps the page unpublished until you delete this line",
            "draft: true",
        ]
        for f in front_matter_fields():
            if f.name not in ("title", "description", "draft"):
                lines.append(f"# {f.name}: ({f.help})")
        lines += ["---", "", BODY.format(lang=lang), ""]
        (folder / f"{lang}.md").write_text("\n".join(lines), encoding="utf-8")
        created.append(f"{rel}/{lang}.md")
    shown = section or kind
    data = [f"# Facts shared by every language of this {shown} page."]
    for f in data_fields(kind):
        if f.name == "moved_from":
            continue  # written by `sitegen move`, not by hand
        value = f.example
        if f.type == "date":
            value = dt.date.today().isoformat()
        elif f.name == "weight":
            if not section:
                continue
            value = str(weight)
        data.append(f"# {f.help}" + (" (required)" if f.required else ""))
        data.append(f"{f.name}: {value}" if value else f"# {f.name}:")
    (folder / "data.yaml").write_text("\n".join(data) + "\n", encoding="utf-8")
    created.append(f"{rel}/data.yaml")
    return created, diags
