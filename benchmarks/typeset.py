"""What typesetting costs on a site's pages, with quiet stretches passed over and without.

`python -m benchmarks.typeset SITE [--rounds N]` renders SITE in one process (no search, no
cache, into a temporary folder), keeps every page as it leaves its template, then typesets
them all again, each way, best of N rounds, and checks that both ways give the same pages.
Typesetting is timed alone, so the figure does not drown in a whole build's noise; compare
it within one run, as the machine's speed changes between runs.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from sitegen import pipeline
from sitegen.render import pages
from sitegen.render.typography import SectionMemo, typeset


def recorded_pages(site: Path) -> list[str]:
    """Every page of the site as its template rendered it, before typesetting."""
    seen: list[str] = []
    real = pages.typeset

    def recording(page: str, memo: SectionMemo | None = None) -> str:
        seen.append(page)
        return real(page, memo)

    pages.typeset = recording  # type: ignore[assignment]
    try:
        with tempfile.TemporaryDirectory(prefix="sitegen-typeset-") as out:
            result = pipeline.build(site, Path(out) / "build", search=False, jobs=1)
    finally:
        pages.typeset = real  # type: ignore[assignment]
    if not result.ok:
        raise SystemExit("\n".join(d.format() for d in result.diagnostics))
    return seen


def best_time(typeset: Callable[[], list[str]], rounds: int) -> tuple[float, list[str]]:
    """The fastest of `rounds` passes over the pages, and what the last one gave."""
    best, out = float("inf"), []
    for _ in range(rounds):
        start = time.perf_counter()
        out = typeset()
        best = min(best, time.perf_counter() - start)
    return best, out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("site", type=Path)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    recorded = recorded_pages(args.site)

    def typeset_all(pass_quiet: bool) -> Callable[[], list[str]]:
        def run() -> list[str]:
            memo = SectionMemo()
            return [typeset(page, memo, pass_quiet) for page in recorded]

        return run

    fast, fast_out = best_time(typeset_all(True), args.rounds)
    slow, slow_out = best_time(typeset_all(False), args.rounds)
    print(f"{len(recorded)} pages, best of {args.rounds}")
    print(f"quiet stretches passed over:   {fast:.3f} s")
    print(f"every tag stepped through:     {slow:.3f} s")
    same = fast_out == slow_out
    print("the same pages both ways" if same else "THE PAGES DIFFER")
    return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())
