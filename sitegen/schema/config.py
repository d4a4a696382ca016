"""Typed site settings read from content/site.yaml."""

from __future__ import annotations

import re
from dataclasses import dataclass
from types import MappingProxyType
from typing import Literal, cast
from urllib.parse import urlsplit

from babel import Locale, UnknownLocaleError

from sitegen.diagnostics.diagnostic import Diagnostic, error
from sitegen.schema.kinds import PAGE_KINDS, PageKind, suggest
from sitegen.source.yamlpos import YamlDoc

Fallback = Literal["publish", "omit"]
SITE_SRC = "content/site.yaml"
LANG_CODE = re.compile(r"^[a-z]{2,3}(-[a-z0-9]{2,8})?$")
DEFAULT_SECTIONS = {
    "clusters": "cluster",
    "partners": "partner",
    "initiatives": "initiative",
    "timeline": "news",
}


@dataclass(frozen=True, slots=True)
class Language:
    code: str
    name: str
    locale: str


@dataclass(frozen=True, slots=True)
class SiteConfig:
    name: str
    base_url: str
    default_language: str
    languages: tuple[Language, ...]
    menu: tuple[str, ...]
    fallback: Fallback
    sections: MappingProxyType[str, PageKind]
    # .br and .gz beside each text file, for hosts that serve them (nginx, GitLab Pages);
    # GitHub Pages, Netlify and Cloudflare compress by themselves and should not pay for it.
    precompress: bool = False

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(lang.code for lang in self.languages)

    @property
    def url_prefix(self) -> str:
        """The path part of base_url, so a site can live under a subpath."""
        path = urlsplit(self.base_url).path or "/"
        return path if path.endswith("/") else path + "/"

    @property
    def origin(self) -> str:
        parts = urlsplit(self.base_url)
        return f"{parts.scheme}://{parts.netloc}"

    def language(self, code: str) -> Language:
        return next(lang for lang in self.languages if lang.code == code)

    def with_base_url(self, base_url: str) -> SiteConfig:
        return SiteConfig(
            self.name,
            normalise_base_url(base_url),
            self.default_language,
            self.languages,
            self.menu,
            self.fallback,
            self.sections,
            self.precompress,
        )


def web_address(url: str) -> bool:
    """An http(s) address with a host; urlsplit raises on some broken ones, e.g. https://[x."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port out of range
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def normalise_base_url(url: str) -> str:
    return url if url.endswith("/") else url + "/"


KNOWN_FIELDS = (
    "name",
    "base_url",
    "default_language",
    "languages",
    "menu",
    "fallback",
    "sections",
    "precompress",
)


def parse_config(doc: YamlDoc | None) -> tuple[SiteConfig | None, list[Diagnostic]]:
    """Check site.yaml field by field and return every problem at once."""
    if doc is None:
        return None, []
    diags: list[Diagnostic] = []

    def err(key: tuple[str | int, ...], message: str, hint: str) -> None:
        line, col = doc.pos(*key)
        diags.append(error(SITE_SRC, line, col, message, hint))

    raw = doc.value
    if not isinstance(raw, dict):
        err((), "site.yaml must be a list of 'field: value' lines", "see README.md for an example")
        return None, diags
    for key in raw:
        if key not in KNOWN_FIELDS:
            err(
                (str(key), "__key__"),
                f"unknown field '{key}' in site.yaml",
                suggest(str(key), KNOWN_FIELDS, "remove it"),
            )

    def text(key: str, default: str | None = None) -> str:
        value = raw.get(key, default)
        if not isinstance(value, str) or not value.strip():
            err((key,), f"'{key}' must be a non-empty text", f"add '{key}: ...' to site.yaml")
            return ""
        return value.strip()

    name = text("name")
    base_url = text("base_url")
    if base_url and not web_address(base_url):
        err(
            ("base_url",),
            "'base_url' must start with https:// or http://",
            "write the full address, e.g. https://example.org/",
        )
    languages: list[Language] = []
    raw_langs = raw.get("languages")
    if not isinstance(raw_langs, list) or not raw_langs:
        err(
            ("languages",),
            "'languages' must be a list of languages",
            "add entries like '- {code: en, name: English, locale: en_GB}'",
        )
        raw_langs = []
    for i, item in enumerate(raw_langs):
        if not isinstance(item, dict) or not all(
            isinstance(item.get(k), str) for k in ("code", "name", "locale")
        ):
            err(
                ("languages", i),
                "each language needs 'code', 'name' and 'locale' as text",
                "write it as '- {code: nl, name: Nederlands, locale: nl_BE}'",
            )
            continue
        code, locale = item["code"], item["locale"]
        if not LANG_CODE.match(code):
            err(
                ("languages", i, "code"),
                f"'{code}' is not a language code",
                "use a lower-case ISO 639-1 code such as 'en' or 'nl'",
            )
            continue
        try:
            Locale.parse(locale)
        except (UnknownLocaleError, ValueError):
            err(
                ("languages", i, "locale"),
                f"unknown locale '{locale}'",
                "use a locale such as en_GB, nl_BE, fr_BE or de_DE",
            )
            continue
        if code in (lang.code for lang in languages):
            err(("languages", i, "code"), f"language '{code}' is listed twice", "remove one")
            continue
        languages.append(Language(code, item["name"], locale))
    codes = [lang.code for lang in languages]
    default = text("default_language")
    if default and codes and default not in codes:
        err(
            ("default_language",),
            f"default language '{default}' is not in 'languages'",
            suggest(default, codes, "add it to 'languages'"),
        )
    raw_menu = raw.get("menu", [])
    if not isinstance(raw_menu, list) or not all(isinstance(m, str) for m in raw_menu):
        err(
            ("menu",),
            "'menu' must be a list of page paths",
            "write it as 'menu: [clusters, partners]'",
        )
        raw_menu = []
    fallback = raw.get("fallback", "publish")
    if fallback not in ("publish", "omit"):
        err(
            ("fallback",),
            f"'fallback' must be 'publish' or 'omit', not '{fallback}'",
            "write 'fallback: publish' to show untranslated pages in the default language",
        )
        fallback = "publish"
    raw_sections = raw.get("sections", DEFAULT_SECTIONS)
    sections: dict[str, PageKind] = {}
    if not isinstance(raw_sections, dict):
        err(
            ("sections",),
            "'sections' must map a folder name to a page kind",
            "write it as 'sections: {partners: partner}'",
        )
        raw_sections = {}
    for folder, kind in raw_sections.items():
        if kind not in PAGE_KINDS:
            err(
                ("sections", str(folder)),
                f"unknown page kind '{kind}'",
                suggest(str(kind), PAGE_KINDS, "use one of " + ", ".join(PAGE_KINDS)),
            )
        else:
            sections[str(folder)] = cast(PageKind, kind)
    precompress = raw.get("precompress", False)
    if not isinstance(precompress, bool):
        err(
            ("precompress",),
            "'precompress' must be true or false",
            "write 'precompress: true' for nginx or GitLab Pages, 'false' for other hosts",
        )
        precompress = False
    if diags:
        return None, diags
    config = SiteConfig(
        name,
        normalise_base_url(base_url),
        default,
        tuple(languages),
        tuple(m.strip("/") for m in raw_menu),
        cast(Fallback, fallback),
        MappingProxyType(sections),
        precompress,
    )
    return config, diags
