"""`sitegen status --accept`: record the current English as what a translation was made from."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path

from sitegen.commands.status import PageTexts, language_error, language_problem, load_pages
from sitegen.diagnostics.diagnostic import Diagnostic, error
from sitegen.schema.config import SiteConfig
from sitegen.source.record import (
    RECORD_NAME,
    Entry,
    entries,
    format_record,
)

# --- accepting ---------------------------------------------------------------------------


def write_record(
    root: Path, pt: PageTexts, records: Mapping[str, tuple[Entry, ...]], config: SiteConfig
) -> bool:
    """Write a page's record when it changed; True when the file was written."""
    target = root / pt.record_src
    text = format_record(records, config.default_language, config.codes) if records else ""
    try:
        old = target.read_text(encoding="utf-8")
    except OSError:
        old = ""
    if text == old or (not text and not target.exists()):
        return False
    tmp = target.with_name(f".{RECORD_NAME}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, target)
    return True


def _page_for(pages: Sequence[PageTexts], target: str) -> tuple[PageTexts | None, str | None]:
    """The page a path names (content/x, x, content/x/en.md, content/x/nl.md) and a language
    the file name implies."""
    path = target.strip().rstrip("/")
    lang = None
    if path.endswith(".md"):
        path, _, name = path.rpartition("/")
        lang = name[:-3]
    path = path.removeprefix("./")
    for pt in pages:
        if path in (pt.page.src_dir, pt.page.path) or (path == "content" and pt.page.path == ""):
            return pt, lang
    return None, lang


def accept(
    root: Path, target: str | None, languages: Sequence[str]
) -> tuple[list[str], list[Diagnostic]]:
    """Record the current English as what the translations were made from.

    target None: every page (how the record is started for translations on par today).
    """
    config, pages, diags = load_pages(root)
    if config is None:
        return [], diags
    default = config.default_language
    langs = [c for c in config.codes if c != default]
    problem = language_problem(config, languages, "use one of them with --lang")
    if problem:
        diags.append(language_error(root, *problem))
        return [], diags
    chosen = pages
    if target is not None:
        pt, implied = _page_for(pages, target)
        if pt is None:
            diags.append(
                error(
                    target,
                    1,
                    1,
                    f"'{target}' is not a page folder with a {default}.md file",
                    "give the page folder, e.g. content/partners/imec",
                )
            )
            return [], diags
        chosen = [pt]
        if implied is not None and implied != default and not languages:
            languages = [implied]
    wanted = list(languages) or langs
    done: list[str] = []
    for pt in chosen:
        records = dict(pt.records)
        current = entries(pt.english.segments)
        for lang in wanted:
            own = pt.translations.get(lang)
            if own is None or records.get(lang) == current:
                continue
            before = pt.alignment(lang)
            records[lang] = current
            review = sum(1 for s in before.states if s != "final") if before.recorded else 0
            what = f"{review} changed unit(s) need no translation" if review else "recorded"
            done.append(f"accepted {own.src}: {what}")
        if write_record(root, pt, records, config):
            done.append(f"wrote {pt.record_src}")
    return done, diags
