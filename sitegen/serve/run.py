"""`sitegen serve`: build, serve the build, rebuild on every save, reload the pages it changed.

A broken build keeps the last good site on screen with the errors laid over it. The loop is
watch (sitegen/watch.py) -> rebuild (a `Rebuilder`) -> tell the open pages (sitegen/devserver.py).
"""

from __future__ import annotations

import errno
import signal
import sys
import traceback
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, Protocol

from sitegen.incremental.cores import default_jobs
from sitegen.serve.http import (
    EVERY_PAGE,
    STATUS_URL,
    DevServer,
    ServeState,
    resolve_request,
    respond,
)
from sitegen.serve.session import LiveRebuilder
from sitegen.serve.watch import Watcher

__all__ = ["Rebuilder", "ServeState", "make_app", "resolve_request", "serve"]

WATCHED = ("content", "templates", "assets")
StartResponse = Callable[[str, list[tuple[str, str]]], Any]


class Rebuilder(Protocol):
    """Turns saved files into a new build; says which page addresses changed."""

    def first(self) -> None:
        """The build before serving starts."""

    def apply(self, changed: set[Path]) -> list[str]:
        """Rebuild after these files changed; the URL paths to reload, ["*"] for all."""


def make_app(
    root: Path, state: ServeState
) -> Callable[[dict[str, Any], StartResponse], Iterable[bytes]]:
    """The dev server's answers as a WSGI app, to call in-process without a socket."""

    def app(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        reply = respond(root, state, environ.get("PATH_INFO", "/") or "/")
        reason = {200: "OK", 301: "Moved Permanently", 404: "Not Found"}[reply.status]
        start_response(f"{reply.status} {reason}", reply.headers)
        return [reply.body]

    return app


def watch_and_reload(watcher: Watcher, rebuilder: Rebuilder, server: DevServer) -> None:
    """Forever: wait for saves, rebuild, reload the pages that changed."""
    while True:
        changed = watcher.wait(timeout=0.5)  # short, so Ctrl+C and kill are seen at once
        if not changed:
            continue
        try:
            urls = rebuilder.apply(changed)
        except Exception:  # a bug in sitegen: show it, keep serving the last build
            message = traceback.format_exc()
            print(message, file=sys.stderr)
            server.state.errors = [f"sitegen crashed while rebuilding (a bug):\n{message}"]
            urls = [EVERY_PAGE]
        if urls:
            server.notify(urls)


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def serve(site: Path, out: Path, host: str, port: int, base_url: str | None) -> int:
    state = ServeState(site=site)
    try:
        server = DevServer(out, state, host, port)
    except OSError as exc:
        reason = "the port is in use" if exc.errno == errno.EADDRINUSE else exc.strerror or exc
        print(
            f"sitegen: error: cannot listen on {host}:{port}: {reason}\n"
            "  hint: stop the other server, or choose another port with --port",
            file=sys.stderr,
        )
        return 1
    base = base_url or f"http://{host}:{server.port}/"
    # Watching starts before the first build, so a save made during it is not missed.
    watcher = Watcher([site / folder for folder in WATCHED])
    # `kill` (SIGTERM) stops serve as Ctrl+C does, so the search indexer is stopped too.
    signal.signal(signal.SIGTERM, _interrupt)
    rebuilder = LiveRebuilder(site, out, base, state, default_jobs())
    try:
        rebuilder.first()
        out.mkdir(parents=True, exist_ok=True)
        server.start()
        print(f"serving http://{host}:{server.port}/ (Ctrl+C to stop)", file=sys.stderr)
        print(f"translation status: http://{host}:{server.port}{STATUS_URL}", file=sys.stderr)
        if watcher.kind == "polling":
            print("watching for changes by polling (inotify is not available)", file=sys.stderr)
        watch_and_reload(watcher, rebuilder, server)
    except KeyboardInterrupt:
        print("stopped", file=sys.stderr)
    finally:
        # A second Ctrl+C or kill while stopping (`timeout make serve` sends one from each)
        # must not cut the stop short and leave the indexer or a half-closed server behind.
        kept = {sig: signal.signal(sig, signal.SIG_IGN) for sig in (signal.SIGINT, signal.SIGTERM)}
        try:
            rebuilder.close()
            watcher.close()
            server.close()
        finally:
            for sig, handler in kept.items():
                signal.signal(sig, handler)
    return 0
