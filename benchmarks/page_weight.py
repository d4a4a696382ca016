"""What a visitor downloads per page type: bytes of HTML, CSS, JS and fonts, and requests.

`python benchmarks/page_weight.py [--site DIR] [--budget BYTES]` builds the site into a
temporary folder, follows every page's stylesheets, scripts, fonts (also those a stylesheet
loads) and icons, and prints a Markdown table with the heaviest page of each type. Photos are
left out: they load lazily and their weight depends on the screen. Exits 1 when any page's
HTML + CSS + JS + fonts is over the budget (60 KB uncompressed by default).
"""

from __future__ import annotations

import argparse
import gzip
import posixpath
import re
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from sitegen import pipeline
from sitegen.model.site import Site
from sitegen.render.views import is_search_page
from sitegen.schema.kinds import PAGE_KINDS

REPO = Path(__file__).resolve().parent.parent
BUDGET = 60_000
TYPES = (
    *PAGE_KINDS,
    "search",
    "chooser",
    "404",
)
FONT = (".woff2", ".woff", ".ttf", ".otf")
CSS_REF = re.compile(r"""url\(\s*['"]?([^'")]+)['"]?\s*\)|@import\s+['"]([^'"]+)['"]""")


class _Refs(HTMLParser):
    """The subresources a page makes the browser fetch at load, photos aside."""

    def __init__(self) -> None:
        super().__init__()
        self.refs: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        rel = a.get("rel", "").lower().split()
        if tag == "link" and "stylesheet" in rel:
            self.refs.append(("css", a.get("href", "")))
        elif tag == "link" and ("icon" in rel or "apple-touch-icon" in rel):
            self.refs.append(("other", a.get("href", "")))
        elif tag == "link" and ("preload" in rel or "modulepreload" in rel):
            kind = {"style": "css", "script": "js", "font": "fonts"}.get(a.get("as", ""), "other")
            self.refs.append(("js" if "modulepreload" in rel else kind, a.get("href", "")))
        elif tag == "script" and a.get("src"):
            self.refs.append(("js", a["src"]))


@dataclass(slots=True)
class Weight:
    """One page and everything it loads, by kind of file."""

    page: str
    raw: dict[str, int] = field(default_factory=dict)
    gz: dict[str, int] = field(default_factory=dict)
    requests: int = 0
    external: list[str] = field(default_factory=list)

    def add(self, kind: str, data: bytes) -> None:
        self.raw[kind] = self.raw.get(kind, 0) + len(data)
        self.gz[kind] = self.gz.get(kind, 0) + len(gzip.compress(data, 9, mtime=0))
        self.requests += 1

    @property
    def budgeted(self) -> int:
        """HTML + CSS + JS + fonts: what the budget counts."""
        return sum(v for k, v in self.raw.items() if k != "other")

    @property
    def budgeted_gz(self) -> int:
        return sum(v for k, v in self.gz.items() if k != "other")


def _file(out: Path, prefix: str, url: str) -> Path | None:
    path = urlsplit(url).path
    if not path.startswith(prefix):
        return None
    rel = posixpath.normpath(path[len(prefix) :]).lstrip("/")
    target = out / rel
    if path.endswith("/"):
        target = target / "index.html"
    return target if target.is_file() else None


def measure(out: Path, prefix: str, rel: str) -> Weight:
    """Follow one page's stylesheets (and what they load), scripts, fonts and icons."""
    html = (out / rel).read_bytes()
    weight = Weight(rel)
    weight.add("html", html)
    page_url = prefix + (rel.removesuffix("index.html") if rel.endswith("index.html") else rel)
    parser = _Refs()
    parser.feed(html.decode("utf-8"))
    queue = [(kind, urljoin(page_url, href)) for kind, href in parser.refs if href]
    seen: set[str] = set()
    while queue:
        kind, url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        if urlsplit(url).scheme:
            weight.external.append(url)
            weight.requests += 1
            continue
        target = _file(out, prefix, url)
        if target is None:
            raise SystemExit(f"{rel} loads {url}, which is not in the build")
        data = target.read_bytes()
        if kind == "css":
            for match in CSS_REF.finditer(data.decode("utf-8")):
                ref = match.group(1) or match.group(2)
                if ref.startswith(("data:", "#")):
                    continue
                ref_kind = (
                    "css"
                    if match.group(2)
                    else "fonts"
                    if ref.split("?")[0].endswith(FONT)
                    else "other"
                )
                queue.append((ref_kind, urljoin(url, ref)))
        weight.add(kind, data)
    return weight


def page_types(site: Site) -> dict[str, str]:
    """Every HTML file of the build and its page type."""
    types = {
        v.out: "search" if is_search_page(v) else site.pages[v.path].kind
        for v in site.versions.values()
    }
    types["index.html"] = "chooser"
    for code in site.config.codes:
        types[f"{code}/404.html"] = "404"
    return types


def _kb(value: int) -> str:
    return f"{value / 1000:.1f} KB"


def table(weights: dict[str, list[Weight]], budget: int) -> str:
    head = (
        "| page type | pages | heaviest page | HTML | CSS | JS | fonts | total | gzip | "
        "requests | budget |\n|---|--:|---|--:|--:|--:|--:|--:|--:|--:|---|"
    )
    rows = [head]
    for kind in TYPES:
        pages = weights.get(kind)
        if not pages:
            continue
        w = max(pages, key=lambda p: (p.budgeted, p.page))
        ok = all(p.budgeted <= budget for p in pages)
        rows.append(
            f"| {kind} | {len(pages)} | {w.page} | {_kb(w.raw.get('html', 0))} | "
            f"{_kb(w.raw.get('css', 0))} | {_kb(w.raw.get('js', 0))} | "
            f"{_kb(w.raw.get('fonts', 0))} | {_kb(w.budgeted)} | {_kb(w.budgeted_gz)} | "
            f"{w.requests} | {'ok' if ok else 'OVER'} |"
        )
    return "\n".join(rows)


def search_on_demand(out: Path, lang: str) -> str:
    """What the first search query adds: Pagefind's code, its WebAssembly and the metadata."""
    bundle = out / "pagefind"
    names = ("pagefind.js", "pagefind-worker.js", "pagefind-entry.json", f"wasm.{lang}.pagefind")
    files = [bundle / name for name in names]
    files += sorted(bundle.glob(f"pagefind.{lang}_*.pf_meta"))
    present = [f for f in files if f.is_file()]
    if not present:
        return "no search index in this build"
    raw = sum(len(f.read_bytes()) for f in present)
    # Pagefind's .pagefind and .pf_meta files are gzip already; a server sends them as they are.
    gz = sum(
        len(gzip.compress(f.read_bytes(), 9, mtime=0))
        if f.suffix in (".js", ".json")
        else f.stat().st_size
        for f in present
    )
    return (
        f"first search query ({lang}), loaded on demand: {len(present)} files, "
        f"{_kb(raw)} ({_kb(gz)} gzip), plus one index chunk and one fragment per result shown"
    )


def weigh(site: Site, out: Path) -> dict[str, list[Weight]]:
    """Every page of a finished build, grouped by page type."""
    weights: dict[str, list[Weight]] = {}
    for rel, kind in sorted(page_types(site).items()):
        if (out / rel).is_file():
            weights.setdefault(kind, []).append(measure(out, site.config.url_prefix, rel))
    return weights


def run(site_dir: Path, out: Path, budget: int) -> tuple[str, list[Weight]]:
    """Build, measure every page; return the report and the pages over budget."""
    result = pipeline.build(site_dir, out)
    if not result.ok or result.site is None:
        raise SystemExit("\n".join(d.format() for d in result.diagnostics))
    site = result.site
    weights = weigh(site, out)
    over = [w for pages in weights.values() for w in pages if w.budgeted > budget]
    report = table(weights, budget)
    report += "\n\n" + search_on_demand(out, site.config.default_language)
    external = sorted({u for pages in weights.values() for w in pages for u in w.external})
    if external:
        report += "\nexternal requests: " + ", ".join(external)
    return report, over


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--site", type=Path, default=REPO, help="site folder (default: repo)")
    parser.add_argument("--budget", type=int, default=BUDGET, help="bytes per page")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="page-weight-") as tmp:
        report, over = run(args.site, Path(tmp) / "build", args.budget)
    print(report)
    if over:
        print(f"\nover the {_kb(args.budget)} budget:", file=sys.stderr)
        for w in over:
            print(f"  {w.page}: {_kb(w.budgeted)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
