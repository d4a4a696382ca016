"""`sitegen serve` on 127.0.0.1: serves the build, rebuilds on edit, tells the open pages."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from sitegen.serve.http import EVENTS_URL, RELOAD_TAG, RELOAD_URL, DevServer, ServeState, page_url
from sitegen.serve.session import changed_urls
from tests.conftest import write


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def wait_for(predicate: object, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if predicate():  # type: ignore[operator]
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise AssertionError("timed out")


@contextmanager
def serving(site: Path, log: Path | None = None) -> Iterator[str]:
    """`sitegen serve` in its own process group on a free port; yields its base URL.

    The server's stderr goes to `log` (a file beside the site unless given), so a test can read
    it afterwards, and a server that dies on start-up fails the test with its messages.
    """
    port = free_port()
    log = log or site.parent / "serve.log"
    with log.open("wb") as err:
        proc = subprocess.Popen(
            [sys.executable, "-m", "sitegen", "serve", "--site", str(site), "--port", str(port)],
            stdout=subprocess.DEVNULL,
            stderr=err,
            start_new_session=True,
        )
    base = f"http://127.0.0.1:{port}"

    def ready() -> bool:
        if proc.poll() is not None:
            raise AssertionError(f"sitegen serve exited:\n{log.read_text(errors='replace')}")
        return fetch(base + "/en/")[0] == 200

    try:
        wait_for(ready, timeout=60)  # the first build, on a busy machine
        yield base
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=10)


@pytest.fixture
def server(site: Path) -> Iterator[str]:
    with serving(site) as base:
        yield base


def test_serve_answers_on_loopback_and_rebuilds_after_an_edit(server: str, site: Path) -> None:
    status, html = fetch(server + "/en/partners/imec/")
    assert status == 200 and "imec was founded in 1984" in html
    page = site / "content/partners/imec/en.md"
    page.write_text(page.read_text().replace("founded in 1984", "set up in 1984"))
    wait_for(lambda: "imec was set up in 1984" in fetch(server + "/en/partners/imec/")[1])


def test_broken_edit_keeps_last_good_page_with_error_overlay(server: str, site: Path) -> None:
    write(site / "content/partners/imec/en.md", "---\ntitle: imec\n")
    wait_for(lambda: "sitegen-errors" in fetch(server + "/en/partners/imec/")[1])
    html = fetch(server + "/en/partners/imec/")[1]
    assert "content/partners/imec/en.md:1:1" in html and "imec was founded" in html
    write(site / "content/partners/imec/en.md", "---\ntitle: imec\ndescription: x\n---\nFixed.\n")
    wait_for(lambda: "sitegen-errors" not in fetch(server + "/en/partners/imec/")[1])


def test_serve_redirects_folders_and_answers_404_in_the_language(server: str) -> None:
    status, html = fetch(server + "/fr/nothing-here/")
    assert status == 404 and "Page introuvable" in html
    assert fetch(server + "/../../etc/passwd")[0] == 404
    assert fetch(server + "/%2e%2e/%2e%2e/etc/passwd")[0] == 404


class Events:
    """A tab's view of /_sitegen/events: the URL lists the server pushes, one at a time."""

    def __init__(self, base: str, query: str = "") -> None:
        self.response = urllib.request.urlopen(base + EVENTS_URL + query, timeout=20)
        self.lines: list[bytes] = [self.response.readline()]  # the stream is open

    def next_urls(self) -> list[str]:
        while line := self.response.readline():
            self.lines.append(line)
            if line.startswith(b"data: ["):
                return list(json.loads(line[len(b"data: ") :]))
        raise AssertionError("the event stream ended")

    def close(self) -> None:
        self.response.close()


@contextmanager
def events(base: str, query: str = "") -> Iterator[Events]:
    stream = Events(base, query)
    try:
        yield stream
    finally:
        stream.close()


def test_edit_pushes_an_event_naming_the_page_which_then_has_the_new_text(
    server: str, site: Path
) -> None:
    with events(server) as stream:
        page = site / "content/partners/imec/en.md"
        page.write_text(page.read_text().replace("founded in 1984", "set up in 1984"))
        urls = stream.next_urls()
        assert "/en/partners/imec/" in urls
        assert "/en/partners/vib/" not in urls and "*" not in urls
        assert "imec was set up in 1984" in fetch(server + "/en/partners/imec/")[1]


def test_broken_build_and_its_fix_reload_every_page(server: str, site: Path) -> None:
    with events(server) as stream:
        good = (site / "content/partners/vib/en.md").read_text()
        write(site / "content/partners/vib/en.md", "---\ntitle: vib\n")
        assert stream.next_urls() == ["*"]  # the overlay is on every page
        assert "sitegen-errors" in fetch(server + "/en/partners/imec/")[1]
        write(site / "content/partners/vib/en.md", good)
        assert stream.next_urls() == ["*"]
        assert "sitegen-errors" not in fetch(server + "/en/partners/imec/")[1]


def test_reload_script_is_served_in_pages_but_never_written_into_the_build(
    server: str, site: Path
) -> None:
    html = fetch(server + "/en/partners/imec/")[1]
    assert html.count(RELOAD_TAG.decode()) == 1
    assert html.index(RELOAD_TAG.decode()) < html.index("</body>")
    assert RELOAD_TAG.decode() in fetch(server + "/fr/nothing-here/")[1]  # the 404 page too
    built = [p.read_bytes() for p in (site / "build").rglob("*.html")]
    assert built and not any(b"/_sitegen/" in page for page in built)
    with urllib.request.urlopen(server + RELOAD_URL, timeout=5) as response:
        assert response.headers["Content-Type"].startswith("text/javascript")
        script = response.read().decode()
    assert "EventSource" in script and EVENTS_URL in script
    with urllib.request.urlopen(server + EVENTS_URL, timeout=5) as response:
        assert response.headers["Content-Type"] == "text/event-stream"


def test_port_in_use_is_a_clear_error_not_a_traceback(site: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run(
            [sys.executable, "-m", "sitegen", "serve", "--site", str(site), "--port", str(port)],
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert done.returncode == 1
    assert f"cannot listen on 127.0.0.1:{port}: the port is in use" in done.stderr
    assert "hint: stop the other server" in done.stderr and "Traceback" not in done.stderr


def _as_in_a_terminal() -> None:
    """Ctrl+C as a terminal sends it to a server in the foreground. A test run started in the
    background (`cmd &` in a script) has SIGINT ignored, and Python keeps an inherited SIG_IGN,
    so without this the server would never see the signal."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@contextmanager
def stoppable(site: Path, **popen: object) -> Iterator[tuple[subprocess.Popen[bytes], str]]:
    """`sitegen serve` with its stderr piped, once it answers: (the process, its base URL).
    For the tests that stop it themselves; whatever is still running afterwards is killed."""
    port = free_port()
    proc = subprocess.Popen(  # type: ignore[call-overload]
        [sys.executable, "-m", "sitegen", "serve", "--site", str(site), "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
        **popen,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(lambda: fetch(base + "/en/")[0] == 200)
        yield proc, base
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        if proc.stderr is not None:  # a failure here must not leak a pipe into later tests
            proc.stderr.close()


def test_ctrl_c_stops_the_server_cleanly(site: Path, tmp_path: Path) -> None:
    with stoppable(site, preexec_fn=_as_in_a_terminal) as (proc, base):
        with events(base):  # an open tab must not keep it running
            proc.send_signal(signal.SIGINT)
            _, err = proc.communicate(timeout=10)
    assert proc.returncode == 0 and b"stopped" in err and b"Traceback" not in err


def test_kill_stops_serve_and_its_search_indexer_leaving_nothing_behind(
    site: Path, tmp_path: Path
) -> None:
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    with stoppable(site, env=os.environ | {"TMPDIR": str(tmp)}) as (proc, _base):
        proc.terminate()  # while the first search index is likely being made
        _, err = proc.communicate(timeout=20)
    assert proc.returncode == 0 and b"Traceback" not in err, err
    assert list(tmp.iterdir()) == []  # Pagefind's temporary copy of the site is gone
    assert not [p.name for p in site.iterdir() if p.name.startswith(".build.new-")]


def test_a_second_kill_while_serve_stops_does_not_cut_the_stop_short(site: Path) -> None:
    # `timeout make serve` sends one SIGTERM from timeout and one from make: the second used
    # to land in the cleanup and end serve with an internal error.
    with stoppable(site) as (proc, _base):
        proc.terminate()
        time.sleep(0.02)
        proc.terminate()
        _, err = proc.communicate(timeout=20)
    assert proc.returncode == 0 and b"stopped" in err, err
    assert b"internal error" not in err and b"Traceback" not in err, err


@pytest.fixture
def dev(tmp_path: Path) -> Iterator[tuple[DevServer, str]]:
    """The dev server alone, in this process, over a one-page build."""
    write(tmp_path / "build/en/index.html", "<html><body><p>Hello</p></body></html>")
    server = DevServer(tmp_path / "build", ServeState(), port=0, keepalive=0.2)
    server.start()
    try:
        yield server, f"http://127.0.0.1:{server.port}"
    finally:
        server.close()


def test_idle_event_stream_is_kept_alive(dev: tuple[DevServer, str]) -> None:
    with events(dev[1]) as stream:
        assert stream.response.readline() == b"\n"  # end of the retry field
        while not stream.lines[-1].startswith(b"data: hello"):
            stream.lines.append(stream.response.readline())
        stream.response.readline()
        assert stream.response.readline() == b": keep-alive\n"


def test_tab_that_reconnects_gets_the_events_it_missed(dev: tuple[DevServer, str]) -> None:
    server, base = dev
    with events(base) as first:
        server.notify(["/en/a/"])
        assert first.next_urls() == ["/_status/", "/en/a/"]
        last = [line for line in first.lines if line.startswith(b"id: ")][-1].split()[1]
    server.notify(["/en/b/"])  # while the tab was reloading or in the background
    with events(base, f"?last={last.decode()}") as again:
        assert again.next_urls() == ["/_status/", "/en/b/"]
    with events(base, "?last=0123abcd-1") as after_restart:  # from another server's run
        assert after_restart.next_urls() == ["*"]


def test_a_tab_that_went_away_does_not_disturb_the_others(
    dev: tuple[DevServer, str], capfd: pytest.CaptureFixture[str]
) -> None:
    server, base = dev
    with events(base) as staying:
        gone = Events(base)
        gone.close()
        for n in range(5):
            server.notify([f"/en/{n}/"])
            time.sleep(0.02)
        assert [staying.next_urls() for _ in range(5)][-1] == ["/_status/", "/en/4/"]
    status, html = fetch(base + "/en/")
    assert status == 200 and html.endswith(RELOAD_TAG.decode() + "</body></html>")
    assert "Traceback" not in capfd.readouterr().err


@pytest.mark.parametrize(
    ("name", "url"),
    [
        ("index.html", "/"),
        ("en/index.html", "/en/"),
        ("en/partners/imec/index.html", "/en/partners/imec/"),
        ("en/404.html", "/en/404.html"),
        ("en/feed.xml", None),
        ("assets/css/site.css", None),
    ],
)
def test_built_files_map_to_the_addresses_a_tab_shows(name: str, url: str | None) -> None:
    assert page_url(name) == url


def test_only_pages_whose_html_changed_are_reloaded() -> None:
    before = {"en/a/index.html": "1", "en/b/index.html": "2", "sitemap.xml": "3"}
    after = {"en/a/index.html": "1", "en/b/index.html": "9", "en/c/index.html": "4"}
    assert changed_urls(before, after) == ["/en/b/", "/en/c/"]
