"""The command line: the one place that prints and chooses exit codes."""

from __future__ import annotations

import argparse
import gc
import os
import sys
import time
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from sitegen.arguments import parser
from sitegen.diagnostics import codes
from sitegen.diagnostics.diagnostic import Diagnostic, has_errors
from sitegen.diagnostics.report import print_diagnostics
from sitegen.incremental import skip

EXIT_OK, EXIT_CONTENT, EXIT_USAGE, EXIT_BUG = 0, 1, 2, 3
# Each full pass of Python's cycle collector walks every object of the heap, and loading a
# site makes them by the million (parsed sources, the model, the cache's records): at the
# default thresholds (700, 10, 10) a one-page edit at 10,000 folders ran six full passes,
# 1.5 s of 9 s. Full passes come now after 400 young ones, not 100. Young passes stay
# frequent: at 100,000 objects a pass, the garbage in cycles that waits for one (a rendered
# page leaves about 250 objects in cycles) took the peak memory of a 1,000-folder build
# from 128 MB to 146 MB; at 10,000 it is 118 MB.
GC_THRESHOLDS = (10_000, 20, 20)


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


def _build(args: argparse.Namespace, out: Path) -> tuple[list[Diagnostic], int]:
    """`sitegen build`: the diagnostics and the number of files. When nothing changed since
    the last build, the renderer is not even imported (a third of a no-change run's time)."""
    stamp = ""
    if not args.no_cache:
        options = skip.build_options(args.base_url, not args.no_search, args.precompress)
        stamp = skip.input_stamp(args.site, options)
        if last := skip.unchanged_build(args.site, out, options, stamp):
            return last.diagnostics, last.files
    from sitegen import pipeline

    result = pipeline.build(
        args.site,
        out,
        args.base_url,
        search=not args.no_search,
        jobs=args.jobs,
        use_cache=not args.no_cache,
        compress=args.precompress,
        stamp=stamp,
    )
    return result.diagnostics, result.files


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
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


def entry() -> NoReturn:
    """The installed `sitegen` command: main() with the collector's thresholds raised
    (GC_THRESHOLDS), then leave without Python's teardown.

    Freeing a site's model object by object took 0.04-0.05 s of a 0.9 s one-page edit at
    1,000 folders; the system takes the memory back at once. By the time main returns,
    every file sitegen wrote is closed, no worker or indexer runs, and temporary folders
    are gone (all of them are `with` blocks); only the standard streams need flushing.
    Tests call main(), which returns as usual; so does a run under a profiler or a coverage
    tool (`python -m cProfile -m sitegen ...`), which writes its report at exit.
    """
    gc.set_threshold(*GC_THRESHOLDS)
    code = main()
    if sys.getprofile() is not None or sys.gettrace() is not None:
        sys.exit(code)
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except OSError:  # the reader left (`sitegen status | head`): nothing more to say
        pass
    os._exit(code)


def _run(args: argparse.Namespace) -> int:
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
        if not done and not has_errors(problems):
            done = ["nothing to accept: the record already matches"]
        for line in done:
            print(line)
        if any(d.code == codes.UNKNOWN_LANGUAGE for d in problems):
            return EXIT_USAGE  # a mistake in the command, as for `translate export --to`
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
        from sitegen import pipeline

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
        diagnostics, files = _build(args, out)
        print_diagnostics(diagnostics, args.site, args.format, files=files)
        if has_errors(diagnostics):
            print("build failed; the previous build was left as it was", file=sys.stderr)
            return EXIT_CONTENT
        elapsed = time.perf_counter() - start
        print(f"built {files} files into {out} in {elapsed:.2f}s", file=sys.stderr)
        if warned := sum(1 for d in diagnostics if d.severity == "warning"):
            print(
                f"{warned} warning(s) above: the site was built, but fix them before publishing "
                "(CI runs 'sitegen check --strict', which fails on them)",
                file=sys.stderr,
            )
        return EXIT_OK
    from sitegen.serve.run import serve

    return serve(args.site, out, args.host, args.port, args.base_url)
