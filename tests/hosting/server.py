"""A real nginx on 127.0.0.1 for the hosting tests, and a tiny HTTP client to ask it things."""

from __future__ import annotations

import http.client
import os
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Iterator, Mapping
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest

NGINX_CANDIDATES = ("/usr/sbin/nginx", "/usr/bin/nginx")
MIME_TYPES = Path("/etc/nginx/mime.types")


def require_tool(found: str | None, what: str, install: str) -> str:
    """The tool's path; else skip, or fail under CI, where every hosting test must run."""
    if found:
        return found
    message = f"{what} is not installed ({install})"
    if os.environ.get("CI"):
        pytest.fail(f"{message}; CI must run the hosting tests")
    pytest.skip(message)


def find_nginx() -> str | None:
    found = shutil.which("nginx")
    if found:
        return found
    return next((c for c in NGINX_CANDIDATES if Path(c).is_file()), None)


def free_port() -> int:
    with closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def main_config(workdir: Path, includes: list[Path]) -> str:
    """An nginx.conf whose every path (pid, logs, temp files) lives under workdir."""
    temp = workdir / "temp"
    temp.mkdir(parents=True, exist_ok=True)
    # Workers run as `nobody` when the master is root; the build is in a private temp folder.
    user = "user root;\n" if os.geteuid() == 0 else ""
    temp_paths = "".join(
        f"    {kind}_temp_path {temp / kind};\n"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    include = "".join(f"    include {path};\n" for path in includes)
    mime = f"    include {MIME_TYPES};\n" if MIME_TYPES.is_file() else ""
    return (
        f"{user}daemon off;\nmaster_process on;\nworker_processes 1;\n"
        f"pid {workdir / 'nginx.pid'};\nerror_log {workdir / 'error.log'} warn;\n"
        "events { worker_connections 256; }\n"
        "http {\n"
        f"{mime}    default_type application/octet-stream;\n"
        f"    access_log {workdir / 'access.log'};\n"
        f"{temp_paths}{include}"
        "}\n"
    )


@contextmanager
def running_nginx(
    nginx: str, workdir: Path, includes: list[Path], ports: list[int]
) -> Iterator[None]:
    """nginx in the foreground with its own config; stopped (and waited for) on exit."""
    conf = workdir / "nginx.conf"
    conf.write_text(main_config(workdir, includes))
    error_log = workdir / "error.log"
    command = [nginx, "-p", str(workdir), "-c", str(conf), "-e", str(error_log)]
    checked = subprocess.run([*command, "-t", "-q"], capture_output=True, text=True)
    if checked.returncode != 0:
        raise AssertionError(f"nginx refused the generated config:\n{checked.stderr}")
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        _wait_until_listening(process, ports, error_log)
        yield
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stderr is not None:
            process.stderr.close()


def _wait_until_listening(process: subprocess.Popen[bytes], ports: list[int], log: Path) -> None:
    deadline = time.monotonic() + 10
    waiting = list(ports)
    while waiting:
        if process.poll() is not None:
            text = log.read_text() if log.exists() else ""
            raise AssertionError(f"nginx exited with {process.returncode}:\n{text}")
        if time.monotonic() > deadline:
            raise AssertionError(f"nginx did not listen on {waiting} within 10 s")
        try:
            with socket.create_connection(("127.0.0.1", waiting[0]), timeout=0.2):
                waiting.pop(0)
        except OSError:
            time.sleep(0.02)


@dataclass(frozen=True, slots=True)
class Response:
    status: int
    headers: Mapping[str, str]
    body: bytes

    def header(self, name: str) -> str:
        return self.headers.get(name.lower(), "")


def get(url: str, headers: Mapping[str, str] | None = None, method: str = "GET") -> Response:
    """One request, no redirects followed, nothing decoded: what the server really sent."""
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=10)
    with closing(conn):
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        # http.client adds Accept-Encoding: identity unless told otherwise; keep it explicit.
        sent = {"Accept-Encoding": "identity", **(headers or {})}
        conn.request(method, path or "/", headers=sent)
        reply = conn.getresponse()
        body = reply.read()
        merged: dict[str, str] = {}
        for name, value in reply.getheaders():
            key = name.lower()
            merged[key] = f"{merged[key]}, {value}" if key in merged else value
        return Response(reply.status, merged, body)
