"""How many processes to render in: its own module, so that the command line can offer the
default without importing multiprocessing (a no-change build should start fast)."""

from __future__ import annotations

import os


def default_jobs() -> int:
    """All cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1
