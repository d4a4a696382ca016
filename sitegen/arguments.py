"""The command line's arguments: every command, option and help text, and their checks.

Parsing is kept apart from `cli.py`, which runs the commands, prints and picks exit codes.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from sitegen import __version__
from sitegen.incremental.cores import default_jobs


def parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sitegen", description="Build a multilingual static site."
    )
    parser.add_argument("--version", action="version", version=f"sitegen {__version__}")
    parser.add_argument(
        "--debug", action="store_true", help="show the traceback when sitegen itself fails"
    )
    sub = parser.add_subparsers(dest="command", required=True)

    def site_args(p: argparse.ArgumentParser) -> None:
        p.add_argument("--site", type=Path, default=Path("."), help="site folder (default: .)")
        p.add_argument(
            "--base-url", type=_base_url, help="published address, e.g. https://example.org/sub/"
        )

    def speed_args(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--jobs",
            type=int,
            default=default_jobs(),
            metavar="N",
            help="render in N processes (default: all cores; big sites only)",
        )
        p.add_argument(
            "--no-cache",
            action="store_true",
            help="render every page again, ignoring .sitegen-cache/",
        )

    def format_arg(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--format",
            choices=("text", "json"),
            default="text",
            help="text for people (default), json for other tools (on stdout)",
        )

    p = sub.add_parser("build", help="build the site into build/")
    site_args(p)
    p.add_argument("--out", type=Path, help="output folder (default: SITE/build)")
    p.add_argument(
        "--no-search",
        action="store_true",
        help="skip the Pagefind search index (the search page then finds nothing)",
    )
    p.add_argument(
        "--precompress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="write .br and .gz beside text files (default: site.yaml's precompress)",
    )
    speed_args(p)
    format_arg(p)
    p = sub.add_parser("check", help="validate everything without writing")
    site_args(p)
    speed_args(p)
    format_arg(p)
    p.add_argument("--strict", action="store_true", help="fail on warnings too")
    p.add_argument(
        "--external",
        action="store_true",
        help="also ask every external address (sources, websites, links) if it still answers",
    )
    p = sub.add_parser("status", help="which translations are present, missing or stale")
    p.add_argument("--site", type=Path, default=Path("."), help="site folder (default: .)")
    p.add_argument(
        "--fail-on",
        type=_fail_on,
        default=frozenset(),
        metavar="missing,stale",
        help="exit 1 when a translation is in one of these states (for CI)",
    )
    format_arg(p)
    p.add_argument(
        "--accept",
        nargs="?",
        const="",
        metavar="PATH",
        help="record the current English of a page folder as translated (no translation needed)",
    )
    p.add_argument("--all", action="store_true", help="with --accept: every page")
    p.add_argument("--lang", type=_langs, default=(), metavar="nl[,fr]", help="with --accept")
    _translate_parser(sub.add_parser("translate", help="XLIFF files for translators"))
    p = sub.add_parser("serve", help="build, serve with live reload, rebuild on change")
    site_args(p)
    p.add_argument("--out", type=Path, help="output folder (default: SITE/build)")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    p.add_argument("--port", type=_port, default=8000, help="port (default: 8000)")
    _move_parsers(sub)
    p = sub.add_parser("new", help="create a page folder with a file per language")
    p.add_argument("kind", help="the section: clusters, partners, initiatives, timeline or page")
    p.add_argument("slug", help="folder name, e.g. my-partner")
    p.add_argument("--title", help="the page title, e.g. 'Flanders Make' (default: a placeholder)")
    p.add_argument("--site", type=Path, default=Path("."), help="site folder (default: .)")
    _hosting_parser(sub.add_parser("hosting", help="configuration and deploy plans for hosts"))
    p = sub.add_parser("schema", help="write JSON Schemas of the YAML files for editors")
    p.add_argument("--site", type=Path, default=Path("."), help="site folder (default: .)")
    p.add_argument("--out", type=Path, help="folder to write (default: SITE/schemas)")
    p.add_argument(
        "--vscode",
        action="store_true",
        help="also map them onto the files in SITE/.vscode/settings.json ('yaml.schemas')",
    )
    p = sub.add_parser("preview-summary", help="Markdown: pages a change touches, status, check")
    p.add_argument("--site", type=Path, default=Path("."), help="site folder (default: .)")
    p.add_argument("--base", required=True, help="git ref to compare with, e.g. origin/main")
    p.add_argument("--artifact", default="", help="a line saying where the built preview is")
    return parser


def _move_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "move", help="rename or move a page; links follow, the old address redirects"
    )
    p.add_argument("old", help="the page's folder under content/, e.g. partners/lasa")
    p.add_argument("new", help="its new folder, e.g. partners/lasa-leuven")
    p = sub.add_parser("remove", help="delete a page; its address redirects to its section")
    p.add_argument("old", help="the page's folder under content/, e.g. partners/voka")
    p.add_argument("--unlink", action="store_true", help="turn links to it into plain text")
    for name in ("move", "remove"):
        p = sub.choices[name]
        p.add_argument("--site", type=Path, default=Path("."), help="site folder (default: .)")
        p.add_argument(
            "--dry-run", action="store_true", help="list what would change, change nothing"
        )
        p.add_argument(
            "--force", action="store_true", help="even when those files have uncommitted changes"
        )


def _hosting_parser(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="hosting", required=True)
    p = sub.add_parser("nginx", help="print an nginx server block that serves the build")
    p.add_argument("--site", type=Path, default=Path("."), help="site folder (default: .)")
    p.add_argument("--root", type=Path, help="the build folder on the server (default: SITE/build)")
    p.add_argument("--port", default="80", help="port or ADDRESS:PORT to listen on (default: 80)")
    p.add_argument("--prefix", help="URL path the site lives under (default: from base_url)")
    p = sub.add_parser("changes", help="files to upload and delete to turn ONLINE into BUILT")
    p.add_argument("online", type=Path, help="manifest of what is online now")
    p.add_argument("built", type=Path, help="manifest of the new build, e.g. build.manifest.json")
    p.add_argument(
        "--allow-removals",
        action="store_true",
        help="deploy even if more than 10%% of the pages, a section or a language would go",
    )


def _langs(value: str) -> tuple[str, ...]:
    return tuple(v.strip() for v in value.split(",") if v.strip())


def _pages(value: str) -> frozenset[str]:
    chosen = frozenset(_langs(value))
    if not chosen or chosen - {"stale", "missing", "all"}:
        raise argparse.ArgumentTypeError("use stale, missing, all, or stale,missing")
    return chosen


def _translate_parser(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="translate", required=True)
    p = sub.add_parser("export", help="one XLIFF 1.2 file per language, to send to translators")
    p.add_argument("--site", type=Path, default=Path("."), help="site folder (default: .)")
    p.add_argument("--to", type=_langs, required=True, metavar="nl[,fr,de]")
    p.add_argument(
        "--pages",
        type=_pages,
        default=frozenset({"stale", "missing"}),
        metavar="stale|missing|all",
        help="which pages (default: stale,missing)",
    )
    p.add_argument(
        "--out", type=Path, help="file to write (default: translations-LANG.xlf; {lang} allowed)"
    )
    p = sub.add_parser("import", help="write the translations of an XLIFF file into <lang>.md")
    p.add_argument("file", type=Path, help="the XLIFF file the translators sent back")
    p.add_argument("--site", type=Path, default=Path("."), help="site folder (default: .)")


def _fail_on(value: str) -> frozenset[str]:
    states = frozenset(s.strip() for s in value.split(",") if s.strip())
    unknown = states - {"missing", "stale"}
    if unknown:
        raise argparse.ArgumentTypeError(
            f"unknown state {', '.join(sorted(unknown))}; use missing, stale or missing,stale"
        )
    return states


def _base_url(value: str) -> str:
    """A usage error (exit 2) unless it is an http(s) address, which every link is built on."""
    from sitegen.schema.config import web_address

    if not web_address(value):
        raise argparse.ArgumentTypeError("must be a web address starting with https:// or http://")
    return value


def _port(value: str) -> int:
    """A usage error (exit 2) for a port the system cannot bind, not a crash when binding."""
    try:
        port = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{value}' is not a port number") from None
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{port} is not a port: use 1024-65535, e.g. 8000")
    return port
