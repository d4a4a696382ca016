"""Spread per-page work over forked processes and stream the results back in order.

Forking shares the site model, built once in the parent, copy-on-write; only the indices of
the work go to the workers and only results come back. Each worker builds its own tools
(a Jinja Environment, a Markdown converter) once, through `setup`. Results are yielded in
input order as soon as they are ready, and at most a window of chunks is in flight, so memory
stays flat however many pages there are.

A forked worker makes its own every memory page of the model it reads (reading writes the
reference count), so over a long build each worker grows towards a copy of the model: at
40,000 pages, 195 MB a worker beside the main process's 240. A worker that has made
OWN_LIMIT its own stops before its next item, sends back what it has, and a fresh fork
takes its place; the items it left go to the next worker.
"""

from __future__ import annotations

import gc
import multiprocessing
import resource
import sys
import time
import traceback
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

Setup = Callable[[], Callable[[T], R]]
P = TypeVar("P")
MIN_PARALLEL = 200  # below this many items, starting processes costs more than it saves
CHUNK = 8
# Memory a worker may hold alone before a fresh fork replaces it. At 40,000 pages the whole
# tree then peaks near 400 MB instead of 633-674 (outside and markup, --no-search, sampled
# every 5 ms): each fresh fork copies again the pages it touches. Pages read other pages
# through the link table (render/linktable.py), so few pages are copied: at 40,000 pages
# workers are replaced 43-47 times on baseline and 81 on deep (171 and 482 before it). At
# 4,000 never. Counted in page faults, which the kernel keeps for free (each is a page
# copied or newly touched), and in smaps_rollup every PROBE seconds (see _Fullness).
OWN_LIMIT = 48 << 20
PROBE = 0.5  # seconds between two reads of smaps_rollup in a worker (3.5 ms each)
_PAGE = resource.getpagesize()


def _own_bytes() -> int:
    """What this process has made its own since it forked, near enough (see OWN_LIMIT)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt * _PAGE


def _private_bytes() -> int:
    """The memory only this process holds, as the kernel counts it."""
    with open("/proc/self/smaps_rollup", "rb") as rollup:
        return sum(int(line.split()[1]) << 10 for line in rollup if line.startswith(b"Private_"))


class _Fullness:
    """Whether this worker holds `limit` bytes of its own. Its page faults count the pages it
    copied or made, for free. They miss the pages the parent copied: when the parent writes
    a page it shares with the worker, the old copy is the worker's alone. With few workers
    replaced, that was 13-30 MB a worker at 10,000 deep folders, so smaps_rollup, which
    counts both, is read too, at most every PROBE seconds."""

    def __init__(self, limit: int, probe: float) -> None:
        self.limit, self.probe = limit, probe
        self.next, self.private = time.monotonic() + probe, 0

    def __call__(self) -> bool:
        now = time.monotonic()
        if now >= self.next:
            self.private, self.next = _private_bytes(), now + self.probe
        return max(_own_bytes(), self.private) >= self.limit


class WorkerError(RuntimeError):
    """A worker crashed: a bug in sitegen, reported with the worker's traceback."""


def _worker(
    setup: Setup[T, R], items: Sequence[T], conn: Connection, own_limit: int, probe: float
) -> None:
    # The model came with the fork: the collector never walks it here. Walking writes into
    # every object, which copied the whole model at each collection of a full pass; at
    # 10,000 deep folders workers were replaced 1,536 times a build instead of 482.
    gc.freeze()
    try:
        fn = setup()
        full = _Fullness(own_limit, probe)
        fresh = True  # a fresh fork renders at least one item, however much it takes
        while True:
            task = conn.recv()
            if task is None:
                break
            start, stop = task
            results = []
            for i in range(start, stop):  # stop before an item once full: it goes to the next
                if not fresh and full():
                    break
                results.append(fn(items[i]))
                fresh = False
            conn.send((start, results, full()))
    except BaseException:  # noqa: BLE001 - the parent re-raises it with the traceback
        conn.send((-1, traceback.format_exc()))
    finally:
        conn.close()


def ordered_map(
    setup: Setup[T, R],
    items: Sequence[T],
    jobs: int,
    *,
    chunk: int = CHUNK,
    min_parallel: int = MIN_PARALLEL,
    before_fork: Callable[[], object] | None = None,
    own_limit: int = OWN_LIMIT,
    probe: float = PROBE,
) -> Iterator[R]:
    """Yield setup()(item) for every item, in order; in `jobs` processes when it pays off.

    `before_fork`: work done once in this process when it forks, so the workers share its
    result instead of each doing it (and making its copy-on-write pages their own).
    `own_limit`: bytes a worker may hold alone before a fresh fork replaces it, looked at
    in full every `probe` seconds."""
    if jobs <= 1 or len(items) < min_parallel or sys.platform != "linux":
        fn = setup()
        yield from (fn(item) for item in items)
        return
    if before_fork is not None:
        before_fork()
    ctx = multiprocessing.get_context("fork")
    # Ranges of items still to hand out, in order; what a full worker left undone goes first.
    todo = deque((start, min(start + chunk, len(items))) for start in range(0, len(items), chunk))
    ahead = max(4, jobs * 4) * chunk  # items that may be in flight or waiting to be yielded
    procs: dict[Connection, BaseProcess] = {}
    pending: dict[Connection, int] = {}  # ranges sent to each worker and not yet back
    full: set[Connection] = set()  # workers that get no more ranges: replaced once idle
    stops: dict[int, int] = {}  # start -> stop of each range sent

    def start_worker() -> Connection:
        parent_end, child_end = ctx.Pipe()
        proc = ctx.Process(
            target=_worker, args=(setup, items, child_end, own_limit, probe), daemon=True
        )
        proc.start()
        child_end.close()
        procs[parent_end], pending[parent_end] = proc, 0
        return parent_end

    conns = [start_worker() for _ in range(min(jobs, len(todo)))]
    done: dict[int, tuple[int, list[R]]] = {}  # start -> (stop, results) of a finished range
    next_yield = 0  # the item to yield next
    try:
        while next_yield < len(items):
            for i, conn in enumerate(conns):
                if conn in full and not pending[conn] and todo:
                    full.discard(conn)
                    _retire(conn, procs.pop(conn))
                    del pending[conn]
                    conns[i] = start_worker()
            for conn in conns:  # two ranges per worker, so none waits for a round trip
                while (
                    conn not in full
                    and pending[conn] < 2
                    and todo
                    and todo[0][0] < next_yield + ahead
                ):
                    start, stop = todo.popleft()
                    conn.send((start, stop))
                    stops[start] = stop
                    pending[conn] += 1
            if next_yield in done:
                next_yield, results = done.pop(next_yield)
                yield from results
                continue
            for ready in wait([c for c in conns if pending[c]]):
                assert isinstance(ready, Connection)
                start, results, is_full = _receive(ready)
                pending[ready] -= 1
                stop, end = stops.pop(start), start + len(results)
                if results:
                    done[start] = (end, results)
                if end < stop:
                    todo.appendleft((end, stop))
                if is_full:
                    full.add(ready)
    finally:
        for conn in conns:
            try:
                conn.send(None)
            except OSError:
                pass
            conn.close()
        _stop(list(procs.values()))


def _retire(conn: Connection, proc: BaseProcess) -> None:
    """Let an idle worker end, so that its memory is free before the next fork."""
    conn.send(None)
    conn.close()
    proc.join()


def _receive(conn: Connection) -> tuple[Any, ...]:
    """A worker's next (tag, result, ...); its traceback, raised here, if it failed."""
    try:
        tag, result, *rest = conn.recv()
    except EOFError as exc:
        raise WorkerError("a worker process died unexpectedly") from exc
    if tag < 0:
        raise WorkerError(f"a worker process failed:\n{result}")
    return (tag, result, *rest)


def _stop(procs: Sequence[BaseProcess]) -> None:
    for proc in procs:
        proc.join(timeout=5)
        if proc.is_alive():
            proc.kill()
            proc.join()


def _slice_worker(fn: Callable[[Sequence[T]], P], items: Sequence[T], conn: Connection) -> None:
    try:
        conn.send((0, fn(items)))
    except BaseException:  # noqa: BLE001 - the parent re-raises it with the traceback
        conn.send((-1, traceback.format_exc()))
    finally:
        conn.close()


def split_map(
    fn: Callable[[Sequence[T]], P],
    items: Sequence[T],
    jobs: int,
    *,
    min_parallel: int = MIN_PARALLEL,
) -> list[P]:
    """fn over `jobs` consecutive slices of items, in order: the first slice here, the others
    in forked processes at the same time, each sending back one result.

    For work whose result is cheap to send compared with making it, such as reading and
    parsing thousands of files: one message per process, not one per item.
    """
    if jobs <= 1 or len(items) < min_parallel or sys.platform != "linux":
        return [fn(items)]
    bounds = [len(items) * i // jobs for i in range(jobs + 1)]
    ctx = multiprocessing.get_context("fork")
    children = []
    try:
        for i in range(1, jobs):
            reader, writer = ctx.Pipe(duplex=False)
            part = items[bounds[i] : bounds[i + 1]]
            proc = ctx.Process(target=_slice_worker, args=(fn, part, writer), daemon=True)
            proc.start()
            writer.close()
            children.append((proc, reader))
        results = [fn(items[bounds[0] : bounds[1]])]
        results += [_receive(reader)[1] for _proc, reader in children]
        return results
    finally:
        for _proc, reader in children:
            reader.close()
        _stop([proc for proc, _reader in children])
