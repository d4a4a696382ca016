"""The Jinja environment of one build and the per-language helpers templates call."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from babel import Locale
from babel.dates import format_date as babel_date
from babel.dates import format_skeleton
from jinja2 import BaseLoader, BytecodeCache, Environment, StrictUndefined, TemplateNotFound

from sitegen.schema.values import PartialDate


class MissingString(Exception):
    """A template asked for a UI string that strings.yaml does not have."""

    def __init__(self, key: str, lang: str) -> None:
        super().__init__(f"{key} ({lang})")
        self.key, self.lang = key, lang


class HeldLoader(BaseLoader):
    """The templates as loading read them. Each keeps its file name, so an error in a
    template is reported at its file and line; none is opened while pages render."""

    def __init__(self, templates: Mapping[str, str], templates_dir: Path) -> None:
        self.templates = dict(templates)
        self.templates_dir = templates_dir

    def get_source(
        self, environment: Environment, template: str
    ) -> tuple[str, str | None, Callable[[], bool] | None]:
        if template not in self.templates:
            raise TemplateNotFound(template)
        # No up-to-date check: a template that changes makes a new environment (serve).
        return self.templates[template], str(self.templates_dir / template), None

    def list_templates(self) -> list[str]:
        return sorted(self.templates)


def make_environment(
    templates: Mapping[str, str], templates_dir: Path, compiled: BytecodeCache | None = None
) -> Environment:
    """Autoescape on and undefined variables as errors, so a template typo fails the build.

    One environment serves one build (serve makes a new one when a template changes).
    `compiled`: templates compiled by an earlier run, held in memory (the speed layer's).
    """
    return Environment(
        loader=HeldLoader(templates, templates_dir),
        bytecode_cache=compiled,
        auto_reload=False,
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


@dataclass(frozen=True, slots=True)
class LangTools:
    """Helpers bound to one language: t(), date and number formatting."""

    lang: str
    locale: str
    strings: Mapping[str, Mapping[str, str]]

    def t(self, key: str, **values: object) -> str:
        entry = self.strings.get(key)
        if entry is None or self.lang not in entry:
            raise MissingString(key, self.lang)
        text = entry[self.lang]
        return text.format(**values) if values else text

    def date(self, value: PartialDate) -> str:
        if value.precision == "day":
            return babel_date(value.first_day(), format="long", locale=self.locale)
        if value.precision == "month":
            return format_skeleton("yMMMM", value.first_day(), locale=self.locale)
        return str(value.year)

    def language_name(self, code: str) -> str:
        """A language's name in this language, e.g. 'Engels' for 'en' in Dutch."""
        name = Locale.parse(self.locale).languages.get(code, code)
        return str(name)
