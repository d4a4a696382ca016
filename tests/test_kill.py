"""No fault loses the last good build: SIGKILL mid-build, two builds at once, a full disk, a
read-only folder; and the same input gives the same bytes whatever the hash seed, current
folder or file-system order.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from sitegen.output import write as writer
from tests.conftest import Run, copy_site, tree_bytes, write

SEED = 8
KILLS = 30
PAGES = 30  # about 330 output files: a build takes about a second here
IMEC = "content/partners/imec/en.md"


def make_site(root: Path, pages: int = PAGES) -> Path:
    copy_site("basic", root)
    for i in range(pages):
        folder = root / "content/partners" / f"p{i:03d}"
        write(folder / "data.yaml", "clusters: [ict]\nwebsite: https://example.org/\n")
        write(
            folder / "en.md",
            f"---\ntitle: Partner {i}\ndescription: Partner {i} in Leuven.\n---\n"
            f"Partner {i} works in [ICT](/clusters/ict).\n\n" + "Some *text* here. " * 40,
        )
    return root


def set_word(site: Path, word: str) -> None:
    """Change one page, so two builds differ in a few files and in the search index."""
    write(site / IMEC, f"---\ntitle: imec\ndescription: Research.\n---\nimec says {word}.\n")


def stale(parent: Path) -> list[str]:
    return [p.name for p in parent.iterdir() if p.name.startswith((".build.new-", ".build.old-"))]


def cli(site: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "sitegen", "build", "--site", str(site), *extra]


def env_for(tmp_path: Path, **extra: str) -> dict[str, str]:
    """Temporary files of killed builds stay inside the test's folder."""
    tmp = tmp_path / "tmp"
    tmp.mkdir(exist_ok=True)
    return os.environ | {"TMPDIR": str(tmp)} | extra


def test_sigkill_at_any_point_leaves_the_old_or_the_new_build(run: Run, tmp_path: Path) -> None:
    site = make_site(tmp_path / "site")
    env = env_for(tmp_path)
    snapshots: dict[str, dict[str, bytes]] = {}
    duration = 0.0
    for word in ("alpha", "beta", "alpha"):  # the last one has warm caches, like the kills
        set_word(site, word)
        start = time.monotonic()
        done = subprocess.run(cli(site), env=env, capture_output=True, text=True, check=False)
        assert done.returncode == 0, done.stderr
        duration = time.monotonic() - start
        snapshots[word] = tree_bytes(site / "build")
    assert snapshots["alpha"] != snapshots["beta"]
    rng = random.Random(SEED)
    current, survived = "alpha", 0
    for kill in range(KILLS):
        target = "alpha" if current == "beta" else "beta"
        set_word(site, target)
        delay = rng.uniform(0, duration)
        proc = subprocess.Popen(
            cli(site),
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        time.sleep(delay)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        left = tree_bytes(site / "build")
        assert left in (snapshots[current], snapshots[target]), f"kill {kill} at {delay:.2f}s"
        code, _, err = run("build", "--site", site)
        assert code == 0 and "Traceback" not in err, err
        assert tree_bytes(site / "build") == snapshots[target]
        assert not stale(site)
        current, survived = target, survived + 1
    assert survived == KILLS
    print(f"{survived} kill points survived over {duration:.2f}s builds")  # noqa: T201


@pytest.fixture
def built(run: Run, site: Path) -> dict[str, bytes]:
    code, _, err = run("build", "--site", site)
    assert code == 0, err
    set_word(site, "changed")  # the next build would differ
    return tree_bytes(site / "build")


def test_a_second_build_fails_clearly_while_another_writes(
    run: Run, site: Path, built: dict[str, bytes]
) -> None:
    fd = os.open(site / ".build.lock", os.O_RDWR | os.O_CREAT)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        code, _, err = run("build", "--site", site)
    finally:
        os.close(fd)
    assert code == 1 and "another build is writing" in err and "Traceback" not in err
    assert tree_bytes(site / "build") == built


def test_two_builds_started_at_once_never_corrupt_the_build(
    run: Run, tmp_path: Path, site: Path, built: dict[str, bytes]
) -> None:
    env = env_for(tmp_path)
    procs = [
        subprocess.Popen(cli(site), env=env, stderr=subprocess.PIPE, text=True) for _ in range(2)
    ]
    results = [(p.wait(timeout=120), p.communicate()[1]) for p in procs]
    for code, err in results:
        assert "Traceback" not in err
        assert code == 0 or (code == 1 and "another build is writing" in err), err
    assert any(code == 0 for code, _ in results)
    after = tree_bytes(site / "build")
    code, _, err = run("build", "--site", site, "--no-cache")
    assert code == 0, err
    assert tree_bytes(site / "build") == after != built
    assert not stale(site)


@contextlib.contextmanager
def tmpfs(folder: Path, size: str) -> Iterator[Path]:
    """A small file system of its own; needs root, as in CI containers."""
    folder.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
        capture_output=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here (needs root): {mounted.stderr!r}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def fails_keeping(run: Run, site: Path, out: Path, before: dict[str, bytes], words: str) -> None:
    code, _, err = run("build", "--site", site, "--out", out)
    assert code == 1 and "Traceback" not in err, err
    assert f"{out}:1:1: error: cannot write the build: {words}" in err
    assert "the previous build was left as it was" in err
    assert tree_bytes(out) == before
    assert not stale(out.parent)


def test_a_full_disk_keeps_the_old_build(run: Run, tmp_path: Path, site: Path) -> None:
    with tmpfs(tmp_path / "disk", "6m") as disk:
        out = disk / "build"
        code, _, err = run("build", "--site", site, "--out", out)
        assert code == 0, err
        before = tree_bytes(out)
        (site / "content/partners/imec/report.bin").write_bytes(random.randbytes(5_000_000))
        fails_keeping(run, site, out, before, "No space left on device")


def test_a_failing_write_keeps_the_old_build(
    run: Run, site: Path, built: dict[str, bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same without root: every write into the staging folder finds the disk full."""
    real = writer._write_file

    def full(path: str, data: bytes) -> None:
        if ".build.new-" in path:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), path)
        real(path, data)

    monkeypatch.setattr(writer, "_write_file", full)
    fails_keeping(run, site, site / "build", built, "No space left on device")


def test_a_read_only_build_folder_parent_keeps_the_old_build(
    run: Run, tmp_path: Path, site: Path
) -> None:
    with tmpfs(tmp_path / "disk", "20m") as disk:
        out = disk / "build"
        code, _, err = run("build", "--site", site, "--out", out)
        assert code == 0, err
        before = tree_bytes(out)
        set_word(site, "changed")
        subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)
        fails_keeping(run, site, out, before, "Read-only file system")


def test_output_is_the_same_for_any_hash_seed_and_current_folder(
    tmp_path: Path, site: Path
) -> None:
    outs = []
    for seed, cwd, site_arg in (("1", site, "."), ("4242", tmp_path, str(site))):
        out = tmp_path / f"out-{seed}"
        done = subprocess.run(
            [*cli(Path(site_arg), "--no-cache", "--out", str(out))],
            cwd=cwd,
            env=env_for(tmp_path, PYTHONHASHSEED=seed),
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        outs.append(tree_bytes(out))
    assert outs[0] == outs[1]


class _Listing:
    """What os.scandir returns, with the entries in a given order."""

    def __init__(self, entries: list[os.DirEntry[str]]) -> None:
        self.entries = entries
        self.left = iter(entries)

    def __iter__(self) -> Iterator[os.DirEntry[str]]:
        return iter(self.entries)

    def __next__(self) -> os.DirEntry[str]:  # os.walk reads it as an iterator
        return next(self.left)

    def __enter__(self) -> Iterator[os.DirEntry[str]]:
        return iter(self.entries)

    def __exit__(self, *exc: object) -> None:
        return None

    def close(self) -> None:
        return None


def test_output_is_the_same_whatever_order_the_file_system_lists(
    run: Run, tmp_path: Path, site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    copy = tmp_path / "copy"
    for path in sorted(site.rglob("*"), reverse=True):  # created in the opposite order
        target = copy / path.relative_to(site)
        if path.is_file():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
    assert run("build", "--site", site, "--no-cache")[0] == 0
    scandir, listdir = os.scandir, os.listdir

    def reversed_scandir(path: str | os.PathLike[str] = ".") -> _Listing:
        with scandir(path) as it:
            return _Listing(list(it)[::-1])

    monkeypatch.setattr(os, "scandir", reversed_scandir)
    monkeypatch.setattr(os, "listdir", lambda path=".": listdir(path)[::-1])
    assert run("build", "--site", copy, "--no-cache")[0] == 0
    monkeypatch.undo()
    assert tree_bytes(copy / "build") == tree_bytes(site / "build")


def test_a_corrupt_or_truncated_cache_is_rebuilt(run: Run, site: Path) -> None:
    assert run("build", "--site", site)[0] == 0
    before = tree_bytes(site / "build")
    cache = [p for p in (site / ".sitegen-cache").rglob("*") if p.is_file()]
    assert cache
    for i, path in enumerate(cache):
        data = path.read_bytes()
        path.write_bytes(data[: len(data) // 2] if i % 2 else data[:-1] + b"\x00")
    os.utime(site / IMEC)  # touched: the inputs look changed, the text is the same
    code, _, err = run("build", "--site", site)
    assert code == 0 and "Traceback" not in err, err
    assert tree_bytes(site / "build") == before
