"""Pagefind's service mode (`pagefind --service`), fed the pages in an order we choose.

Why not Pagefind's command line: it numbers the pages in the order it meets them on disk,
and that order is the file system's. The same 60 pages gave different index files on ext4
(/tmp) and on tmpfs (/dev/shm), so a build was byte-identical only on the machine that made
it. Fed the pages sorted, the index is the same everywhere, and no folder of links to the
pages has to be made and deleted for each run.

Why not the `pagefind` Python package, which drives the same service: its client waits
0.1 s before reading each reply, 400 s for 4,000 pages. The protocol is small: every message,
both ways, is base64 of a JSON object followed by a comma; replies carry the message's id.

The index files are asked for (`GetFiles`) and written here, not by the service
(`WriteFiles`): the service answers before its last writes have reached the files (Pagefind
writes through tokio without a flush), and two builds of one test-suite run read
`pagefind-entry.json` empty.
"""

from __future__ import annotations

import base64
import json
import queue
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import IO, Any

Page = tuple[str, str]  # (URL, HTML)
Started = Callable[[subprocess.Popen[bytes]], None]


class PagefindError(RuntimeError):
    """The service refused a page or a command, stopped, or ran out of time."""


class _Stopped(PagefindError):
    """The service's process ended (crashed, or is not Pagefind at all)."""


def index_pages(
    exe: Path,
    pages: Iterable[Page],
    output: Path,
    config: dict[str, Any],
    timeout: float,
    started: Started | None = None,
    skip: tuple[str, ...] = (),
) -> None:
    """Index `pages` in the order given and write the bundle into `output`, but for the
    files named in `skip`."""
    with (
        tempfile.TemporaryFile() as errors,
        subprocess.Popen(
            [str(exe), "--service"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=errors
        ) as proc,
    ):
        if started is not None:
            started(proc)
        assert proc.stdin is not None and proc.stdout is not None
        replies: queue.Queue[dict[str, Any] | None] = queue.Queue()
        reader = threading.Thread(target=_read, args=(proc.stdout, replies), daemon=True)
        reader.start()
        session = _Session(proc.stdin, replies, time.monotonic() + timeout)
        try:
            index = session.ask({"type": "NewIndex", "config": config})["index_id"]
            urls = session.send_all(
                ({"type": "AddFile", "index_id": index, "url": url, "file_contents": html}, url)
                for url, html in pages
            )
            session.wait_all(urls)
            files = session.ask({"type": "GetFiles", "index_id": index})["files"]
        except PagefindError as exc:
            try:
                code = proc.wait(timeout=2 if isinstance(exc, _Stopped) else 0)
                why = f"{exc} (exit {code})"
            except subprocess.TimeoutExpired:
                proc.kill()
                why = str(exc)
            errors.seek(0)
            said = errors.read().decode("utf-8", "replace").strip().splitlines()[-3:]
            raise PagefindError(": ".join([why, " / ".join(said)] if said else [why])) from None
        finally:
            try:
                proc.stdin.close()  # the service exits at the end of its input
            except OSError:
                pass
        proc.wait()
    _write_files(files, output, skip)


def _write_files(files: list[dict[str, str]], output: Path, skip: tuple[str, ...]) -> None:
    """The index files the service sent, below output; a path that would leave it is refused."""
    for file in files:
        name = file["path"]
        parts = Path(name).parts
        if not parts or Path(name).is_absolute() or ".." in parts:
            raise PagefindError(f"it named a file outside its folder: {name!r}")
        if name in skip:
            continue
        target = output.joinpath(*parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(base64.b64decode(file["content"]))


class _Session:
    """Messages out, replies in; the replies are read on their own thread so that neither
    side's pipe fills up while the other waits."""

    def __init__(
        self, stdin: IO[bytes], replies: queue.Queue[dict[str, Any] | None], deadline: float
    ) -> None:
        self.stdin = stdin
        self.replies = replies
        self.deadline = deadline
        self.last = 0

    def _send(self, payload: dict[str, Any]) -> int:
        self.last += 1
        message = {"message_id": self.last, "payload": payload}
        data = json.dumps(message, ensure_ascii=False).encode("utf-8")
        try:
            self.stdin.write(base64.b64encode(data) + b",")
        except OSError:
            raise _Stopped("it stopped") from None
        return self.last

    def send_all(self, messages: Iterable[tuple[dict[str, Any], str]]) -> dict[int, str]:
        """Send every message without waiting; the ids of the sent messages, with a label."""
        return {self._send(payload): label for payload, label in messages}

    def ask(self, payload: dict[str, Any]) -> dict[str, Any]:
        wanted = self._send(payload)
        return self.wait_all({wanted: str(payload["type"])})[wanted]

    def wait_all(self, wanted: dict[int, str]) -> dict[int, dict[str, Any]]:
        """The replies to `wanted`; the first error, naming what it was about, is raised."""
        try:
            self.stdin.flush()
        except OSError:
            raise _Stopped("it stopped") from None
        got: dict[int, dict[str, Any]] = {}
        while len(got) < len(wanted):
            try:
                reply = self.replies.get(timeout=max(0.0, self.deadline - time.monotonic()))
            except queue.Empty:
                raise PagefindError("it took too long") from None
            if reply is None:
                raise _Stopped("it stopped")
            number, payload = reply.get("message_id"), reply.get("payload") or {}
            if payload.get("type") == "Error" or number not in wanted:
                about = wanted.get(number, "a message") if isinstance(number, int) else "a message"
                raise PagefindError(f"{about}: {payload.get('message', payload)}")
            got[number] = payload
        return got


def _read(stdout: IO[bytes], replies: queue.Queue[dict[str, Any] | None]) -> None:
    """Every reply, decoded, onto the queue; None when the service's output ends."""
    parts: list[bytes] = []  # of the message being read: the index files are one of megabytes
    try:
        while chunk := stdout.read1(1 << 16):  # type: ignore[attr-defined]
            while (comma := chunk.find(b",")) >= 0:
                parts.append(chunk[:comma])
                replies.put(json.loads(base64.b64decode(b"".join(parts))))
                parts, chunk = [], chunk[comma + 1 :]
            if chunk:
                parts.append(chunk)
    except (OSError, ValueError):
        pass
    replies.put(None)
