"""`sitegen serve` on 127.0.0.1: serves the build, rebuilds on edit, shows errors in the page."""

from __future__ import annotations

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

    With `log`, the server's stderr goes to that file so a test can read it afterwards.
    """
    port = free_port()
    err = log.open("wb") if log else subprocess.DEVNULL
    proc = subprocess.Popen(
        [sys.executable, "-m", "sitegen", "serve", "--site", str(site), "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=err,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(lambda: fetch(base + "/en/")[0] == 200)
        yield base
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=10)
        if log:
            err.close()  # type: ignore[union-attr]


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
