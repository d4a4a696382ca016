"""JSON Schemas of the content files, for editors that complete and check YAML while typing.

Generated from the same tables validation reads (kinds.py, config.py), so an editor's hover help
is the help text of `sitegen check`. Draft-07: the newest draft the VS Code YAML extension
(redhat.vscode-yaml, through yaml-language-server) fully supports. `sitegen check` stays the
guard; these schemas only bring its rules to the keyboard, where a JSON Schema can say them.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass

from sitegen.schema.config import KNOWN_FIELDS, LANG_CODE, SiteConfig
from sitegen.schema.figures import FIELDS as FIGURE_FIELDS
from sitegen.schema.kinds import (
    DIAGRAMS,
    PAGE_KINDS,
    Field,
    PageKind,
    data_fields,
    front_matter_fields,
)
from sitegen.schema.validate import SLUG, TEMPLATE_NAME
from sitegen.source.yamlpos import load_plain

DRAFT = "http://json-schema.org/draft-07/schema#"
Schema = dict[str, object]

# The patterns sitegen's checks apply, in the regex dialect JSON Schema and Python share.
URL = r"^https?://[^\s/$.?#][^\s]*$"
CONTENT_PATH = r"^[a-z0-9]+(?:-[a-z0-9]+)*(?:/[a-z0-9]+(?:-[a-z0-9]+)*)*$"
FILE_NAME = r"^[^./][^/]*$"
DATE = r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$"
YEAR = r"^\d{4}$"
NOT_BLANK = r"\S"


@dataclass(frozen=True, slots=True)
class SchemaFile:
    """One generated schema: its file name under schemas/ and the content globs it covers."""

    name: str
    schema: Schema
    globs: tuple[str, ...]


QUOTED = re.compile(r"(?<!\w)'([^']+)'(?!\w)")


def _described(schema: Schema, help_text: str) -> Schema:
    """Plain help for hover in any editor; VS Code shows 'quoted' examples as code."""
    markdown = QUOTED.sub(r"`\1`", help_text)
    return {"description": help_text, "markdownDescription": markdown, **schema}


def _url(help_text: str) -> Schema:
    return _described({"type": "string", "pattern": URL}, help_text)


def _sources() -> Schema:
    source: Schema = {
        "type": "object",
        "required": ["title", "url"],
        "additionalProperties": False,
        "properties": {
            "title": _described({"type": "string", "pattern": NOT_BLANK}, "the source's own title"),
            "url": _url("the source's address, starting with https://"),
            "figures": _described(
                {"type": "array", "items": {"type": ["string", "number"]}},
                "the numbers and years on the page that this source confirms",
            ),
        },
    }
    return {"type": "array", "items": source}


def _figures(languages: tuple[str, ...]) -> Schema:
    text = {"type": "string", "pattern": NOT_BLANK}
    figure: Schema = {
        "type": "object",
        "required": list(FIGURE_FIELDS),
        "additionalProperties": False,
        "properties": {
            "value": _described(
                {"type": "number"}, "the number, digits only, without separators or units"
            ),
            "label": _described(
                {
                    "type": "object",
                    "required": list(languages),
                    "properties": {lang: text for lang in languages},
                },
                "what the number counts, in every language of the site",
            ),
            "year": _described(
                {"type": ["string", "integer"], "pattern": YEAR, "minimum": 1000, "maximum": 9999},
                "the year the figure was measured or published",
            ),
            "source": _described(
                {
                    "type": "object",
                    "required": ["title", "url"],
                    "properties": {
                        "title": {"type": "string", "pattern": NOT_BLANK},
                        "url": _url("the document's address, starting with https://"),
                    },
                },
                "the document the figure comes from: {title: ..., url: https://...}",
            ),
        },
    }
    return {"type": "array", "items": figure}


def field_schema(f: Field, languages: tuple[str, ...]) -> Schema:
    """The JSON Schema of one field's value, as FieldChecker.value accepts it."""
    schema: Schema
    if f.type == "text":
        schema = {"type": ["string", "number"], "pattern": NOT_BLANK}
    elif f.type == "int":
        schema = {"type": "integer"}
    elif f.type == "bool":
        schema = {"type": "boolean"}
    elif f.type == "year":
        schema = {"type": ["string", "integer"], "pattern": NOT_BLANK}
    elif f.type == "url":
        schema = {"type": "string", "pattern": URL}
    elif f.type == "file":
        schema = {"type": "string", "pattern": FILE_NAME}
    elif f.type == "date":
        schema = {"type": ["string", "integer"], "pattern": DATE}
    elif f.type == "refs":
        schema = {"type": "array", "items": {"type": "string"}}
    elif f.type == "paths":
        schema = {"type": "array", "items": {"type": "string", "pattern": CONTENT_PATH}}
    elif f.type == "sources":
        schema = _sources()
    else:
        schema = _figures(languages)
    if f.name == "diagram":
        schema = {"type": "string", "enum": list(DIAGRAMS)}
    elif f.name == "slug":
        schema = {"type": "string", "pattern": SLUG.pattern}
    elif f.name == "template":
        schema = {"type": "string", "pattern": TEMPLATE_NAME.pattern}
    if not f.required:
        # an empty value ('website:') counts as left out, as in sitegen check
        kinds = schema["type"]
        schema["type"] = [*kinds, "null"] if isinstance(kinds, list) else [kinds, "null"]
    help_text = f.help + (" (required)" if f.required else "")
    if f.example:
        example = load_plain(f.example)
        # a date stays text: the editor's YAML (1.2) has no date type
        schema["examples"] = [f.example if isinstance(example, dt.date) else example]
    return _described(schema, help_text)


def _mapping(
    title: str, fields: tuple[Field, ...], languages: tuple[str, ...], closed: bool = True
) -> Schema:
    return {
        "$schema": DRAFT,
        "title": title,
        "description": title,
        "type": "object",
        "required": [f.name for f in fields if f.required],
        # sitegen refuses fields it does not know; only a schema whose globs may also reach
        # other kinds' files (see any_data_schema) stays open
        "additionalProperties": not closed,
        "properties": {f.name: field_schema(f, languages) for f in fields},
    }


def front_matter_schema(languages: tuple[str, ...]) -> Schema:
    """Every kind takes the same front matter (kinds.py), so one schema covers them all."""
    return _mapping(
        "Front matter of a page text (en.md, nl.md, ...): the same for every kind of page",
        front_matter_fields(),
        languages,
    )


def data_schema(kind: PageKind, languages: tuple[str, ...]) -> Schema:
    return _mapping(f"data.yaml of a {kind} page", data_fields(kind), languages)


def any_data_schema(languages: tuple[str, ...]) -> Schema:
    """The fields every data.yaml takes, open to others.

    The YAML extension matches a glob's '*' across folders too, so 'content/*/data.yaml'
    reaches partner and timeline pages; a closed schema there would reject their own fields.
    Pages outside the sections get help and type checks from this one; sitegen check names
    their unknown fields.
    """
    return _mapping(
        "data.yaml of any page (its section's schema adds the rest)",
        data_fields("page"),
        languages,
        closed=False,
    )


def site_schema(languages: tuple[str, ...]) -> Schema:
    help_text = {
        "name": "the site's name, shown in every page title",
        "base_url": "the address the site is published at, e.g. https://example.org/",
        "default_language": "the language pages are written in first; the others fall back to it",
        "languages": "every language of the site: '- {code: nl, name: Nederlands, locale: nl_BE}'",
        "menu": "the main menu: folder names under content/, in order",
        "fallback": "a page missing in a language: 'publish' shows the default language's text "
        "with a notice; 'omit' leaves it out",
        "sections": "which folder holds which kind of page (for developers)",
        "precompress": "true writes .br and .gz copies, for hosts that serve them (nginx, GitLab "
        "Pages)",
    }
    assert set(help_text) == set(KNOWN_FIELDS), "a site.yaml field has no help text here"
    language: Schema = {
        "type": "object",
        "required": ["code", "name", "locale"],
        "properties": {
            "code": _described(
                {"type": "string", "pattern": LANG_CODE.pattern},
                "a lower-case ISO 639-1 code such as 'en' or 'nl'; the file names use it",
            ),
            "name": _described({"type": "string"}, "the language's name in itself: Nederlands"),
            "locale": _described(
                {"type": "string"}, "for dates and numbers: en_GB, nl_BE, fr_BE, de_DE"
            ),
        },
    }
    properties: dict[str, Schema] = {
        "name": {"type": "string", "pattern": NOT_BLANK},
        "base_url": {"type": "string", "pattern": URL},
        "default_language": {"type": "string", "enum": list(languages)},
        "languages": {"type": "array", "minItems": 1, "items": language},
        "menu": {"type": "array", "items": {"type": "string"}},
        "fallback": {"type": "string", "enum": ["publish", "omit"]},
        "sections": {
            "type": "object",
            "additionalProperties": {"type": "string", "enum": list(PAGE_KINDS)},
        },
        "precompress": {"type": "boolean"},
    }
    return {
        "$schema": DRAFT,
        "title": "content/site.yaml: the site's settings",
        "type": "object",
        "required": ["name", "base_url", "default_language", "languages"],
        "additionalProperties": False,
        "properties": {
            key: _described(schema, help_text[key]) for key, schema in properties.items()
        },
    }


def strings_schema(languages: tuple[str, ...]) -> Schema:
    text = _described(
        {"type": "string"},
        "the text in this language; placeholders are written {name}, exactly as in English",
    )
    entry = _described(
        {
            "type": "object",
            "required": list(languages),
            "properties": {lang: text for lang in languages},
        },
        "a word or sentence of the templates, in every language: {"
        + ", ".join(f"{lang}: ..." for lang in languages)
        + "}",
    )
    return {
        "$schema": DRAFT,
        "title": "content/strings.yaml: menus and buttons, in every language",
        "type": "object",
        "additionalProperties": entry,
    }


def schema_files(config: SiteConfig) -> list[SchemaFile]:
    """Every schema with the globs the editor maps onto it (content/<folder> decides the kind)."""
    languages, sections = config.codes, config.sections
    files = [
        SchemaFile("site.schema.json", site_schema(languages), ("content/site.yaml",)),
        SchemaFile("strings.schema.json", strings_schema(languages), ("content/strings.yaml",)),
        # no globs: the YAML extension does not look inside the .md files' front matter
        SchemaFile("front-matter.schema.json", front_matter_schema(languages), ()),
        SchemaFile("data.any.schema.json", any_data_schema(languages), ("content/*/data.yaml",)),
    ]
    for kind in PAGE_KINDS:
        globs: list[str] = []
        if kind == "home":
            globs.append("content/data.yaml")
        elif kind == "section":
            globs += [f"content/{folder}/data.yaml" for folder in sorted(sections)]
        else:
            globs += [f"content/{f}/*/data.yaml" for f, k in sorted(sections.items()) if k == kind]
        name = f"data.{kind}.schema.json"
        files.append(SchemaFile(name, data_schema(kind, languages), tuple(globs)))
    return files


def schema_text(schema: Schema) -> str:
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def vscode_mapping(files: list[SchemaFile], folder: str = "./schemas") -> dict[str, list[str]]:
    """The 'yaml.schemas' setting: schema file -> globs, for the files that have any."""
    return {f"{folder}/{f.name}": list(f.globs) for f in files if f.globs}
