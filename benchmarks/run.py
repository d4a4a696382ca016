"""Time sitegen against its peers on every corpus shape; one Markdown table per shape.

    .venv/bin/python -m benchmarks.run                      # all shapes, N = 100 and 1,000
    .venv/bin/python -m benchmarks.run --shapes deep --sizes 100
    .venv/bin/python -m benchmarks.run --with-3000 --with-10000   # and the big sizes (slow)
    .venv/bin/python -m benchmarks.run --tmpfs              # on /dev/shm instead of the disk

sitegen is driven only through its CLI (`python -m sitegen build|check|serve`), from a copy of
one commit (`git archive`, byte-compiled) so that edits to the tree during a run change
nothing; the table names the commit. `--commit REV` picks it (default HEAD, or the nearest
ancestor of it whose CLI runs, when the head is between two steps of a move); `--live` uses
the working tree instead.

Every build is its own process. Cold builds of sitegen and of the peers are run in rounds
(sitegen with search, sitegen --no-search, then each peer, three times over) so that load
from other users of the machine falls on all of them alike; the median of three is shown.
Results go to stdout and to benchmarks/.peers/results/<time>.md (and .json); `--results`
writes benchmarks/RESULTS.md as well.
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
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from benchmarks import peers
from benchmarks.corpus import LANGS, SHAPES, Corpus, generate
from benchmarks.reset import Trash, settle

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
ROUNDS = 3  # cold builds per generator: the median is shown
EDITS = 3  # repeats of each incremental measure (median shown)
SERVE_EDITS = 5
SAVE_TIMEOUT = 60.0  # a save not reloaded within this is reported as failed
PEER_TIMEOUT = 600.0  # a peer still building after 10 minutes is stopped
BUILD_TIMEOUT = 3600.0
SAMPLE_EVERY = 0.05  # seconds between samples of the process tree's memory


# -- running one command ---------------------------------------------------------------------


@dataclass(slots=True)
class Run:
    """One finished command: wall and CPU seconds, memory, and the 1-minute load at its start."""

    seconds: float
    cpu: float  # user + system of the whole tree (every waited-for descendant)
    tree_mb: float  # peak of the summed PSS of every process in the session (sampled)
    largest_mb: float  # peak RSS of the largest single process (getrusage of the children)
    load: float


def _tree_pss_kb(root: int) -> int:
    """Summed proportional set size of a process and all its descendants (kB).

    PSS splits pages shared by forked workers between them, so the sum is the memory the
    tree really holds; summing RSS would count copy-on-write pages once per worker.
    Descendants are found through /proc/PID/task/TID/children, not by scanning every process.
    """
    total = 0
    stack = [root]
    while stack:
        pid = stack.pop()
        try:
            for tid in os.listdir(f"/proc/{pid}/task"):
                stack += map(int, Path(f"/proc/{pid}/task/{tid}/children").read_text().split())
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1])
                    break
        except (OSError, ValueError):
            continue
    return total


def run(cmd: list[str], cwd: Path, timeout: float = BUILD_TIMEOUT) -> Run:
    """Run cmd in its own session; raise RuntimeError when it fails, TimeoutExpired on timeout
    (after killing the whole session, so no stray worker keeps using a core)."""
    load = os.getloadavg()[0]
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(
            cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=err, start_new_session=True
        )
        peak = 0
        stop = threading.Event()

        def sample() -> None:
            nonlocal peak
            while not stop.is_set():
                peak = max(peak, _tree_pss_kb(proc.pid))
                stop.wait(SAMPLE_EVERY)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        deadline = start + timeout
        try:
            while True:
                pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
                if pid:
                    break
                if time.perf_counter() > deadline:
                    os.killpg(proc.pid, signal.SIGKILL)
                    os.wait4(proc.pid, 0)
                    proc.returncode = -9
                    raise subprocess.TimeoutExpired(cmd, timeout)
                time.sleep(0.005)
        finally:
            stop.set()
            sampler.join()
        elapsed = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        # Workers the command left behind would skew the next measure: stop them.
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        if proc.returncode != 0:
            err.seek(0)
            tail = err.read().decode(errors="replace")[-3000:]
            raise RuntimeError(f"{' '.join(cmd[:4])} ... exited {proc.returncode}:\n{tail}")
    return Run(elapsed, usage.ru_utime + usage.ru_stime, peak / 1024, usage.ru_maxrss / 1024, load)


# -- sitegen as a fixed copy of one commit --------------------------------------------------


def git(*args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout.strip()


def snapshot(rev: str, live: bool, dest: Path) -> tuple[str, str]:
    """Copy sitegen/ of rev (or the working tree) into dest; return (commit, note).

    When rev's CLI does not run (the tree is between two steps of a move), the nearest
    ancestor whose CLI builds a small site is taken and the note says so.
    """
    probe = dest.parent / "probe-site"
    skipped: list[str] = []
    # The commits that changed sitegen/, newest first: between two of them the tree is the same.
    candidates = (
        ["WORKTREE"] if live else git("rev-list", "--max-count=20", rev, "--", "sitegen").split()
    )
    for commit in candidates:
        if dest.exists():
            shutil.rmtree(dest)
        dest.mkdir(parents=True)
        if commit == "WORKTREE":
            for part in SITE_PARTS:
                copy = shutil.copytree if (REPO / part).is_dir() else shutil.copy
                (dest / part).parent.mkdir(parents=True, exist_ok=True)
                copy(REPO / part, dest / part)
        else:
            archive = subprocess.run(
                ["git", "archive", commit, *SITE_PARTS], cwd=REPO, capture_output=True, check=True
            ).stdout
            subprocess.run(["tar", "-x", "-C", str(dest)], input=archive, check=True)
        generate(3, probe, base=dest)
        compileall.compile_dir(dest / "sitegen", quiet=1)
        env = {**os.environ, "PYTHONPATH": str(dest)}
        done = subprocess.run(
            [*SITEGEN, "build", "--site", str(probe), "--no-search"],
            cwd=probe,
            capture_output=True,
            text=True,
            env=env,
        )
        if done.returncode == 0:
            shutil.rmtree(probe)
            head = git("rev-parse", "--short", "HEAD")
            if commit == "WORKTREE":
                return head, "the working tree (uncommitted edits included) on top of " + head
            short = git("rev-parse", "--short", commit)
            note = f"sitegen/ of commit {short} (HEAD was {head})"
            if skipped:
                note += (
                    f" (newer commits {', '.join(skipped)} were skipped: their CLI does not "
                    f"run: {done_error(skipped_errors[-1])})"
                )
            return short, note
        skipped.append(git("rev-parse", "--short", commit) if commit != "WORKTREE" else commit)
        skipped_errors.append(done.stderr)
    raise SystemExit(f"no commit's sitegen CLI runs: {skipped_errors[-1][-2000:]}")


skipped_errors: list[str] = []
# What a corpus takes from the checkout besides its generated pages, taken from the same commit
# as the engine (site.yaml settings and templates change with it).
SITE_PARTS = ("sitegen", "templates", "assets", "content/site.yaml", "content/strings.yaml")


def done_error(stderr: str) -> str:
    lines = [line for line in stderr.strip().splitlines() if line.strip()]
    return lines[-1][:160] if lines else "no message"


# -P: not the current folder first on sys.path, so the copy on PYTHONPATH is what runs.
SITEGEN = [sys.executable, "-P", "-m", "sitegen"]


# -- the measures ----------------------------------------------------------------------------


@dataclass(slots=True)
class Result:
    """Everything measured for one shape at one size."""

    shape: str
    n: int
    pages: int
    commit: str
    disk: str
    check: str = ""
    cold: dict[str, list[Run]] = field(default_factory=dict)  # generator -> runs
    errors: dict[str, str] = field(default_factory=dict)
    incremental: dict[str, list[float]] = field(default_factory=dict)
    serve: float | None = None
    load: list[float] = field(default_factory=list)


def _clean(site: Path, keep: set[str], trash: Trash) -> None:
    """Move what a build left at the top of the site folder (build/, the cache, ...) into the
    trash: deleting it would slow the next build down (benchmarks/reset.py)."""
    for entry in list(site.iterdir()):
        if entry.name not in keep:
            trash.put(entry)


def _retitle(corpus: Corpus, label: str) -> None:
    """Rename the partner no site-wide element shows, in every language."""
    for lang in LANGS:
        path = corpus.root / "content" / corpus.renamed / f"{lang}.md"
        lines = path.read_text(encoding="utf-8").split("\n")
        lines[1] = f"title: {label} ({lang})"
        path.write_text("\n".join(lines), encoding="utf-8")


def bench(
    shape: str,
    n: int,
    work: Path,
    names: list[str],
    commit: str,
    disk: str,
    serve: bool,
    check: bool = True,
    peer_rounds: int = ROUNDS,
) -> Result:
    site = work / f"{shape}-{n}"
    corpus = generate(n, site, shape=shape, base=work / "code")
    keep = {entry.name for entry in site.iterdir()}
    trash = Trash(work / "trash")
    result = Result(shape, n, len(corpus.pages) * len(LANGS), commit, disk)
    result.load.append(os.getloadavg()[0])
    try:
        if check:
            run([*SITEGEN, "check", "--site", str(site)], site)
            result.check = "passes"
        else:
            result.check = "not run (`--no-check`)"
    except RuntimeError as exc:
        result.check = "FAILS: " + done_error(str(exc))
    _clean(site, keep, trash)
    build = [*SITEGEN, "build", "--site", str(site)]
    commands: dict[str, tuple[list[str], Path, Callable[[], None], float]] = {
        "sitegen": (build, site, lambda: _clean(site, keep, trash), BUILD_TIMEOUT),
        "sitegen --no-search": (
            [*build, "--no-search"],
            site,
            lambda: _clean(site, keep, trash),
            BUILD_TIMEOUT,
        ),
    }
    for name in names:
        out = work / f"peer-{name}"
        try:
            cmd = peers.command(name, site, out)
        except Exception as exc:  # noqa: BLE001 - a peer that cannot lay out is reported
            cmd, result.errors[name] = None, f"layout failed: {exc}"
        if cmd is None:
            result.errors.setdefault(name, "does not install")
            continue
        target = out / peers.OUTPUT[name]
        commands[name] = (
            cmd,
            out,
            lambda target=target: trash.put(target),
            PEER_TIMEOUT,
        )
    # Nothing deleted in the last minute (the last shape, the check run): benchmarks/reset.py.
    trash.empty()
    settle("tmpfs" not in disk)
    # Rounds: every generator once, three times over.
    for round_ in range(ROUNDS):
        for name, (cmd, cwd, reset, timeout) in commands.items():
            if name in result.errors or (name in names and round_ >= peer_rounds):
                continue
            reset()
            try:
                result.cold.setdefault(name, []).append(run(cmd, cwd, timeout))
            except subprocess.TimeoutExpired:
                result.errors[name] = f"> {timeout:.0f} s (stopped)"
            except RuntimeError as exc:
                result.errors[name] = "failed: " + done_error(str(exc))
            print(f"  {shape} N={n} {name}: {_last(result, name)}", file=sys.stderr, flush=True)
    for name in names:
        trash.put(work / f"peer-{name}")  # MkDocs-sized outputs, deleted with the trash
    # Incremental, through the CLI, --no-search, starting from the last cold build.
    nosearch = [*build, "--no-search"]
    if "sitegen --no-search" not in result.errors:
        _measure(result, "no change", lambda i: None, nosearch, site)
        edit = corpus.root / "content" / corpus.partner / "en.md"

        def body_edit(i: int) -> None:
            with open(edit, "a", encoding="utf-8") as handle:
                handle.write(f"\nOne more sentence, number {i}.\n")

        _measure(result, "one-page body edit", body_edit, nosearch, site)
        _measure(
            result, "rename a partner", lambda i: _retitle(corpus, f"Renamed {i}"), nosearch, site
        )
    if serve:
        try:
            result.serve = serve_edit_to_reload(site, corpus.partner)
        except Exception as exc:  # noqa: BLE001 - reported in the table
            result.errors["serve"] = f"failed: {exc}"[:200]
    result.load.append(os.getloadavg()[0])
    trash.empty()
    shutil.rmtree(site, ignore_errors=True)
    return result


def _last(result: Result, name: str) -> str:
    if name in result.errors:
        return result.errors[name]
    r = result.cold[name][-1]
    return f"{r.seconds:.2f} s, cpu {r.cpu:.1f} s, tree {r.tree_mb:.0f} MB, load {r.load:.1f}"


def _measure(
    result: Result, label: str, change: Callable[[int], None], cmd: list[str], site: Path
) -> None:
    times = []
    try:
        for i in range(EDITS):
            change(i)
            times.append(run(cmd, site).seconds)
    except RuntimeError as exc:
        result.errors[label] = "failed: " + done_error(str(exc))
    result.incremental[label] = times
    print(f"  {result.shape} N={result.n} {label}: {times}", file=sys.stderr, flush=True)


def serve_edit_to_reload(site: Path, partner: str) -> float:
    """Seconds from saving a page to `sitegen serve` telling the open tabs to reload it
    (the median of SERVE_EDITS saves).

    Done when the event naming the page has arrived on /_sitegen/events (connected before the
    edit, as an open tab is) and the page serves the new text.
    """
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen(
        [*SITEGEN, "serve", "--site", str(site), "--port", str(port)],
        cwd=site,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    path = f"/en/{partner}/"
    try:
        _poll(base + path, lambda body: "<html" in body, 1800)
        # The first search index is made in the background; measure once it is there.
        _poll(base + "/pagefind/pagefind-entry.json", lambda body: "languages" in body, 1800)
        with urllib.request.urlopen(base + "/_sitegen/events", timeout=SAVE_TIMEOUT) as events:
            events.readline()  # the stream is open
            times = []
            for _ in range(SERVE_EDITS):
                time.sleep(0.3)  # an editor's saves; the search index waits for a pause
                marker = f"edited-{time.time_ns()}"
                start = time.perf_counter()
                with open(site / "content" / partner / "en.md", "a", encoding="utf-8") as handle:
                    handle.write(f"\n{marker}\n")
                _wait_for_event(events, path, start + SAVE_TIMEOUT)
                _poll(base + path, lambda body, m=marker: m in body, SAVE_TIMEOUT)
                times.append(time.perf_counter() - start)
            return statistics.median(times)
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def _wait_for_event(events: IO[bytes], path: str, deadline: float) -> None:
    """Read Server-Sent Events until one names path (or every page), at most until deadline."""
    try:
        while line := events.readline():
            if line.startswith(b"data: ["):
                urls = json.loads(line[len(b"data: ") :])
                if path in urls or "*" in urls:
                    return
            if time.perf_counter() > deadline:
                break
    except TimeoutError:
        pass
    raise RuntimeError(f"no reload event naming the page within {SAVE_TIMEOUT:.0f} s of a save")


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


# -- tables ----------------------------------------------------------------------------------


def _median(runs: list[Run], attr: str = "seconds") -> float:
    return statistics.median(getattr(r, attr) for r in runs)


def _fmt_s(seconds: float) -> str:
    return f"{seconds:.2f} s" if seconds < 100 else f"{seconds:.0f} s"


def _cell(result: Result, row: str) -> str:
    cold = result.cold
    err = result.errors

    def cold_s(name: str) -> str:
        if name in err and name not in cold:
            return err[name]
        runs = cold.get(name, [])
        if not runs:
            return "n/a"
        spread = f" ({min(r.seconds for r in runs):.1f}-{max(r.seconds for r in runs):.1f})"
        return _fmt_s(_median(runs)) + (spread if len(runs) > 1 else " (one run)")

    def per_page(name: str) -> str:
        runs = cold.get(name)
        return f"{_median(runs) / result.pages * 1000:.2f} ms" if runs else "n/a"

    def ratio(search: bool) -> str:
        ours = cold.get("sitegen" if search else "sitegen --no-search")
        theirs = [_median(cold[p]) for p in ("mkdocs", "pelican") if cold.get(p) and p not in err]
        if not ours or not theirs:
            return "n/a"
        return f"{min(theirs) / _median(ours):.2f}x"

    def incremental(label: str) -> str:
        if label in err:
            return err[label]
        times = result.incremental.get(label)
        if not times:
            return "n/a"
        text = _fmt_s(statistics.median(times))
        if label == "rename a partner" and cold.get("sitegen --no-search"):
            text += (
                f" ({statistics.median(times) / _median(cold['sitegen --no-search']):.2f} of cold)"
            )
        return text

    if row == "pages":
        return f"{result.pages:,}"
    if row == "sitegen version":
        return result.commit.split(" (newer")[0].replace("sitegen/ of commit", "commit")
    if row == "where":
        return result.disk.replace("work folder ", "")
    if row == "`sitegen check`":
        return result.check
    if row == "cold build, search on":
        return cold_s("sitegen")
    if row == "  per page":
        return per_page("sitegen")
    if row == "cold build, `--no-search`":
        return cold_s("sitegen --no-search")
    if row == "  per page ":
        return per_page("sitegen --no-search")
    if row == "CPU s (search on / off)":
        a, b = cold.get("sitegen"), cold.get("sitegen --no-search")
        return f"{_median(a, 'cpu'):.1f} / {_median(b, 'cpu'):.1f}" if a and b else "n/a"
    if row == "peak memory, whole tree (search on / off)":
        a, b = cold.get("sitegen"), cold.get("sitegen --no-search")
        if not (a and b):
            return "n/a"
        return f"{max(r.tree_mb for r in a):.0f} / {max(r.tree_mb for r in b):.0f} MB"
    if row == "largest process RSS (search on / off)":
        a, b = cold.get("sitegen"), cold.get("sitegen --no-search")
        if not (a and b):
            return "n/a"
        return f"{max(r.largest_mb for r in a):.0f} / {max(r.largest_mb for r in b):.0f} MB"
    if row == "no change (CLI, `--no-search`)":
        return incremental("no change")
    if row == "one-page body edit (CLI, `--no-search`)":
        return incremental("one-page body edit")
    if row == "rename a partner no site-wide element shows (CLI, `--no-search`)":
        return incremental("rename a partner")
    if row == "serve: save to reload":
        if "serve" in err:
            return err["serve"]
        return _fmt_s(result.serve) if result.serve is not None else "not measured"
    for name in peers.NAMES:
        if row == f"{name} {peers.version(name)}".strip():
            text = cold_s(name)
            if cold.get(name):
                text += f", CPU {_median(cold[name], 'cpu'):.1f} s"
            if cold.get(name) and cold.get("sitegen"):
                text += f"; {_median(cold[name]) / _median(cold['sitegen']):.2f}x sitegen's time"
            return text
    if row == "faster of MkDocs, Pelican / sitegen (search on)":
        return ratio(True)
    if row == "faster of MkDocs, Pelican / sitegen (`--no-search`)":
        return ratio(False)
    if row == "CPU s: faster of MkDocs, Pelican / sitegen (on / off)":
        ours = [cold.get("sitegen"), cold.get("sitegen --no-search")]
        theirs = [_median(cold[p], "cpu") for p in ("mkdocs", "pelican") if cold.get(p)]
        if not theirs or not all(ours):
            return "n/a"
        return " / ".join(f"{min(theirs) / _median(r, 'cpu'):.2f}x" for r in ours if r)
    if row == "1-minute load (start-end of this size)":
        return f"{result.load[0]:.1f}-{result.load[-1]:.1f}"
    raise KeyError(row)


def rows(names: list[str]) -> list[str]:
    return [
        "sitegen version",
        "where",
        "pages",
        "`sitegen check`",
        "cold build, search on",
        "  per page",
        "cold build, `--no-search`",
        "  per page ",
        "CPU s (search on / off)",
        "peak memory, whole tree (search on / off)",
        "largest process RSS (search on / off)",
        "no change (CLI, `--no-search`)",
        "one-page body edit (CLI, `--no-search`)",
        "rename a partner no site-wide element shows (CLI, `--no-search`)",
        "serve: save to reload",
        *[f"{name} {peers.version(name)}".strip() for name in names],
        "faster of MkDocs, Pelican / sitegen (search on)",
        "faster of MkDocs, Pelican / sitegen (`--no-search`)",
        "CPU s: faster of MkDocs, Pelican / sitegen (on / off)",
        "1-minute load (start-end of this size)",
    ]


def shape_table(results: list[Result], names: list[str]) -> str:
    shape = SHAPES[results[0].shape]
    head = ["measure", *[f"N = {r.n:,}" for r in results]]
    lines = [
        f"### {shape.name}: {shape.about}",
        "",
        "| " + " | ".join(head) + " |",
        "|" + "---|" * len(head),
    ]
    for row in rows(names):
        label = row.strip()
        lines.append("| " + " | ".join([label, *[_cell(r, row) for r in results]]) + " |")
    return "\n".join(lines)


def summary(results: list[Result]) -> str:
    """Per size, one line per shape, and which shape is the worst."""
    sizes = sorted({r.n for r in results})
    return "\n\n".join(filter(None, (_summary_at(results, n) for n in sizes)))


def _summary_at(results: list[Result], top: int) -> str:
    at = [r for r in results if r.n == top and r.cold.get("sitegen")]
    if not at:
        return ""
    lines = [
        f"### Every shape at N = {top:,}",
        "",
        "| shape | cold, search on | per page | cold, `--no-search` | per page | "
        "faster of MkDocs, Pelican / sitegen (on / off) | one-page edit | rename | no change "
        "| serve reload | peak memory, tree (on / off) |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in at:
        lines.append(
            "| "
            + " | ".join(
                [
                    r.shape,
                    _cell(r, "cold build, search on").split(" (")[0],
                    _cell(r, "  per page"),
                    _cell(r, "cold build, `--no-search`").split(" (")[0],
                    _cell(r, "  per page "),
                    _cell(r, "faster of MkDocs, Pelican / sitegen (search on)")
                    + " / "
                    + _cell(r, "faster of MkDocs, Pelican / sitegen (`--no-search`)"),
                    _cell(r, "one-page body edit (CLI, `--no-search`)"),
                    _cell(r, "rename a partner no site-wide element shows (CLI, `--no-search`)"),
                    _cell(r, "no change (CLI, `--no-search`)"),
                    _cell(r, "serve: save to reload"),
                    _cell(r, "peak memory, whole tree (search on / off)"),
                ]
            )
            + " |"
        )
    worst = max(at, key=lambda r: _median(r.cold["sitegen"]) / r.pages)
    worst_off = max(
        (r for r in at if r.cold.get("sitegen --no-search")),
        key=lambda r: _median(r.cold["sitegen --no-search"]) / r.pages,
    )

    def against_peers(r: Result) -> float:
        theirs = [_median(r.cold[p]) for p in ("mkdocs", "pelican") if r.cold.get(p)]
        return min(theirs) / _median(r.cold["sitegen"]) if theirs else float("inf")

    weakest = min(at, key=against_peers)
    lines.append("")
    if against_peers(weakest) != float("inf"):  # no peers ran at this size: nothing to say
        lines.append(
            f"Worst shape against the peers at N = {top:,}: **{weakest.shape}** (the faster "
            f"of MkDocs and Pelican over sitegen's default build: "
            f"{_cell(weakest, 'faster of MkDocs, Pelican / sitegen (search on)')}; CPU time "
            f"{_cell(weakest, 'CPU s: faster of MkDocs, Pelican / sitegen (on / off)')})."
        )
    lines += [
        f"Worst shape by sitegen's own cost at N = {top:,}: **{worst.shape}** with search on "
        f"({_cell(worst, '  per page')} a page), **{worst_off.shape}** with `--no-search` "
        f"({_cell(worst_off, '  per page ')} a page).",
    ]
    return "\n".join(lines)


NOTES = """\
How the figures are made:

- **cold build**: `sitegen build` in a site folder with no `build/` and no `.sitegen-cache/`,
  as its own process (start-up included); the median of {rounds} runs, (fastest-slowest) beside
  it. The cold builds of sitegen and of every peer run in rounds (each generator once, then
  again), so load from other users of the machine falls on all alike. The OS file cache is
  warm (the corpus was just written). Between two builds the last output is moved aside, not
  deleted: on this disk (ext4 without a journal) creating files in the minute after deleting
  thousands is slower, whoever deleted them (`benchmarks/reset.py`); the moved outputs are
  deleted at the end of each shape, and the first build of a shape waits out that minute.
  The corpus takes `content/site.yaml` from the measured commit, which does not precompress
  (`precompress: false`). sitegen also checks every link and writes its cache; no peer does.
  **per page**: the cold build over the pages.
- **CPU s**: user + system time of the whole process tree (`wait4` rusage of the build,
  which counts every descendant it waited for), median of the rounds.
- **peak memory, whole tree**: the largest sum, sampled every {every:.0f} ms, of the PSS of the
  build process and every descendant (workers and Pagefind included; PSS counts pages shared by
  forked workers once). **largest process RSS**: `ru_maxrss` of the children, i.e. of the
  single largest process.
- **no change**, **one-page body edit** (a sentence appended to one partner's `en.md`),
  **rename a partner** (the `title:` of a partner with no `website`, ordered last, changed in
  all four languages: no site-wide element shows it, but the cluster, initiative and timeline
  pages that name it do): `sitegen build --no-search` again after each change, through the
  CLI, the median of {edits}.
- **serve: save to reload**: `sitegen serve` running, its first search index made; from saving
  the page to the event that tells open tabs to reload it, with the new text served. The
  median of {serve_edits} saves.
- **Peers**: each builds the same corpus with a minimal one-template theme, no plugins, no
  search (`benchmarks/peers.py` says how, and why MkDocs took 167 s before), timed like the
  cold build; a peer still running after {timeout:.0f} s is stopped. "x sitegen's time" is the
  peer's time over sitegen's default build (search on).
- **load**: the machine has {cores} cores and is shared; the 1-minute load average at the start
  and end of each size is in the last row.
"""


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


def _fs_type(path: Path) -> str:
    """The file system type of the mount that holds path (from /proc/mounts)."""
    best, kind = "", ""
    for line in Path("/proc/mounts").read_text().splitlines():
        parts = line.split()
        if len(parts) > 2 and str(path).startswith(parts[1]) and len(parts[1]) >= len(best):
            best, kind = parts[1], parts[2]
    return kind


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--shapes", nargs="*", default=list(SHAPES), choices=list(SHAPES))
    parser.add_argument("--sizes", type=int, nargs="*", default=[100, 1000])
    parser.add_argument("--with-3000", action="store_true", help="also N = 3,000")
    parser.add_argument("--with-10000", action="store_true", help="also N = 10,000 (slow)")
    parser.add_argument("--peers", nargs="*", default=list(peers.NAMES), choices=peers.NAMES)
    parser.add_argument("--no-peers", action="store_true")
    parser.add_argument("--no-serve", action="store_true")
    parser.add_argument("--no-check", action="store_true", help="skip `sitegen check`")
    parser.add_argument(
        "--peer-rounds",
        type=int,
        default=ROUNDS,
        help=f"cold builds per peer (default {ROUNDS}; fewer on a busy machine)",
    )
    parser.add_argument("--tmpfs", action="store_true", help="work in /dev/shm (tmpfs)")
    parser.add_argument("--work", type=Path, help="work folder (default: on the disk)")
    parser.add_argument("--commit", default="HEAD", help="the sitegen commit to time")
    parser.add_argument("--live", action="store_true", help="time the working tree instead")
    parser.add_argument("--results", action="store_true", help="also write benchmarks/RESULTS.md")
    parser.add_argument(
        "--report",
        type=Path,
        nargs="+",
        metavar="JSON",
        help="only write the tables again from saved results (benchmarks/.peers/results/*.json)",
    )
    args = parser.parse_args()
    if args.report:
        report(args.report, args.results)
        return
    sizes = sorted(set(args.sizes + [3000] * args.with_3000 + [10_000] * args.with_10000))
    names = [] if args.no_peers else args.peers
    default_work = Path("/dev/shm/sitegen-bench") if args.tmpfs else HERE / ".peers" / "work"
    work: Path = (args.work or default_work).absolute()
    work.mkdir(parents=True, exist_ok=True)
    fs = _fs_type(work)
    disk = f"work folder `{work}` on {fs}" + (
        " (tmpfs: memory, not the disk)" if fs == "tmpfs" else " (the real disk)"
    )
    commit, note = snapshot(args.commit, args.live, work / "code")
    os.environ["PYTHONPATH"] = str(work / "code")
    print(f"sitegen: {note}; {disk}; load {os.getloadavg()}", file=sys.stderr, flush=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    out_dir = HERE / ".peers" / "results"
    out_dir.mkdir(parents=True, exist_ok=True)
    command = " ".join(["python -m benchmarks.run", *sys.argv[1:]])
    all_results: list[Result] = []
    tables = []
    for shape in args.shapes:
        results = []
        for n in sizes:
            results.append(
                bench(
                    shape,
                    n,
                    work,
                    names,
                    note,
                    disk,
                    not args.no_serve,
                    not args.no_check,
                    args.peer_rounds,
                )
            )
            all_results.append(results[-1])
            (out_dir / f"{stamp}.json").write_text(
                json.dumps([_as_json(r) for r in all_results], indent=1), encoding="utf-8"
            )
        tables.append(shape_table(results, names))
        text = _document(command, tables, all_results)
        (out_dir / f"{stamp}.md").write_text(text, encoding="utf-8")
        print(tables[-1] + "\n", flush=True)
    text = _document(command, tables, all_results)
    (out_dir / f"{stamp}.md").write_text(text, encoding="utf-8")
    if args.results:
        (HERE / "RESULTS.md").write_text(text, encoding="utf-8")
    print(summary(all_results))


def _document(command: str, tables: list[str], results: list[Result], runs: str = "") -> str:
    notes = NOTES.format(
        rounds=ROUNDS,
        every=SAMPLE_EVERY * 1000,
        edits=EDITS,
        serve_edits=SERVE_EDITS,
        timeout=PEER_TIMEOUT,
        cores=os.cpu_count() or 1,
    )
    return (
        "# Build benchmarks\n\n"
        f"Machine: {machine()}\n\n"
        f"Command: `.venv/bin/{command}`\n\n"
        + runs
        + summary(results)
        + "\n\n"
        + "\n\n".join(tables)
        + "\n\n"
        + notes
    )


def report(files: list[Path], write: bool) -> None:
    """Tables from saved results (the newest result per shape and size wins), in shape order."""
    found: dict[tuple[str, int], Result] = {}
    origin: dict[tuple[str, int], str] = {}
    commands = []
    for path in files:
        for item in json.loads(path.read_text(encoding="utf-8")):
            cold = {k: [Run(**x) for x in v] for k, v in item.pop("cold").items()}
            result = Result(**item)
            result.cold = cold
            found[(result.shape, result.n)] = result
            origin[(result.shape, result.n)] = path.name
        commands.append(path.name)
    by_run: dict[str, list[Result]] = {}
    for key, name in origin.items():
        by_run.setdefault(name, []).append(found[key])
    runs = ""
    if len(by_run) > 1:  # figures from runs on other days, or other code
        lines = [
            f"- `{name}`: "
            + ", ".join(f"{r.shape} at N = {r.n:,}" for r in results)
            + f" ({results[0].commit})"
            for name, results in by_run.items()
        ]
        runs = (
            "These tables join several runs. Compare figures, including per-page costs across "
            "sizes, only within one run: the machine's speed changes between runs.\n\n"
            + "\n".join(lines)
            + "\n\n"
        )
    ordered = sorted(found.values(), key=lambda r: (list(SHAPES).index(r.shape), r.n))
    names = [n for n in peers.NAMES if any(n in r.cold or n in r.errors for r in ordered)]
    tables = []
    for shape in SHAPES:
        results = [r for r in ordered if r.shape == shape]
        if results:
            tables.append(shape_table(results, names))
    text = _document(
        "python -m benchmarks.run --report " + " ".join(commands), tables, ordered, runs
    )
    if write:
        (HERE / "RESULTS.md").write_text(text, encoding="utf-8")
    print(text)


def _as_json(r: Result) -> dict[str, object]:
    return {
        "shape": r.shape,
        "n": r.n,
        "pages": r.pages,
        "commit": r.commit,
        "disk": r.disk,
        "check": r.check,
        "cold": {
            k: [vars(x) if hasattr(x, "__dict__") else _run_dict(x) for x in v]
            for k, v in r.cold.items()
        },
        "errors": r.errors,
        "incremental": r.incremental,
        "serve": r.serve,
        "load": r.load,
    }


def _run_dict(x: Run) -> dict[str, float]:
    return {k: getattr(x, k) for k in ("seconds", "cpu", "tree_mb", "largest_mb", "load")}


if __name__ == "__main__":
    main()
