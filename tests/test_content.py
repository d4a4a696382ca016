"""The real Leuven inside site: complete in four languages, related both ways, sourced figures."""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import pytest
import yaml

from sitegen.pipeline import load_site
from sitegen.schema.values import as_sources

REPO = Path(__file__).resolve().parent.parent
CONTENT = REPO / "content"
LANGS = ("en", "nl", "fr", "de")
FOLDERS = sorted(p for p in [CONTENT, *CONTENT.rglob("*")] if p.is_dir() and (p / "en.md").exists())

# Frequent English function words that are not also common Dutch, French or German words.
ENGLISH = {"the", "and", "with", "which", "are", "for", "from", "this", "that", "its", "has", "by"}
NUMBER = re.compile(r"(?<![\w.,])\d+(?:[.,\u202f\u00a0 ]\d+)*(?![\w])")


def body(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    return text.split("\n---\n", 1)[1] if text.startswith("---\n") else text


def prose(markdown: str) -> str:
    """The words a reader sees: link targets, markup and headings' hashes removed."""
    text = re.sub(r"\]\([^)]*\)", "]", markdown)
    text = re.sub(r"https?://\S+", " ", text)
    return re.sub(r"[*_#>`|\[\]]", " ", text)


def rel(folder: Path) -> str:
    return folder.relative_to(CONTENT).as_posix() if folder != CONTENT else "(home)"


def test_every_page_exists_in_all_four_languages() -> None:
    gaps = [
        f"{rel(f)}: {lang}" for f in FOLDERS for lang in LANGS if not (f / f"{lang}.md").exists()
    ]
    assert not gaps, "missing translations:\n" + "\n".join(gaps)
    assert len(FOLDERS) >= 50


def test_site_builds_without_any_fallback_page() -> None:
    site, _, diagnostics = load_site(REPO)
    assert site is not None, [d.format() for d in diagnostics]
    fallbacks = [f"{v.path} ({v.lang})" for v in site.versions.values() if v.is_fallback]
    assert not fallbacks


@pytest.mark.parametrize("lang", LANGS)
def test_no_page_body_is_shorter_than_a_paragraph(lang: str) -> None:
    short = [rel(f) for f in FOLDERS if len(prose(body(f / f"{lang}.md")).split()) < 30]
    assert not short


@pytest.mark.parametrize("lang", LANGS)
def test_no_sentence_is_repeated_across_pages(lang: str) -> None:
    seen: dict[str, list[str]] = defaultdict(list)
    for folder in FOLDERS:
        for sentence in re.split(
            r"(?<=[.!?])\s+", " ".join(prose(body(folder / f"{lang}.md")).split())
        ):
            if len(sentence.split()) >= 6:
                seen[sentence.lower()].append(rel(folder))
    repeated = {s: pages for s, pages in seen.items() if len(pages) > 1}
    assert not repeated


@pytest.mark.parametrize("lang", ("nl", "fr", "de"))
def test_no_english_text_on_other_language_pages(lang: str) -> None:
    offenders = []
    for folder in FOLDERS:
        words = re.findall(r"[a-zà-ÿ']+", prose(body(folder / f"{lang}.md")).lower())
        english = sum(1 for w in words if w in ENGLISH)
        if words and english / len(words) > 0.02:
            offenders.append(f"{rel(folder)}: {english} of {len(words)} words are English")
    assert not offenders


def test_every_figure_in_a_body_has_a_source_in_data_yaml() -> None:
    site, _, _ = load_site(REPO)
    assert site is not None
    missing = []
    for folder in FOLDERS:
        path = "" if folder == CONTENT else folder.relative_to(CONTENT).as_posix()
        figures = {
            re.sub(r"[.,\s]", "", f)
            for source in as_sources(site.pages[path].data.get("sources"))
            for f in source.figures
        }
        for lang in LANGS:
            for number in NUMBER.findall(prose(body(folder / f"{lang}.md"))):
                if re.sub(r"[.,\s\u202f\u00a0]", "", number) not in figures:
                    missing.append(f"{rel(folder)}/{lang}.md: {number}")
    assert not missing, "figures without a source:\n" + "\n".join(missing)


def test_cluster_pages_list_the_partners_that_name_them_and_back() -> None:
    site, _, _ = load_site(REPO)
    assert site is not None
    for folder in sorted((CONTENT / "partners").iterdir()):
        data_file = folder / "data.yaml"
        if not data_file.exists():
            continue
        data = yaml.safe_load(data_file.read_text(encoding="utf-8")) or {}
        partner = f"partners/{folder.name}"
        for cluster in data.get("clusters", []):
            incoming = site.pages[f"clusters/{cluster}"].incoming.get("partner", ())
            assert partner in incoming
            assert f"clusters/{cluster}" in site.pages[partner].outgoing["clusters"]
    for name in ("life-sciences", "ict", "mechatronics", "nanotechnology"):
        assert site.pages[f"clusters/{name}"].incoming.get("partner"), name
