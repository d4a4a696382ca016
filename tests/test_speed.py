"""Parallel and incremental builds give exactly the bytes of a clean, serial build."""

from __future__ import annotations

import gc
import hashlib
import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from benchmarks.corpus import generate
from sitegen import pipeline
from sitegen.incremental.cache import CACHE_DIR
from sitegen.incremental.parallel import (
    WorkerError,
    _Fullness,
    _own_bytes,
    ordered_map,
    split_map,
)
from sitegen.incremental.renderer import IncrementalRenderer, Reuse
from sitegen.render.pages import iter_outputs, render_versions
from sitegen.source.load import load_sources
from tests.conftest import tree_bytes


def clean_build(site: Path, out: Path) -> dict[str, bytes]:
    result = pipeline.build(site, out, search=False)
    assert result.ok, [d.format() for d in result.diagnostics]
    return tree_bytes(out)


def cached_build(site: Path) -> dict[str, bytes]:
    result = pipeline.build(site, site / "build", search=False, jobs=2, use_cache=True)
    assert result.ok, [d.format() for d in result.diagnostics]
    return tree_bytes(site / "build")


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


EDITS = [
    ("a page's text", "content/partners/imec/en.md", "title: imec", "title: imec (edited)"),
    # VIB has no website, so the footer does not show it; its cluster's page lists it.
    ("a title only a list shows", "content/partners/vib/en.md", "title: VIB", "title: VIB Gent"),
    ("a relation", "content/partners/imec/data.yaml", "[ict, life-sciences]", "[ict]"),
    ("a template", "templates/base.html", "<body>", "<body data-edited>"),
    ("a UI string", "content/strings.yaml", "Skip to content", "Skip to the content"),
    ("the settings", "content/site.yaml", "fallback: publish", "fallback: omit"),
    ("an asset", "assets/css/site.css", "body", "body "),
]


@pytest.mark.parametrize(("kind", "rel", "old", "new"), EDITS, ids=[e[0] for e in EDITS])
def test_rebuild_after_editing_one_file_matches_a_clean_build(
    site: Path, tmp_path: Path, kind: str, rel: str, old: str, new: str
) -> None:
    cached_build(site)
    edit(site / rel, old, new)
    rebuilt = cached_build(site)
    assert rebuilt == clean_build(site, tmp_path / "clean"), kind


def test_rebuild_without_changes_reuses_the_build(site: Path) -> None:
    first = cached_build(site)
    assert cached_build(site) == first
    (site / "build" / "en" / "index.html").write_bytes(b"tampered")
    assert cached_build(site) == first


def test_a_build_with_nothing_changed_answers_before_loading_the_renderer(site: Path) -> None:
    """`sitegen build` with nothing to do costs the stamps of the files: no Jinja, no
    Markdown, no model, not even importlib.metadata (0.07 s of 0.4 s at 1,000 folders).
    A fresh interpreter shows what the command line imported."""
    probe = (
        "import sys\nfrom sitegen.cli import main\ncode = main(sys.argv[1:])\n"
        "heavy = ('jinja2', 'markdown', 'sitegen.pipeline', 'importlib.metadata')\n"
        "print(sorted(m for m in heavy if m in sys.modules))\n"
        "sys.exit(code)"
    )

    def build() -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-c", probe, "build", "--site", str(site), "--no-search"]
        return subprocess.run(command, capture_output=True, text=True, check=False)

    first = build()
    assert first.returncode == 0, first.stderr
    assert "'sitegen.pipeline'" in first.stdout  # the probe sees a real build
    again = build()
    assert again.returncode == 0, again.stderr
    assert again.stdout.strip() == "[]", again.stdout
    (site / "content/partners/imec/en.md").write_text(
        (site / "content/partners/imec/en.md").read_text() + "\nOne more line.\n"
    )
    assert "'sitegen.pipeline'" in build().stdout


def test_corrupt_cache_files_are_ignored(site: Path, tmp_path: Path) -> None:
    cached_build(site)
    for path in (site / CACHE_DIR).rglob("*"):
        if path.is_file() and not path.parent.name.startswith(("images", "compress")):
            data = path.read_bytes()
            path.write_bytes(data[: len(data) // 2])
    edit(site / "content/partners/imec/nl.md", "imec", "imec!")
    assert cached_build(site) == clean_build(site, tmp_path / "clean")


def test_a_one_page_edit_rewrites_that_page_and_links_the_rest(site: Path) -> None:
    cached_build(site)
    build = site / "build"
    inodes = {p: p.stat().st_ino for p in build.rglob("*.html")}
    with (site / "content/partners/imec/nl.md").open("a", encoding="utf-8") as handle:
        handle.write("\nNog een zin.\n")
    cached_build(site)
    changed = {p.relative_to(build).as_posix() for p in inodes if p.stat().st_ino != inodes[p]}
    pages = {rel for rel in changed if "/" in rel and not rel.endswith("404.html")}
    assert pages == {"nl/partners/imec/index.html"}  # 404s and the chooser are always written
    manifest = json.loads((site / "build.manifest.json").read_text(encoding="utf-8"))
    assert manifest["files"] == {
        p.relative_to(build).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in build.rglob("*")
        if p.is_file()
    }


def rerendered_pages(site: Path, change: Callable[[], None]) -> set[str]:
    """The page files a cached rebuild after `change` wrote anew (others are linked)."""
    cached_build(site)
    build = site / "build"
    inodes = {p: p.stat().st_ino for p in build.rglob("index.html")}
    change()
    assert cached_build(site) == clean_build(site, site.parent / "clean")
    changed = {p.relative_to(build).as_posix() for p in inodes if p.stat().st_ino != inodes[p]}
    return {rel for rel in changed if "/" in rel}  # the root chooser is written every time


def outputs_of(site: Path, kind: str) -> set[str]:
    model, _, _ = pipeline.load_site(site)
    assert model is not None
    return {v.out for v in model.versions.values() if model.pages[v.path].kind == kind}


def test_a_template_edit_rerenders_only_the_pages_that_use_it(site: Path) -> None:
    path = site / "templates/partner.html"
    changed = rerendered_pages(site, lambda: path.write_text(path.read_text() + "{# x #}\n"))
    assert changed == outputs_of(site, "partner")


def test_a_ui_string_edit_rerenders_only_the_pages_that_show_it(site: Path) -> None:
    changed = rerendered_pages(
        site, lambda: edit(site / "content/strings.yaml", "Founded", "Established")
    )
    assert changed and changed <= outputs_of(site, "partner")  # only partners show 'founded'


def test_parallel_map_keeps_the_input_order() -> None:
    items = list(range(1000))
    result = list(ordered_map(lambda: lambda n: n * n, items, jobs=3, chunk=7, min_parallel=0))
    assert result == [n * n for n in items]


def test_a_worker_that_reached_its_memory_limit_is_replaced_without_losing_order() -> None:
    items = list(range(60))

    def run(own_limit: int) -> list[tuple[int, int]]:
        square_and_pid = lambda: lambda n: (n * n, os.getpid())  # noqa: E731
        return list(
            ordered_map(square_and_pid, items, 2, chunk=5, min_parallel=0, own_limit=own_limit)
        )

    kept = run(1 << 40)
    assert [square for square, _ in kept] == [n * n for n in items]
    assert len({pid for _, pid in kept}) == 2
    replaced = run(0)  # every worker is full after its first chunk
    assert [square for square, _ in replaced] == [n * n for n in items]
    assert len({pid for _, pid in replaced}) > 2


def test_a_collection_in_a_worker_does_not_copy_the_model_it_shares() -> None:
    """The cycle collector writes into every object it walks; in a worker it must not walk
    the model inherited from the parent, or each collection copies all of it (and at 10,000
    folders of the deep shape, workers filled up and were replaced 1,536 times a build)."""
    model = [[n] for n in range(400_000)]  # about 30 MB of objects the collector tracks

    def collect() -> Callable[[int], int]:
        def copied(_: int) -> int:
            before = _own_bytes()
            gc.collect()
            return _own_bytes() - before

        return copied

    copied = list(ordered_map(collect, [0, 1], 2, chunk=1, min_parallel=0, own_limit=1 << 40))
    assert len(model) == 400_000  # still alive here, so shared with the workers
    assert max(copied) < 4 << 20


def test_split_map_keeps_the_order_and_reports_a_failing_part() -> None:
    items = list(range(1001))
    parts = split_map(lambda part: [n * n for n in part], items, jobs=3, min_parallel=0)
    assert len(parts) == 3 and [n for part in parts for n in part] == [n * n for n in items]

    def fails_late(part: object) -> list[int]:
        if 1000 in part:  # type: ignore[operator]
            raise ValueError("the last part")
        return []

    with pytest.raises(WorkerError, match="the last part"):
        split_map(fails_late, items, jobs=2, min_parallel=0)


def test_reading_in_two_processes_finds_what_one_finds(tmp_path: Path) -> None:
    """Big sites read their folders on every core: the same pages, the same messages,
    in the same order, problems in both halves included."""
    corpus = generate(200, tmp_path / "corpus")  # 207 folders: past the threshold
    folders = sorted(p for p in (corpus.root / "content").rglob("*") if (p / "en.md").is_file())
    for folder in (folders[3], folders[-3]):
        (folder / "fr.md").write_text("---\ntitle: [broken\n---\nText.\n", encoding="utf-8")
    one = load_sources(corpus.root, None, jobs=1)
    two = load_sources(corpus.root, None, jobs=2, mapper=split_map)
    assert len(one.pages) > 200
    assert two.pages == one.pages
    assert [d.format() for d in two.diagnostics] == [d.format() for d in one.diagnostics]
    assert len(one.diagnostics) == 2, [d.format() for d in one.diagnostics]


def test_parallel_render_is_byte_identical_to_serial(tmp_path: Path) -> None:
    corpus = generate(55, tmp_path / "corpus")  # 62 folders x 4 languages: past the threshold
    site, inputs, diags = pipeline.load_site(corpus.root)
    assert site is not None and inputs is not None, diags
    serial_diags: list[object] = []
    serial = dict(iter_outputs(site, inputs, serial_diags, render_versions))  # type: ignore[arg-type]
    site, inputs, _ = pipeline.load_site(corpus.root)
    assert site is not None and inputs is not None
    parallel_diags: list[object] = []
    renderer = IncrementalRenderer(None, jobs=2, reuse=Reuse(None, compress=False))
    parallel = {
        rel: getattr(out, "data", out)
        for rel, out in iter_outputs(site, inputs, parallel_diags, renderer)  # type: ignore[arg-type]
    }
    assert len(site.versions) >= 200
    assert parallel == serial
    assert parallel_diags == serial_diags


def test_a_worker_counts_the_pages_its_parent_copied_from_it() -> None:
    """When the parent writes a page it shares with a worker, the old copy is the worker's
    alone: that is the worker's memory though the worker made no page fault for it."""
    model = [str(i) * 30 for i in range(300_000)]  # about 30 MB, shared at the fork
    reader, writer = os.pipe()
    answer_reader, answer_writer = os.pipe()
    pid = os.fork()
    if pid == 0:  # the worker: wait for the parent's writes, then look
        try:
            before = _own_bytes()
            os.read(reader, 1)
            full = _Fullness(20 << 20, 0.0)()
            os.write(answer_writer, bytes([full, _own_bytes() - before < 20 << 20]))
        finally:
            os._exit(0)
    kept = list(model)  # writes every string's reference count: the parent copies them all
    os.write(writer, b"x")
    answer = os.read(answer_reader, 2)
    os.waitpid(pid, 0)
    for fd in (reader, writer, answer_reader, answer_writer):
        os.close(fd)
    assert len(kept) == len(model)
    assert answer == bytes([True, True])  # full, though its own faults are under the limit
