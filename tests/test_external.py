"""`sitegen check --external` against local HTTP servers only: never the internet."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from sitegen.commands import linkcheck
from sitegen.diagnostics import codes
from tests.conftest import Run, write


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: object) -> None:
        pass

    def _answer(self, send_body: bool) -> None:
        self.server.seen.append(f"{self.command} {self.path}")
        path = self.path
        if path == "/slow":
            time.sleep(1.0)
        if path == "/moved":
            self.send_response(301)
            self.send_header("Location", f"http://localhost:{self.server.server_port}/ok")
        elif path == "/moved-here":
            self.send_response(301)
            self.send_header("Location", "/ok")
        elif path == "/no-head" and self.command == "HEAD":
            self.send_response(405)
        elif path == "/busy" and self.server.seen.count(f"{self.command} /busy") == 1:
            self.send_response(503)
            self.send_header("Retry-After", "0")
        elif path in ("/ok", "/no-head", "/busy", "/slow"):
            self.send_response(200)
        else:
            self.send_response(404)
        self.send_header("Content-Length", "2" if send_body else "0")
        self.end_headers()
        if send_body and self.command == "GET":
            self.wfile.write(b"ok")

    def do_HEAD(self) -> None:
        self._answer(False)

    def do_GET(self) -> None:
        self._answer(True)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    seen: list[str]


@pytest.fixture(autouse=True)
def no_internet(monkeypatch: pytest.MonkeyPatch) -> None:
    """Only this machine's servers: any other host name fails as if DNS did not know it."""
    real = socket.getaddrinfo

    def local_only(host: object, *args: object, **kwargs: object) -> object:
        if host not in ("127.0.0.1", "localhost"):
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return real(host, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(socket, "getaddrinfo", local_only)


@pytest.fixture
def server() -> Iterator[_Server]:
    httpd = _Server(("127.0.0.1", 0), _Handler)
    httpd.seen = []
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield httpd
    finally:
        httpd.shutdown()
        httpd.server_close()


def _base(server: _Server) -> str:
    return f"http://127.0.0.1:{server.server_port}"


def _refused_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port  # closed again: nothing listens there


def test_a_page_that_answers_is_alive(server: _Server) -> None:
    assert linkcheck.ask(_base(server) + "/ok") == ""
    assert server.seen == ["HEAD /ok"], "HEAD is enough when the server answers it"


def test_a_page_that_is_gone_is_dead_with_its_status(server: _Server) -> None:
    assert linkcheck.ask(_base(server) + "/gone") == "answers 404 Not Found"


def test_a_server_that_refuses_head_is_asked_with_get(server: _Server) -> None:
    assert linkcheck.ask(_base(server) + "/no-head") == ""
    assert server.seen == ["HEAD /no-head", "GET /no-head"]


def test_a_redirect_to_another_host_is_dead_but_one_on_the_same_host_is_not(
    server: _Server,
) -> None:
    problem = linkcheck.ask(_base(server) + "/moved")
    assert problem == f"redirects to another site: http://localhost:{server.server_port}/ok"
    assert linkcheck.ask(_base(server) + "/moved-here") == ""


def test_a_busy_server_is_asked_again_after_a_pause(server: _Server) -> None:
    assert linkcheck.ask(_base(server) + "/busy", backoff=0.01) == ""
    assert server.seen == ["HEAD /busy", "HEAD /busy"]


def test_a_slow_server_gets_a_time_limit(server: _Server) -> None:
    start = time.monotonic()
    assert linkcheck.ask(_base(server) + "/slow", timeout=0.2) == "no answer within 0.2 s"
    assert time.monotonic() - start < 1.5
    assert len(server.seen) == 1 + linkcheck.RETRIES


def test_a_refused_connection_is_dead() -> None:
    problem = linkcheck.ask(f"http://127.0.0.1:{_refused_port()}/")
    assert problem == "the server refuses connections"


def test_an_unknown_host_name_is_dead() -> None:
    assert linkcheck.ask("http://no-such-host.invalid/") == "its host name is not found (DNS)"


def test_answers_are_remembered_for_a_day(tmp_path: Path) -> None:
    asked: list[str] = []
    clock = [1_000_000.0]

    def asker(url: str) -> str:
        asked.append(url)
        return "answers 404 Not Found" if "gone" in url else ""

    cache = tmp_path / "external.json"
    urls = ["https://a.example/ok", "https://a.example/gone", "https://b.example/"]
    first = linkcheck.check_urls(urls, cache, asker, lambda: clock[0])
    assert first["https://a.example/gone"] == "answers 404 Not Found"
    clock[0] += 23 * 3600
    assert linkcheck.check_urls(urls, cache, asker, lambda: clock[0]) == first
    assert len(asked) == 3, "within a day nothing is asked again"
    clock[0] += 2 * 3600
    linkcheck.check_urls(urls, cache, asker, lambda: clock[0])
    assert len(asked) == 6


def test_check_external_warns_at_the_line_of_each_dead_source_website_and_link(
    run: Run, site: Path, server: _Server
) -> None:
    base = _base(server)
    write(
        site / "content/partners/vib/data.yaml",
        f"website: {base}/ok\n"
        "sources:\n"
        "  - title: Alive\n"
        f"    url: {base}/ok\n"
        "  - title: Gone\n"
        f"    url: {base}/gone\n",
    )
    write(site / "content/partners/imec/data.yaml", "clusters: [ict, life-sciences]\n")
    imec = site / "content/partners/imec/en.md"
    imec.write_text(imec.read_text() + f"\nSee [the old page]({base}/moved).\n")
    imec_line = len(imec.read_text().splitlines())
    code, out, err = run("check", "--site", site, "--external", "--format", "json")
    assert code == 0, "dead sources are warnings"
    problems = [p for p in json.loads(out)["diagnostics"] if p["code"] == codes.DEAD_EXTERNAL_LINK]
    assert [(p["path"], p["line"], p["severity"]) for p in problems] == [
        ("content/partners/imec/en.md", imec_line, "warning"),
        ("content/partners/vib/data.yaml", 6, "warning"),
    ]
    assert f"the source {base}/gone answers 404 Not Found" == problems[1]["message"]
    assert "redirects to another site" in str(problems[0]["message"])
    assert "checked 3 external addresses: 2 dead" in err
    assert (site / ".sitegen-cache/external.json").is_file()
    asked = len(server.seen)
    code, _, err = run("check", "--site", site, "--external", "--strict")
    assert code == 1, "--strict fails on them"
    assert "data.yaml:6:10: warning: the source" in err
    assert len(server.seen) == asked, "the answers of the first run were kept"


def test_check_without_external_asks_nothing(run: Run, site: Path, server: _Server) -> None:
    write(site / "content/partners/vib/data.yaml", f"website: {_base(server)}/gone\n")
    code, _, err = run("check", "--site", site)
    assert code == 0, err
    assert server.seen == []
