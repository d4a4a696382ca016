"""`sitegen new` and `sitegen check` as an editor uses them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import Run


def test_new_creates_a_file_per_language_and_the_kinds_data(run: Run, site: Path) -> None:
    code, out, err = run("new", "partner", "voka", "--site", site)
    assert code == 0, err
    folder = site / "content/partners/voka"
    assert sorted(p.name for p in folder.iterdir()) == [
        "data.yaml",
        "de.md",
        "en.md",
        "fr.md",
        "nl.md",
    ]
    data = (folder / "data.yaml").read_text()
    assert "clusters:" in data and "website" in data
    assert run("build", "--site", site)[0] == 0
    assert not (site / "build/en/partners/voka").exists()  # a draft until the editor publishes


def test_new_refuses_to_overwrite_an_existing_folder(run: Run, site: Path) -> None:
    before = (site / "content/partners/imec/en.md").read_text()
    code, _, err = run("new", "partner", "imec", "--site", site)
    assert code == 1 and "exists already" in err
    assert (site / "content/partners/imec/en.md").read_text() == before


def test_new_with_unknown_kind_suggests_one(run: Run, site: Path) -> None:
    code, _, err = run("new", "partnr", "x", "--site", site)
    assert code == 2 and "did you mean 'partners'" in err


def test_check_writes_nothing(run: Run, site: Path) -> None:
    code, _, err = run("check", "--site", site)
    assert code == 0, err
    assert not (site / "build").exists()


def test_serve_on_a_port_that_cannot_exist_is_a_usage_error_not_a_bug(run: Run, site: Path) -> None:
    code, _, err = run("serve", "--site", site, "--port", "99999")
    assert code == 2
    assert "99999 is not a port" in err
    assert "internal error" not in err and "bug in sitegen" not in err


def test_accepting_a_folder_that_is_not_a_page_says_only_that(run: Run, site: Path) -> None:
    code, out, err = run("status", "--accept", "content/partners/nope", "--site", site)
    assert code == 1
    assert "is not a page folder" in err
    assert "nothing to accept" not in out  # it was not 'already up to date': it was no page


def test_the_command_says_everything_before_it_exits_into_a_pipe(site: Path) -> None:
    """The installed command leaves without Python's teardown (cli.entry): what it printed
    into a pipe, which Python buffers, must still arrive, with the exit code."""

    quiet = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}  # buffered, as usual

    def sitegen(*args: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "sitegen", *args, "--site", str(site)]
        return subprocess.run(command, capture_output=True, text=True, check=False, env=quiet)

    created = sitegen("new", "partners", "acme")  # a few short lines: they sit in the buffer
    assert created.returncode == 0, created.stderr
    assert "created content/partners/acme/data.yaml" in created.stdout
    (site / "content/partners/imec/en.md").write_text("---\ntitle: [\n---\n", encoding="utf-8")
    broken = sitegen("build", "--no-search")
    assert broken.returncode == 1
    assert "content/partners/imec/en.md:" in broken.stderr
    assert broken.stderr.rstrip().endswith("the previous build was left as it was")
