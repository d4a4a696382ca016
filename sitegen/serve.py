"""`sitegen serve`: build, serve build/ with live reload, rebuild on every change.

A broken build keeps the last good site on screen with the errors laid over it.
"""

from __future__ import annotations

import html
import mimetypes
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote

from sitegen import pipeline
from sitegen.cli import print_diagnostics
from sitegen.diagnostics import SourceLines, format_text
from sitegen.parallel import default_jobs

StartResponse = Callable[[str, list[tuple[str, str]]], Any]


@dataclass(slots=True)
class ServeState:
    """The messages of the last build; empty when it succeeded."""

    errors: list[str] = field(default_factory=list)
    site: Path | None = None  # for the translation status page at /_status/


def overlay(messages: list[str]) -> bytes:
    items = "".join(f"<pre>{html.escape(m)}</pre>" for m in messages)
    return (
        '<div id="sitegen-errors" role="alert" style="position:fixed;inset:auto 0 0 0;'
        "max-height:60vh;overflow:auto;z-index:99999;background:#2b0b0b;color:#fff;"
        'font:14px/1.4 monospace;padding:1rem;border-top:4px solid #e33">'
        "<strong>The last change broke the build. The page below is the last good build."
        f"</strong>{items}</div>"
    ).encode()


def resolve_request(root: Path, url_path: str) -> tuple[Path | None, str | None]:
    """Map a URL path to a file under root; (None, redirect) for folders without '/'."""
    decoded = unquote(url_path)
    if "\x00" in decoded or "\\" in decoded:
        return None, None
    parts = [p for p in decoded.split("/") if p not in ("", ".")]
    if ".." in parts:
        return None, None
    base = root.resolve()
    try:  # a name too long for the file system is simply not there
        target = base.joinpath(*parts).resolve() if parts else base
        if not target.is_relative_to(base):
            return None, None
        if target.is_dir():
            if not decoded.endswith("/"):
                # rebuilt from the parts: "//host" would send the browser to another site
                return None, quote("/" + "".join(part + "/" for part in parts))
            target = target / "index.html"
        return (target if target.is_file() else None), None
    except (OSError, ValueError):
        return None, None


STATUS_URL = "/_status/"


def status_page(site: Path) -> bytes:
    """The translation status, made on request from memory; never written into build/."""
    from sitegen.status import status_html, translation_status

    report, problems = translation_status(site)
    if report is None:
        return overlay([d.format() for d in problems])
    return status_html(report)


def make_app(
    root: Path, state: ServeState
) -> Callable[[dict[str, Any], StartResponse], Iterable[bytes]]:
    """A small WSGI app over the build folder that never serves a file outside it."""

    def app(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        url_path = environ.get("PATH_INFO", "/") or "/"
        if url_path.rstrip("/") == STATUS_URL.rstrip("/") and state.site is not None:
            start_response(
                "200 OK",
                [("Content-Type", "text/html; charset=utf-8"), ("Cache-Control", "no-store")],
            )
            return [status_page(state.site)]
        target, redirect = resolve_request(root, url_path)
        if redirect:
            start_response("301 Moved Permanently", [("Location", redirect)])
            return [b""]
        status = "200 OK"
        if target is None:
            status = "404 Not Found"
            first = [p for p in url_path.split("/") if p][:1]
            target = resolve_request(root, f"/{first[0]}/404.html")[0] if first else None
            if target is None:
                start_response(status, [("Content-Type", "text/plain; charset=utf-8")])
                return [b"not found"]
        body = target.read_bytes()
        ctype = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        if ctype == "text/html":
            ctype += "; charset=utf-8"
            if state.errors:
                body = body.replace(b"</body>", overlay(state.errors) + b"</body>", 1)
        start_response(status, [("Content-Type", ctype), ("Cache-Control", "no-store")])
        return [body]

    return app


def rebuild(site: Path, out: Path, base_url: str | None, state: ServeState) -> bool:
    start = time.perf_counter()
    # The cache makes a rebuild re-render only the pages the edit touched.
    # A preview needs no precompressed files: the dev server never sends them.
    result = pipeline.build(
        site, out, base_url, jobs=default_jobs(), use_cache=True, compress=False
    )
    print_diagnostics(result.diagnostics, site)
    source = SourceLines(site)
    state.errors = [format_text(d, source) for d in result.diagnostics if d.severity == "error"]
    if result.ok:
        elapsed = time.perf_counter() - start
        print(f"rebuilt {result.files} files in {elapsed:.2f}s", file=sys.stderr)
    else:
        print("build failed; still serving the last good build", file=sys.stderr)
    return result.ok


def serve(site: Path, out: Path, host: str, port: int, base_url: str | None) -> int:
    from livereload import Server
    from livereload.handlers import LiveReloadHandler

    # livereload skips a browser reload within 3 s of the previous one, so a fix saved soon
    # after a broken edit would leave the error overlay up; each rebuild is one reload anyway.
    LiveReloadHandler.DEFAULT_RELOAD_TIME = 0
    base = base_url or f"http://{host}:{port}/"
    state = ServeState(site=site)
    rebuild(site, out, base, state)
    out.mkdir(parents=True, exist_ok=True)
    server = Server(app=make_app(out, state))
    for folder in ("content", "templates", "assets"):
        if (site / folder).is_dir():
            server.watch(str(site / folder), lambda: rebuild(site, out, base, state), delay=0)
    print(f"serving http://{host}:{port}/ (Ctrl+C to stop)", file=sys.stderr)
    print(f"translation status: http://{host}:{port}{STATUS_URL}", file=sys.stderr)
    server.serve(host=host, port=port, debug=False, restart_delay=0)
    return 0
