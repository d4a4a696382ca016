"""The cache saves only what changed, and never trusts a part that does not belong."""

from __future__ import annotations

from pathlib import Path

import jinja2
import pytest

from sitegen import pipeline
from sitegen.incremental.pending import PendingEntries
from sitegen.incremental.renderer import DepTable
from sitegen.incremental.store import CACHE_DIR, DELTA, SavedMap, Store
from sitegen.incremental.templatecode import NAME as COMPILED
from tests.conftest import tree_bytes


def cached_build(site: Path) -> dict[str, bytes]:
    result = pipeline.build(site, site / "build", search=False, use_cache=True)
    assert result.ok, [d.format() for d in result.diagnostics]
    return tree_bytes(site / "build")


def append(path: Path, text: str) -> None:
    with path.open("a", encoding="utf-8") as handle:
        handle.write(text)


def test_a_one_page_edit_rewrites_a_small_delta_not_the_whole_cache(
    site: Path, tmp_path: Path
) -> None:
    cached_build(site)
    cache = site / CACHE_DIR
    bases = {p.name: p.stat().st_mtime_ns for p in cache.glob("*.pickle")}
    append(site / "content/partners/imec/nl.md", "\nNog een zin.\n")
    rebuilt = cached_build(site)
    clean = pipeline.build(site, tmp_path / "clean", search=False)
    assert clean.ok
    assert rebuilt == tree_bytes(tmp_path / "clean")
    deltas = {p.name[: -len(DELTA)]: p.stat().st_size for p in cache.glob(f"*{DELTA}")}
    for name in ("sources.pickle", next(n for n in bases if n.startswith("manifest-"))):
        assert (cache / name).stat().st_mtime_ns == bases[name], f"{name} was rewritten"
        assert deltas[name] < (cache / name).stat().st_size / 2


def test_many_edits_fold_the_delta_into_a_new_base_and_stay_right(
    site: Path, tmp_path: Path
) -> None:
    cached_build(site)
    base = site / CACHE_DIR / "sources.pickle"
    first = base.stat().st_mtime_ns
    pages = sorted((site / "content").rglob("en.md"))
    assert len(pages) >= 8
    for i, page in enumerate(pages):  # past 1/8 of the entries: the base is written again
        append(page, f"\nEdit number {i}.\n")
        rebuilt = cached_build(site)
    assert base.stat().st_mtime_ns != first
    clean = pipeline.build(site, tmp_path / "clean", search=False)
    assert clean.ok
    assert rebuilt == tree_bytes(tmp_path / "clean")


def test_a_delta_left_beside_another_base_is_never_applied(tmp_path: Path) -> None:
    """A crash between writing a new base and removing the old delta must not bring back
    values from before the new base."""
    store = Store(tmp_path)
    values = {f"page-{i}": ("first", i) for i in range(40)}
    first: SavedMap[str, tuple[str, int]] = SavedMap(store, "m")
    first.save(values, "extra-1")
    edited = SavedMap[str, tuple[str, int]](store, "m")
    edited.save(edited.values | {"page-0": ("stale", 0)}, "extra-2")  # a delta
    stale = (tmp_path / f"m{DELTA}").read_bytes()
    folded = SavedMap[str, tuple[str, int]](store, "m")
    everything = {key: ("new", i) for i, key in enumerate(values)}
    folded.save(everything, "extra-3")  # every entry changed: a new base
    (tmp_path / f"m{DELTA}").write_bytes(stale)
    again = SavedMap[str, tuple[str, int]](store, "m")
    assert again.values == everything
    assert again.extra == "extra-3"


@pytest.mark.parametrize("damage", ["base", "delta"])
def test_a_damaged_part_is_ignored(tmp_path: Path, damage: str) -> None:
    store = Store(tmp_path)
    saved: SavedMap[str, int] = SavedMap(store, "m")
    saved.save({f"k{i}": i for i in range(40)}, None)
    loaded = SavedMap[str, int](store, "m")
    loaded.save(loaded.values | {"k0": -1}, None)
    part = tmp_path / ("m" if damage == "base" else f"m{DELTA}")
    part.write_bytes(part.read_bytes()[:-3])
    after = SavedMap[str, int](store, "m").values
    if damage == "base":
        assert after == {}  # nothing is trusted: the next build renders everything
    else:
        assert after == {f"k{i}": i for i in range(40)}  # the base alone, as it was saved


def test_a_one_page_edit_compiles_no_template(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cached_build(site)
    compiled: list[str | None] = []
    real = jinja2.Environment.compile

    def counting(self: jinja2.Environment, source: object, name: str | None = None, *a: object):  # type: ignore[no-untyped-def]
        compiled.append(name)
        return real(self, source, name, *a)  # type: ignore[arg-type]

    monkeypatch.setattr(jinja2.Environment, "compile", counting)
    append(site / "content/partners/imec/en.md", "\nOne more sentence.\n")
    cached_build(site)
    assert compiled == []
    append(site / "templates/base.html", "\n")
    cached_build(site)
    assert "base.html" in compiled  # an edited template is compiled again


def test_a_deleted_template_leaves_the_cache(site: Path) -> None:
    extra = site / "templates/_extra.html"
    extra.write_text("<p>{{ page.title }}</p>\n", encoding="utf-8")
    cached_build(site)
    compiled, _ = Store.of_site(site).load(COMPILED)
    extra.unlink()
    cached_build(site)
    left, _ = Store.of_site(site).load(COMPILED)
    assert len(left) == len(compiled) - 1 and left.keys() < compiled.keys()


def test_what_pages_read_is_remembered_exactly_past_65536_model_keys(tmp_path: Path) -> None:
    """Dependency numbers take 16 bits while the table allows and 32 after; both come back
    from the file the renderer keeps them in, in order, so a very big site's next build
    reuses exactly the pages whose inputs did not change."""
    table = DepTable([("p", f"page-{n}") for n in range(65_535)])
    first = (("p", "page-7"), ("v", ("new", "en")))  # the 65,536th key: still 16 bits
    second = (("v", ("newer", "fr")), ("p", "page-65534"), ("p", "page-0"))
    pending = PendingEntries(tmp_path / "cache")
    for n, deps in enumerate((first, second)):
        pending.add((f"page-{n}.html", "own", table.pack(deps), "digest", (("a.png", "x"),)))
    back = list(pending.drain())
    assert [out for out, *_ in back] == ["page-0.html", "page-1.html"]
    assert [table.unpack(numbers) for _, _, numbers, _, _ in back] == [first, second]
    assert [numbers.itemsize for _, _, numbers, _, _ in back] == [2, 4]
    assert back[0][4] == (("a.png", "x"),)
    assert list(pending.drain()) == []  # read once; the file is gone
    assert list((tmp_path / "cache").iterdir()) == []


def test_records_of_a_build_that_was_never_committed_are_dropped(tmp_path: Path) -> None:
    pending = PendingEntries(tmp_path)
    pending.add(("a.html", "own", DepTable().pack((("p", "a"),)), "digest", ()))
    pending.close()
    assert list(pending.drain()) == []


def test_a_site_whose_cache_folder_cannot_be_written_still_builds(site: Path) -> None:
    """The cache is optional: where `.sitegen-cache` cannot be a folder, the build goes on
    without it, and what the pages read waits in the system's temporary folder instead."""
    (site / CACHE_DIR).write_text("not a folder\n", encoding="utf-8")
    first = cached_build(site)
    assert first == cached_build(site)
    assert (site / CACHE_DIR).read_text(encoding="utf-8") == "not a folder\n"
