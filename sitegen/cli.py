"""The command line: the one place that prints and chooses exit codes."""

from __future__ import annotations

import argparse
import os
import sys
import time
import traceback
from collections.abc import Sequence
from pathlib import Path

from sitegen import __version__
from sitegen.diagnostics import codes
from sitegen.diagnostics.diagnostic import has_errors
from sitegen.diagnostics.report import print_diagnostics
from sitegen.incremental.parallel import default_jobs

EXIT_OK, EXIT_CONTENT, EXIT_USAGE, EXIT_BUG = 0, 1, 2, 3


def _parser() -> argparse.ArgumentParser:
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
    p.add_argument("--port", type=int, default=8000, help="port (default: 8000)")
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


def _move(args: argparse.Namespace) -> int:
    """`sitegen move` and `sitegen remove`: the plan's lines on stdout, problems on stderr."""
    from sitegen.commands import move

    if args.command == "move":
        plan, diags = move.plan_move(args.site, args.old, args.new)
    else:
        plan, diags = move.plan_remove(args.site, args.old, args.unlink)
    lines, problems = move.run_plan(args.site, plan, diags, args.dry_run, args.force)
    for line in lines:
        print(line)
    print_diagnostics(problems)
    if not problems and not args.dry_run:
        print("done: run 'sitegen check', then commit the changes", file=sys.stderr)
    return EXIT_CONTENT if problems else EXIT_OK


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


def _translate(args: argparse.Namespace) -> int:
    """`sitegen translate export|import`."""
    from sitegen.commands import translate

    if args.translate == "export":
        done, problems, usage = translate.export(args.site, args.to, args.pages, args.out)
        print_diagnostics(problems, args.site)
        for line in done:
            print(line)
        return EXIT_USAGE if usage else EXIT_CONTENT if has_errors(problems) else EXIT_OK
    shown = os.path.relpath(args.file) if args.file.is_absolute() else str(args.file)
    done, problems, refused = translate.import_file(args.site, args.file, shown)
    print_diagnostics(problems, args.site)
    print_diagnostics(refused, Path.cwd())
    if refused:
        print(f"refused {shown}: nothing was written", file=sys.stderr)
        return EXIT_CONTENT
    for line in done:
        print(line)
    return EXIT_CONTENT if has_errors(problems) else EXIT_OK


def _hosting(args: argparse.Namespace) -> int:
    """`sitegen hosting nginx|changes`: print a config or a deploy plan on stdout."""
    from sitegen.commands.hosting import deploy_plan, nginx_text
    from sitegen.output import hosting, manifest

    try:
        if args.hosting == "changes":
            plan = deploy_plan(args.online, args.built, args.allow_removals)
            if plan.refused:
                print(plan.refused, file=sys.stderr)
                return EXIT_CONTENT
            for note in plan.notes:
                print(note, file=sys.stderr)
            for name in plan.upload:
                print(f"upload {name}")
            for name in plan.delete:
                print(f"delete {name}")
            print(f"{len(plan.upload)} to upload, {len(plan.delete)} to delete", file=sys.stderr)
            return EXIT_OK
        text, diagnostics = nginx_text(args.site, args.root, args.port, args.prefix)
        print_diagnostics(diagnostics, args.site)
        if text is None:
            return EXIT_CONTENT
        print(text, end="")
        return EXIT_OK
    except (hosting.HostingError, manifest.ManifestError) as exc:
        print(f"sitegen: error: {exc}", file=sys.stderr)
        return EXIT_USAGE


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


def _out_dir(site: Path, out: Path | None) -> Path | None:
    """The output folder, refused when it would overwrite the site's own sources."""
    target = (out or site / "build").resolve()
    site = site.resolve()
    protected = {site, site / "content", site / "templates", site / "assets", Path("/")}
    if target in protected or target in site.parents:
        return None
    if any(target.is_relative_to(site / name) for name in ("content", "templates", "assets")):
        return None  # a build inside the sources would be read back as content
    return target


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return _run(args)
    except Exception as exc:  # a bug in sitegen, never a content error: say so, plainly
        if args.debug:
            traceback.print_exc()
        print(
            f"sitegen: internal error: {type(exc).__name__}: {exc}\n"
            "  this is a bug in sitegen, not in your content; nothing was published.\n"
            "  hint: run again with --debug and send the traceback to the developers",
            file=sys.stderr,
        )
        return EXIT_BUG


def _run(args: argparse.Namespace) -> int:
    from sitegen import pipeline

    if args.command == "new":
        from sitegen.commands.new import new_page

        created, diagnostics = new_page(args.site, args.kind, args.slug, args.title)
        print_diagnostics(diagnostics)
        for path in created:
            print(f"created {path}")
        return (
            EXIT_OK
            if created
            else EXIT_USAGE
            if any(d.code == codes.UNKNOWN_KIND for d in diagnostics)
            else EXIT_CONTENT
        )
    if args.command in ("move", "remove"):
        return _move(args)
    if args.command == "hosting":
        return _hosting(args)
    if args.command == "schema":
        from sitegen.commands.schema import write_schemas

        done, problems = write_schemas(args.site, args.out or args.site / "schemas", args.vscode)
        print_diagnostics(problems, args.site)
        for line in done or ["the schemas are up to date"]:
            print(line)
        return EXIT_CONTENT if has_errors(problems) else EXIT_OK
    if args.command == "preview-summary":
        from sitegen.commands.preview import GitError, preview_summary

        try:
            text, _ = preview_summary(args.site, args.base, args.artifact)
        except GitError as exc:
            print(f"sitegen: error: cannot compare with '{args.base}': {exc}", file=sys.stderr)
            return EXIT_USAGE
        print(text, end="")
        return EXIT_OK  # informative: the check step is what fails a pull request
    if args.command == "translate":
        return _translate(args)
    if args.command == "status" and (args.accept is not None or args.all):
        from sitegen.commands.accept import accept

        if bool(args.accept) == args.all:
            print("sitegen: error: give --accept PATH, or --accept --all", file=sys.stderr)
            return EXIT_USAGE
        done, problems = accept(args.site, args.accept or None, args.lang)
        print_diagnostics(problems, args.site)
        for line in done or ["nothing to accept: the record already matches"]:
            print(line)
        return EXIT_CONTENT if has_errors(problems) else EXIT_OK
    if args.command == "status":
        from sitegen.commands.status import failing, translation_status
        from sitegen.commands.status_report import status_json, status_text

        report, problems = translation_status(args.site)
        print_diagnostics(problems, args.site)
        if report is None:
            return EXIT_CONTENT
        print(status_json(report) if args.format == "json" else status_text(report))
        return EXIT_CONTENT if failing(report, args.fail_on) else EXIT_OK
    if args.command == "check":
        result = pipeline.check(
            args.site, args.base_url, jobs=args.jobs, use_cache=not args.no_cache
        )
        if args.external and result.ok:
            from sitegen.commands.linkcheck import check_external

            dead, asked = check_external(args.site)
            result.diagnostics = sorted(result.diagnostics + dead)
            print(f"checked {asked} external addresses: {len(dead)} dead", file=sys.stderr)
        ok = result.ok and not (args.strict and result.diagnostics)
        print_diagnostics(result.diagnostics, args.site, args.format, files=result.files, ok=ok)
        if args.format == "text" and ok:
            print(f"ok: {result.files} files would be written", file=sys.stderr)
        elif args.format == "text" and result.ok:
            print("check failed: --strict makes every warning fail", file=sys.stderr)
        return EXIT_OK if ok else EXIT_CONTENT
    out = _out_dir(args.site, args.out)
    if out is None:
        print(
            "sitegen: error: --out must not be the site folder or one of its sources",
            file=sys.stderr,
        )
        return EXIT_USAGE
    if args.command == "build":
        start = time.perf_counter()
        result = pipeline.build(
            args.site,
            out,
            args.base_url,
            search=not args.no_search,
            jobs=args.jobs,
            use_cache=not args.no_cache,
            compress=args.precompress,
        )
        print_diagnostics(result.diagnostics, args.site, args.format, files=result.files)
        if not result.ok:
            print("build failed; the previous build was left as it was", file=sys.stderr)
            return EXIT_CONTENT
        elapsed = time.perf_counter() - start
        print(f"built {result.files} files into {out} in {elapsed:.2f}s", file=sys.stderr)
        if warned := sum(1 for d in result.diagnostics if d.severity == "warning"):
            print(
                f"{warned} warning(s) above: the site was built, but fix them before publishing "
                "(CI runs 'sitegen check --strict', which fails on them)",
                file=sys.stderr,
            )
        return EXIT_OK
    from sitegen.serve.run import serve

    return serve(args.site, out, args.host, args.port, args.base_url)
