"""The real site, freshly built twice (at the root and under a subpath) and served by nginx.

Both builds and both nginx server blocks come from the commands a user runs:
`sitegen build --base-url ...` and `sitegen hosting nginx ...`.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from sitegen.output.manifest import manifest_path, read_redirects
from tests.hosting.server import find_nginx, free_port, require_tool, running_nginx

REPO = Path(__file__).resolve().parents[2]
SUBPATH = "/leuven-inside/"


@dataclass(frozen=True, slots=True)
class Hosted:
    """One build of the site as nginx serves it."""

    name: str
    origin: str
    prefix: str
    build: Path

    @property
    def base(self) -> str:
        return self.origin + self.prefix

    def url(self, path: str = "") -> str:
        return self.base + path.lstrip("/")

    def pages(self) -> list[str]:
        """Every page's clean URL path relative to the prefix ('' is the language chooser).

        The pages at moved pages' old addresses are not pages: nginx answers them with a 301.
        """
        moved = read_redirects(manifest_path(self.build))
        folders = (
            p.relative_to(self.build).parent.as_posix()
            for p in self.build.rglob("index.html")
            if p.relative_to(self.build).as_posix() not in moved
        )
        return sorted("" if folder == "." else folder + "/" for folder in folders)


def _sitegen(*args: str | Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "sitegen", *map(str, args)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=REPO,
    )


def _finish(process: subprocess.Popen[str], what: str) -> str:
    out, err = process.communicate(timeout=300)
    assert process.returncode == 0, f"{what} failed ({process.returncode}):\n{err}"
    return out


@pytest.fixture(scope="session")
def hosted(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Hosted]]:
    """{'root': the site at http://127.0.0.1:P/, 'sub': at http://127.0.0.1:Q/leuven-inside/}."""
    nginx = require_tool(find_nginx(), "nginx", "apt-get install nginx-light")
    work = tmp_path_factory.mktemp("hosting")
    ports = {"root": free_port(), "sub": free_port()}
    while ports["sub"] == ports["root"]:
        ports["sub"] = free_port()
    prefixes = {"root": "/", "sub": SUBPATH}
    sites: dict[str, Hosted] = {}
    builds = []
    for name, prefix in prefixes.items():
        # One copy per build: the builds run side by side and each keeps its own cache.
        site = work / f"site-{name}"
        for folder in ("content", "templates", "assets"):
            shutil.copytree(REPO / folder, site / folder)
        hosted = Hosted(name, f"http://127.0.0.1:{ports[name]}", prefix, work / f"build-{name}")
        sites[name] = hosted
        builds.append(
            (
                _sitegen(
                    "build",
                    "--site",
                    site,
                    "--out",
                    hosted.build,
                    "--base-url",
                    hosted.base,
                    "--precompress",
                ),
                name,
            )
        )
    for process, name in builds:
        _finish(process, f"sitegen build of the {name} site")
    includes = []
    for name, hosted in sites.items():
        config = _sitegen(
            "hosting", "nginx", "--site", work / f"site-{name}", "--root", hosted.build,
            "--port", f"127.0.0.1:{ports[name]}", "--prefix", hosted.prefix,
        )  # fmt: skip
        path = work / f"{name}.conf"
        path.write_text(_finish(config, "sitegen hosting nginx"))
        includes.append(path)
    with running_nginx(nginx, work / "nginx", includes, list(ports.values())):
        yield sites


@pytest.fixture(scope="session", params=["root", "sub"])
def served(request: pytest.FixtureRequest, hosted: dict[str, Hosted]) -> Hosted:
    """Each test that takes `served` runs against the root build and the subpath build."""
    return hosted[str(request.param)]
