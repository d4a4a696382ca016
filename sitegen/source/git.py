"""Asking git about the site's history, read-only, the one way sitegen runs git.

Git is optional: outside a repository, without git, or when a question takes too long, the
answer is None and each caller falls back to what it can say without history.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

TIMEOUT = 30  # seconds: a history question must never hang a build


def run_git(root: Path, *args: str) -> subprocess.CompletedProcess[str] | None:
    """`git -C root args`, with paths taken literally and quoted never; None if it cannot run."""
    env = dict(os.environ, GIT_LITERAL_PATHSPECS="1", GIT_OPTIONAL_LOCKS="0")
    try:
        return subprocess.run(
            ["git", "-c", "core.quotePath=false", "-C", str(root), *args],
            capture_output=True,
            text=True,
            env=env,
            timeout=TIMEOUT,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None


def git_output(root: Path, *args: str) -> str:
    """What git printed, or '' when it failed or could not run."""
    done = run_git(root, *args)
    return done.stdout if done is not None and done.returncode == 0 else ""
