"""The lock files agree with pyproject.toml, checked offline (no resolver, no index).

`make lock` writes requirements/runtime.txt and requirements/test.txt with uv; `make` installs
them with `pip install --require-hashes`. These tests fail when someone edits the dependencies
in pyproject.toml without running `make lock`, or edits a lock by hand.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = ROOT / "pyproject.toml"
RUNTIME_LOCK = ROOT / "requirements" / "runtime.txt"
TEST_LOCK = ROOT / "requirements" / "test.txt"
# The one platform the locks are made for (see UV_COMPILE in the Makefile).
TARGET = {
    **default_environment(),
    "python_version": "3.11",
    "python_full_version": "3.11.0",
    "implementation_name": "cpython",
    "platform_python_implementation": "CPython",
    "sys_platform": "linux",
    "os_name": "posix",
    "platform_system": "Linux",
    "platform_machine": "x86_64",
}
# What `uv pip compile` writes as the source of a requirement named in pyproject.toml.
FROM_PYPROJECT = "sitegen (pyproject.toml)"
PIN = re.compile(r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)==(?P<version>\S+)$")


@dataclass
class Pin:
    name: str
    version: Version
    line: int
    hashes: list[str] = field(default_factory=list)
    via: list[str] = field(default_factory=list)


@dataclass
class Lock:
    path: Path
    header: str
    pins: dict[str, Pin]
    problems: list[str]


def read_lock(path: Path) -> Lock:
    """Parse a `--generate-hashes` requirements file: pins, their hashes and `# via` notes."""
    text = path.read_text(encoding="utf-8")
    header = "\n".join(line for line in text.splitlines()[:3] if line.startswith("#"))
    pins: dict[str, Pin] = {}
    problems: list[str] = []
    current: Pin | None = None
    in_via = False
    logical = ""
    start = 0
    for number, raw in enumerate(text.splitlines(), start=1):
        stripped = raw.strip()
        if stripped.startswith("#"):
            note = stripped.lstrip("#").strip()
            if note.startswith("via"):
                rest = note[3:].strip()
                in_via = not rest
                if current is not None and rest:
                    current.via.append(rest)
            elif in_via and current is not None and raw.startswith("    #   "):
                current.via.append(note)
            else:
                in_via = False
            continue
        if not stripped:
            continue
        if not logical:
            start = number
        logical += " " + stripped.removesuffix("\\")
        if stripped.endswith("\\"):
            continue
        words, logical = logical.split(), ""
        in_via = False
        current = None
        requirement = [w for w in words if not w.startswith("-")]
        options = [w for w in words if w.startswith("-")]
        if len(requirement) != 1 or not PIN.match(requirement[0]):
            problems.append(f"{path.name}:{start}: not one exact `name==version` pin: {words}")
            continue
        match = PIN.match(requirement[0])
        assert match is not None
        name = canonicalize_name(match["name"])
        current = Pin(name, Version(match["version"]), start)
        for option in options:
            if option.startswith("--hash=sha256:"):
                current.hashes.append(option)
            else:
                problems.append(f"{path.name}:{start}: {name}: unexpected option {option}")
        if name in pins:
            problems.append(f"{path.name}:{start}: {name} pinned twice")
        pins[name] = current
    return Lock(path, header, pins, problems)


def pyproject() -> dict[str, Any]:
    with PYPROJECT.open("rb") as file:
        project: dict[str, Any] = tomllib.load(file)["project"]
    return project


def runtime_requirements() -> list[Requirement]:
    return [Requirement(r) for r in pyproject()["dependencies"]]


def runtime_and_test_requirements() -> list[Requirement]:
    return runtime_requirements() + [
        Requirement(r) for r in pyproject()["optional-dependencies"]["test"]
    ]


LOCKS = [
    pytest.param(RUNTIME_LOCK, runtime_requirements, id="runtime"),
    pytest.param(TEST_LOCK, runtime_and_test_requirements, id="test"),
]


def unpinned_or_out_of_range(lock: Lock, wanted: list[Requirement]) -> list[str]:
    wrong = []
    for req in wanted:
        if req.marker is not None and not req.marker.evaluate(TARGET):
            continue
        pin = lock.pins.get(canonicalize_name(req.name))
        if pin is None:
            wrong.append(f"{req}: not pinned in {lock.path.name}")
        elif not req.specifier.contains(pin.version, prereleases=True):
            wrong.append(f"{req}: {lock.path.name} pins {pin.version} (line {pin.line})")
    return wrong


@pytest.mark.parametrize(("path", "wanted"), LOCKS)
def test_every_dependency_in_pyproject_is_pinned_in_the_lock_within_its_range(
    path: Path, wanted: Callable[[], list[Requirement]]
) -> None:
    wrong = unpinned_or_out_of_range(read_lock(path), wanted())
    assert not wrong, "pyproject.toml and the lock disagree; run `make lock`:\n" + "\n".join(wrong)


@pytest.mark.parametrize(("path", "wanted"), LOCKS)
def test_no_pin_comes_from_a_dependency_pyproject_no_longer_names(
    path: Path, wanted: Callable[[], list[Requirement]]
) -> None:
    named = {canonicalize_name(r.name) for r in wanted()}
    lock = read_lock(path)
    stale = [
        f"{pin.name} (line {pin.line})"
        for pin in lock.pins.values()
        if FROM_PYPROJECT in pin.via and pin.name not in named
    ]
    assert not stale, f"{path.name} pins what pyproject.toml dropped; run `make lock`: {stale}"


@pytest.mark.parametrize("path", [RUNTIME_LOCK, TEST_LOCK], ids=["runtime", "test"])
def test_every_line_of_the_lock_is_an_exact_pin_with_hashes(path: Path) -> None:
    lock = read_lock(path)
    assert lock.pins, f"{path.name} pins nothing"
    unhashed = [f"{pin.name} (line {pin.line})" for pin in lock.pins.values() if not pin.hashes]
    assert not lock.problems, "\n".join(lock.problems)
    assert not unhashed, f"{path.name}: pins without --hash (pip --require-hashes refuses them)"


@pytest.mark.parametrize(
    ("path", "arguments"),
    [
        pytest.param(RUNTIME_LOCK, ["--generate-hashes"], id="runtime"),
        pytest.param(TEST_LOCK, ["--generate-hashes", "--extra test"], id="test"),
    ],
)
def test_the_lock_header_says_it_was_made_from_pyproject_toml(
    path: Path, arguments: list[str]
) -> None:
    header = read_lock(path).header
    command = re.search(r"^#\s+(uv pip compile|pip-compile) .*$", header, re.MULTILINE)
    assert command, f"{path.name}: no `uv pip compile` command in its header:\n{header}"
    words = command[0].split()
    assert "pyproject.toml" in words, f"{path.name} was not made from pyproject.toml: {command[0]}"
    for argument in arguments:
        assert argument in command[0], f"{path.name} was made without {argument}: {command[0]}"
    assert f"-o requirements/{path.name}" in command[0], f"{path.name} was made as another file"


def test_the_test_lock_pins_the_runtime_dependencies_at_the_shipped_versions() -> None:
    runtime, test = read_lock(RUNTIME_LOCK), read_lock(TEST_LOCK)
    differ = [
        f"{name}: runtime {pin.version}, test {other.version if other else 'none'}"
        for name, pin in runtime.pins.items()
        if (other := test.pins.get(name)) is None or other.version != pin.version
    ]
    assert not differ, "the tests would not run what ships; run `make lock`:\n" + "\n".join(differ)


@pytest.mark.parametrize("path", [RUNTIME_LOCK, TEST_LOCK], ids=["runtime", "test"])
def test_the_lock_names_no_package_index_or_local_path(path: Path) -> None:
    # CI and a fresh machine reach the default index only: a local mirror's address breaks them.
    text = path.read_text(encoding="utf-8")
    found = re.findall(r"(?m)^\s*(-i|--(?:extra-)?index-url|-f|--find-links)\b.*$", text)
    found += re.findall(r"file:/\S+", text)
    assert not found, f"{path.name} names an index or a local path: {found}"
