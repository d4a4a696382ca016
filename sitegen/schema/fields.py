"""Typed checking of one YAML mapping against a list of schema fields."""

from __future__ import annotations

import datetime as dt
import difflib
import re

from sitegen.diagnostics import codes
from sitegen.diagnostics.diagnostic import Diagnostic, error
from sitegen.schema.config import web_address
from sitegen.schema.figures import Figure, check_figures
from sitegen.schema.hints import field_hint
from sitegen.schema.kinds import Field, suggest
from sitegen.schema.values import PartialDate, Source
from sitegen.source.names import MAX_NAME, SLUG
from sitegen.source.yamlpos import YamlDoc, shorten

DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")

# Folder paths this deep are a typing mistake, not a site.
MAX_PATH_DEPTH = 10


def content_path(text: str) -> bool:
    """'partners/old-name': slug folder names joined by '/', nothing nginx could misread."""
    parts = text.split("/")
    return len(parts) <= MAX_PATH_DEPTH and all(
        SLUG.match(part) and len(part) <= MAX_NAME for part in parts
    )


Value = (
    str
    | int
    | bool
    | PartialDate
    | tuple[Source, ...]
    | tuple[Figure, ...]
    | tuple[str, ...]
    | None
)


def _type_name(field: Field) -> str:
    return {
        "text": "a text",
        "int": "a whole number",
        "bool": "true or false",
        "date": "a date like 2026-11-24 (or 2026-11, or 2026)",
        "url": "a web address",
        "year": "a year like 1425",
        "refs": "a list of page names",
        "sources": "a list of sources",
        "file": "a file name in this folder",
        "figures": "a list of figures",
        "paths": "a list of old content paths like partners/old-name",
    }[field.type]


class FieldChecker:
    """Collects diagnostics for one file while converting its values."""

    def __init__(
        self,
        src: str,
        doc: YamlDoc,
        diagnostics: list[Diagnostic],
        languages: tuple[str, ...] = (),
    ) -> None:
        self.src, self.doc, self.diagnostics = src, doc, diagnostics
        self.languages = languages  # the site's, for fields with text in every language

    def fail(self, key: tuple[str | int, ...], message: str, hint: str, code: str = "") -> None:
        line, col = self.doc.pos(*key)
        self.diagnostics.append(error(self.src, line, col, message, hint, code))

    def fields(self, fields: tuple[Field, ...], what: str) -> dict[str, Value]:
        raw = self.doc.value if isinstance(self.doc.value, dict) else {}
        names = [f.name for f in fields]
        unknown = [str(key) for key in raw if key not in names]
        misspelt = {s for key in unknown for s in difflib.get_close_matches(key, names, 1, 0.6)}
        for key in raw:
            if key not in names:
                self.fail(
                    (str(key), "__key__"),
                    f"unknown field '{shorten(key)}' in {what}",
                    field_hint(str(key), names),
                )
        out: dict[str, Value] = {}
        for f in fields:
            if f.name not in raw or raw[f.name] is None:
                if f.required and f.name not in misspelt:
                    self.fail(
                        (),
                        f"'{f.name}' is missing from {what}",
                        f"add a line '{f.name}: ...' ({f.help})",
                    )
                continue
            out[f.name] = self.value(f, raw[f.name])
        return out

    def value(self, f: Field, value: object) -> Value:
        key = (f.name,)
        bad = f"'{f.name}' must be {_type_name(f)}"
        if f.type == "text":
            if isinstance(value, str | int | float) and not isinstance(value, bool):
                text = str(value).strip()
                if text:
                    return text
            self.fail(key, bad, f"write it as '{f.name}: some text'")
        elif f.type == "int":
            if isinstance(value, int) and not isinstance(value, bool):
                return value
            self.fail(key, bad, f"write it as '{f.name}: 10'")
        elif f.type == "bool":
            if isinstance(value, bool):
                return value
            self.fail(key, bad, f"write '{f.name}: true' or '{f.name}: false'")
        elif f.type == "year":
            text = str(value).strip()
            if isinstance(value, int | str) and text:
                return text
            self.fail(key, bad, f"write it as '{f.name}: \"1984\"'")
        elif f.type == "url":
            if (
                isinstance(value, str)
                and re.match(r"^https?://[^\s/$.?#][^\s]*$", value)
                and web_address(value)
            ):
                return value
            self.fail(key, bad + " starting with https://", "copy the full address from a browser")
        elif f.type == "file":
            if isinstance(value, str) and "/" not in value and not value.startswith("."):
                return value
            self.fail(key, bad, "put the file in the page folder and write only its name")
        elif f.type == "date":
            return self.date(f, value)
        elif f.type == "refs":
            if isinstance(value, list) and all(isinstance(v, str) for v in value):
                return tuple(v.strip("/") for v in value)
            self.fail(key, bad, f"write it as '{f.name}: [first-name, second-name]'")
        elif f.type == "sources":
            return self.sources(f, value)
        elif f.type == "figures":
            return check_figures(f.name, value, self.languages, self.fail)
        elif f.type == "paths":
            return self.paths(f, value)
        return None

    def paths(self, f: Field, value: object) -> tuple[str, ...]:
        """Old content paths: only lower-case slug segments, since they reach the nginx config."""
        if not isinstance(value, list):
            self.fail(
                (f.name,),
                f"'{f.name}' must be {_type_name(f)}",
                f"write it as '{f.name}: [partners/old-name]'",
                codes.BAD_MOVED_FROM,
            )
            return ()
        out: list[str] = []
        for i, item in enumerate(value):
            if isinstance(item, str) and content_path(item):
                out.append(item)
                continue
            self.fail(
                (f.name, i),
                f"'{shorten(item)}' in '{f.name}' is not a content path: only folder names "
                "of a-z, 0-9 and single hyphens, separated by '/'",
                "write the old folder path under content/, without a leading '/', "
                "e.g. partners/old-name",
                codes.BAD_MOVED_FROM,
            )
        return tuple(out)

    def date(self, f: Field, value: object) -> PartialDate | None:
        if isinstance(value, dt.datetime):
            return PartialDate(value.year, value.month, value.day)
        if isinstance(value, dt.date):
            return PartialDate(value.year, value.month, value.day)
        match = DATE.match(str(value)) if isinstance(value, int | str) else None
        if match:
            year, month, day = (int(g) if g else None for g in match.groups())
            try:
                dt.date(year or 1, month or 1, day or 1)
                return PartialDate(year or 1, month, day)
            except ValueError:
                pass
        self.fail(
            (f.name,),
            f"'{shorten(value)}' is not a date; '{f.name}' must be {_type_name(f)}",
            "write the date as year-month-day, e.g. 2016-09-21",
        )
        return None

    def sources(self, f: Field, value: object) -> tuple[Source, ...]:
        if not isinstance(value, list):
            self.fail(
                (f.name,),
                "'sources' must be a list",
                "start each source with '- title: ...' on its own line",
            )
            return ()
        out: list[Source] = []
        for i, item in enumerate(value):
            ok = (
                isinstance(item, dict)
                and isinstance(item.get("title"), str)
                and isinstance(item.get("url"), str)
                and item["url"].startswith(("http://", "https://"))
                and web_address(item["url"].strip())
            )
            if not ok or not isinstance(item, dict):
                self.fail(
                    (f.name, i),
                    "each source needs a 'title' and a 'url' (https://...)",
                    "write '- title: Name of the page' and 'url: https://...' below it",
                )
                continue
            extra = set(item) - {"title", "url", "figures"}
            for name in sorted(extra):
                self.fail(
                    (f.name, i, str(name), "__key__"),
                    f"unknown field '{shorten(name)}' in a source",
                    suggest(str(name), ["title", "url", "figures"], "remove it"),
                )
            figures = item.get("figures", [])
            if not isinstance(figures, list):
                self.fail(
                    (f.name, i, "figures"),
                    "'figures' must be a list",
                    'write it as \'figures: ["1984", "3500"]\'',
                )
                figures = []
            out.append(
                Source(item["title"].strip(), item["url"].strip(), tuple(str(x) for x in figures))
            )
        return tuple(out)
