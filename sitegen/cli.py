"""The command line: the one place that prints and chooses exit codes."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from sitegen import __version__
from sitegen.diagnostics import Diagnostic

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2


def print_diagnostics(diagnostics: Sequence[Diagnostic]) -> None:
    for diagnostic in diagnostics:
        print(diagnostic.format(), file=sys.stderr)
    errors = sum(1 for d in diagnostics if d.severity == "error")
    warnings = len(diagnostics) - errors
    if errors or warnings:
        print(f"{errors} error(s), {warnings} warning(s)", file=sys.stderr)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sitegen", description="Build a multilingual static site."
    )
    parser.add_argument("--version", action="version", version=f"sitegen {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    def site_args(p: argparse.ArgumentParser) -> None:
        p.add_argument("--site", type=Path, default=Path("."), help="site folder (default: .)")
        p.add_argument("--base-url", help="published address, e.g. https://example.org/sub/")

    p = sub.add_parser("build", help="build the site into build/")
    site_args(p)
    p.add_argument("--out", type=Path, help="output folder (default: SITE/build)")
    p = sub.add_parser("check", help="validate everything without writing")
    site_args(p)
    p = sub.add_parser("serve", help="build, serve with live reload, rebuild on change")
    site_args(p)
    p.add_argument("--out", type=Path, help="output folder (default: SITE/build)")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="port (default: 8000)")
    p = sub.add_parser("new", help="create a page folder with a file per language")
    p.add_argument("kind", help="cluster, partner, initiative, news or page")
    p.add_argument("slug", help="folder name, e.g. my-partner")
    p.add_argument("--site", type=Path, default=Path("."), help="site folder (default: .)")
    return parser


def _out_dir(site: Path, out: Path | None) -> Path | None:
    """The output folder, refused when it would overwrite the site's own sources."""
    target = (out or site / "build").resolve()
    site = site.resolve()
    protected = {site, site / "content", site / "templates", site / "assets", Path("/")}
    if target in protected or target in site.parents:
        return None
    return target


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    from sitegen import pipeline

    if args.command == "new":
        from sitegen.scaffold import new_page

        created, diagnostics = new_page(args.site, args.kind, args.slug)
        print_diagnostics(diagnostics)
        for path in created:
            print(f"created {path}")
        return (
            EXIT_OK
            if created
            else EXIT_USAGE
            if any("kind" in d.message for d in diagnostics)
            else EXIT_CONTENT
        )
    if args.command == "check":
        result = pipeline.check(args.site, args.base_url)
        print_diagnostics(result.diagnostics)
        if result.ok:
            print(f"ok: {result.files} files would be written", file=sys.stderr)
        return EXIT_OK if result.ok else EXIT_CONTENT
    out = _out_dir(args.site, args.out)
    if out is None:
        print(
            "sitegen: error: --out must not be the site folder or one of its sources",
            file=sys.stderr,
        )
        return EXIT_USAGE
    if args.command == "build":
        start = time.perf_counter()
        result = pipeline.build(args.site, out, args.base_url)
        print_diagnostics(result.diagnostics)
        if not result.ok:
            print("build failed; the previous build was left as it was", file=sys.stderr)
            return EXIT_CONTENT
        elapsed = time.perf_counter() - start
        print(f"built {result.files} files into {out} in {elapsed:.2f}s", file=sys.stderr)
        return EXIT_OK
    from sitegen.serve import serve

    return serve(args.site, out, args.host, args.port, args.base_url)
