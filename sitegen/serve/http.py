"""The preview's web server: the build folder, the error overlay, and reloads pushed to pages.

Standard library only. Every HTML answer loads /_sitegen/reload.js (never written into the
build), which listens on /_sitegen/events (Server-Sent Events) and reloads its page only when
an event names it. Pages of a broken build show the last good version under the errors.
"""

from __future__ import annotations

import html
import json
import mimetypes
import queue
import secrets
import socket
import sys
import threading
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote, unquote, urlsplit

STATUS_URL = "/_status/"
EVENTS_URL = "/_sitegen/events"
RELOAD_URL = "/_sitegen/reload.js"
RELOAD_TAG = b'<script src="/_sitegen/reload.js" defer></script>'
EVERY_PAGE = "*"
KEEPALIVE = 15.0  # seconds between comment lines on an idle event stream
HISTORY = 100  # events kept for pages that reconnect after missing some

# An external file, not an inline script: the site's Content-Security-Policy forbids inline.
RELOAD_JS = b"""\
// sitegen serve: reload this page when a rebuild changed it. Never part of the built site.
(() => {
  "use strict";
  const KEY = "sitegen-last-event";
  const page = (path) => path.replace(/index\\.html$/, "");
  const here = page(location.pathname);
  const store = (id) => { try { sessionStorage.setItem(KEY, id); } catch (e) { /* off */ } };
  const stored = () => { try { return sessionStorage.getItem(KEY); } catch (e) { return null; } };
  let source = null;
  const connect = () => {
    // The last event this tab saw, so the server can replay what it missed meanwhile.
    const last = stored();
    const query = last ? "?last=" + encodeURIComponent(last) : "";
    source = new EventSource("/_sitegen/events" + query);
    source.addEventListener("hello", (event) => store(event.lastEventId));
    source.onmessage = (event) => {
      store(event.lastEventId);
      let urls = [];
      try { urls = JSON.parse(event.data); } catch (e) { return; }
      if (urls.includes("*") || urls.some((url) => page(url) === here)) {
        source.close();
        location.reload();
      }
    };
  };
  // A tab in the background lets go of its connection (a browser opens at most six to one
  // server) and catches up on what it missed when it is shown again.
  document.addEventListener("visibilitychange", () => {
    if (document.hidden && source) {
      source.close();
      source = null;
    } else if (!document.hidden && !source) {
      connect();
    }
  });
  if (!document.hidden) connect();
})();
"""


@dataclass(slots=True)
class ServeState:
    """The messages of the last build; empty when it succeeded."""

    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # shown beside the page, never blocking
    site: Path | None = None  # for the translation status page at /_status/


@dataclass(frozen=True, slots=True)
class Reply:
    status: int
    headers: list[tuple[str, str]]
    body: bytes


def overlay(messages: list[str]) -> bytes:
    items = "".join(f"<pre>{html.escape(m)}</pre>" for m in messages)
    return (
        '<div id="sitegen-errors" role="alert" style="position:fixed;inset:auto 0 0 0;'
        "max-height:60vh;overflow:auto;z-index:99999;background:#2b0b0b;color:#fff;"
        'font:14px/1.4 monospace;padding:1rem;border-top:4px solid #e33">'
        "<strong>The last change broke the build. The page below is the last good build."
        f"</strong>{items}</div>"
    ).encode()


def warnings_panel(messages: list[str]) -> bytes:
    """The warnings of the last build, folded at the bottom: they do not stop publishing."""
    items = "".join(f"<pre>{html.escape(m)}</pre>" for m in messages)
    count = f"{len(messages)} warning" + ("" if len(messages) == 1 else "s")
    return (
        '<details id="sitegen-warnings" role="status" style="position:fixed;inset:auto 0 0 0;'
        "max-height:50vh;overflow:auto;z-index:99998;background:#2b2400;color:#fff;"
        'font:14px/1.4 monospace;padding:.5rem 1rem;border-top:4px solid #e3b100">'
        f"<summary><strong>{count}</strong>: the site builds, but fix these before publishing "
        f"(sitegen check lists them too)</summary>{items}</details>"
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


def page_url(name: str) -> str | None:
    """The address of a built file, as location.pathname shows it; None if not a page."""
    if not name.endswith(".html"):
        return None
    if name == "index.html" or name.endswith("/index.html"):
        name = name[: -len("index.html")]
    return quote("/" + name)


def status_page(site: Path) -> bytes:
    """The translation status, made on request from memory; never written into build/."""
    from sitegen.commands.status import translation_status
    from sitegen.commands.status_report import status_html

    report, problems = translation_status(site)
    if report is None:
        return overlay([d.format() for d in problems])
    return status_html(report)


def _html(
    body: bytes, errors: list[str], reload_script: bool, warnings: list[str] | None = None
) -> bytes:
    if errors:
        body = body.replace(b"</body>", overlay(errors) + b"</body>", 1)
    elif warnings:
        body = body.replace(b"</body>", warnings_panel(warnings) + b"</body>", 1)
    if reload_script:
        end = body.rfind(b"</body>")
        end = len(body) if end < 0 else end
        body = body[:end] + RELOAD_TAG + body[end:]
    return body


def respond(root: Path, state: ServeState, url_path: str, reload_script: bool = True) -> Reply:
    """The answer to a GET of url_path: a file of the build, a redirect, or a 404 page."""
    no_store = ("Cache-Control", "no-store")
    if url_path == RELOAD_URL:
        return Reply(200, [("Content-Type", "text/javascript; charset=utf-8"), no_store], RELOAD_JS)
    html_type = ("Content-Type", "text/html; charset=utf-8")
    if url_path.rstrip("/") == STATUS_URL.rstrip("/") and state.site is not None:
        body = _html(status_page(state.site), [], reload_script)
        return Reply(200, [html_type, no_store], body)
    target, redirect = resolve_request(root, url_path)
    if redirect:
        return Reply(301, [("Location", redirect)], b"")
    status = 200
    if target is None:
        status = 404
        first = [p for p in url_path.split("/") if p][:1]
        target = resolve_request(root, f"/{first[0]}/404.html")[0] if first else None
        if target is None:
            return Reply(404, [("Content-Type", "text/plain; charset=utf-8")], b"not found")
    try:
        body = target.read_bytes()
    except OSError:  # swapped out by a rebuild between the lookup and the read
        return Reply(404, [("Content-Type", "text/plain; charset=utf-8")], b"not found")
    ctype = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
    if ctype == "text/html":
        return Reply(
            status, [html_type, no_store], _html(body, state.errors, reload_script, state.warnings)
        )
    return Reply(status, [("Content-Type", ctype), no_store], body)


class _Events:
    """The open event streams, and the last events for pages that reconnect."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._streams: set[queue.SimpleQueue[bytes | None]] = set()
        self._history: deque[tuple[int, bytes]] = deque(maxlen=HISTORY)
        self._instance = secrets.token_hex(4)  # a restarted server is told apart
        self._seq = 0

    def _message(self, seq: int, urls: list[str]) -> bytes:
        return f"id: {self._instance}-{seq}\ndata: {json.dumps(urls)}\n\n".encode()

    def open(self, last: str | None) -> tuple[queue.SimpleQueue[bytes | None], list[bytes]]:
        """A new stream, and what to send first: the events since `last`, then a hello."""
        stream: queue.SimpleQueue[bytes | None] = queue.SimpleQueue()
        with self._lock:
            instance, _, number = (last or "").partition("-")
            missed: list[bytes] = []
            if last and instance == self._instance and number.isdigit():
                seen = int(number)
                missed = [message for seq, message in self._history if seq > seen]
                if self._history and seen < self._history[0][0] - 1:
                    missed = [self._message(self._seq, [EVERY_PAGE])]  # too many to replay
            elif last:  # from before a restart: the page may show anything
                missed = [self._message(self._seq, [EVERY_PAGE])]
            hello = f"event: hello\nid: {self._instance}-{self._seq}\ndata: hello\n\n".encode()
            self._streams.add(stream)
        return stream, [*missed, hello]

    def close(self, stream: queue.SimpleQueue[bytes | None]) -> None:
        with self._lock:
            self._streams.discard(stream)

    def publish(self, urls: list[str]) -> None:
        with self._lock:
            self._seq += 1
            message = self._message(self._seq, urls)
            self._history.append((self._seq, message))
            for stream in self._streams:
                stream.put(message)

    def end(self) -> None:
        with self._lock:
            for stream in self._streams:
                stream.put(None)


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False  # event streams never end by themselves
    request_queue_size = 128  # a page loads many files at once

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A browser that went away mid-answer is normal; anything else is our bug."""
        if not isinstance(sys.exc_info()[1], ConnectionError | TimeoutError):
            super().handle_error(request, client_address)


class _HTTPServer6(_HTTPServer):
    address_family = socket.AF_INET6


class DevServer:
    """Serves root on host:port from a thread; `notify` tells the open pages what changed."""

    def __init__(
        self,
        root: Path,
        state: ServeState,
        host: str = "127.0.0.1",
        port: int = 8000,
        keepalive: float = KEEPALIVE,
    ) -> None:
        """Bind at once, so a port in use fails before the first build (OSError)."""
        self.root = root
        self.state = state
        self.keepalive = keepalive
        self.events = _Events()
        server = _HTTPServer6 if ":" in host else _HTTPServer
        self._httpd = server((host, port), self._handler)
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    def _handler(self, *args: Any) -> BaseHTTPRequestHandler:
        return _Handler(*args, dev=self)

    def start(self) -> None:
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, name="sitegen-http", daemon=True
        )
        self._thread.start()

    def notify(self, urls: Iterable[str]) -> None:
        """Tell every open page that these addresses changed (["*"]: every page)."""
        pages = set(urls)
        if EVERY_PAGE in pages:
            pages = {EVERY_PAGE}
        elif pages:
            pages.add(STATUS_URL)  # the translation status follows every edit
        self.events.publish(sorted(pages))

    def close(self) -> None:
        self.events.end()
        if self._thread is not None:
            self._httpd.shutdown()
            self._thread.join(timeout=5)
        self._httpd.server_close()


class _Handler(BaseHTTPRequestHandler):
    server_version = "sitegen"

    def __init__(self, *args: Any, dev: DevServer) -> None:
        self.dev = dev
        super().__init__(*args)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the terminal is for build messages."""

    def do_GET(self) -> None:
        self._answer(send_body=True)

    def do_HEAD(self) -> None:
        self._answer(send_body=False)

    def _answer(self, send_body: bool) -> None:
        target = self.path
        if not target.startswith("/"):  # absolute form: http://host/path
            target = urlsplit(target).path or "/"
        url_path, _, query = target.partition("?")
        url_path = url_path.partition("#")[0]
        if url_path == EVENTS_URL:
            last = self.headers.get("Last-Event-ID") or parse_qs(query).get("last", [None])[0]
            self._stream(last, send_body)
            return
        reply = respond(self.dev.root, self.dev.state, url_path)
        self.send_response(reply.status)
        for name, value in reply.headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(reply.body)))
        self.end_headers()
        if send_body:
            self.wfile.write(reply.body)

    def _stream(self, last: str | None, send_body: bool) -> None:
        """Server-Sent Events until the page goes away or the server stops."""
        self.close_connection = True
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if not send_body:
            return
        stream, first = self.dev.events.open(last)
        try:
            self.wfile.write(b"retry: 500\n\n" + b"".join(first))
            while True:
                try:
                    message = stream.get(timeout=self.dev.keepalive)
                except queue.Empty:
                    message = b": keep-alive\n\n"
                if message is None:
                    return
                self.wfile.write(message)
        except (ConnectionError, TimeoutError):
            return
        finally:
            self.dev.events.close(stream)
