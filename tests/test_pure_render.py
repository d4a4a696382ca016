"""Rendering opens no file: bodies, templates and image sizes come from what loading read.

A page that renders only from values can be rendered in any process, checked without a
disk, and can never show a file half old, half new.
"""

from __future__ import annotations

import builtins
import dataclasses
import io
import os
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import pytest

from sitegen import pipeline
from sitegen.diagnostics.diagnostic import Diagnostic
from sitegen.render.environment import make_environment
from sitegen.render.images import ImageProcessor
from sitegen.render.pages import iter_outputs, render_versions
from sitegen.source.body import read_body
from sitegen.source.load import load_sources
from tests.conftest import write
from tests.test_images import PAGE, make_image, with_body

T = TypeVar("T")


def _refuse(*args: object, **kwargs: object) -> object:
    raise AssertionError(f"rendering opened {args[0] if args else '?'}")


def _without_files(monkeypatch: pytest.MonkeyPatch, work: Callable[[], T]) -> T:
    """Run work with every way Python opens or looks at a file failing; undone after."""
    with monkeypatch.context() as patched:
        for module, name in ((builtins, "open"), (io, "open"), (os, "stat"), (os, "scandir")):
            patched.setattr(module, name, _refuse)
        try:
            return work()
        except AssertionError as exc:
            message = str(exc)
    raise AssertionError(message)


def test_a_whole_site_renders_without_opening_a_file(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_image(site / PAGE / "lab.jpg", (1200, 800), "JPEG")
    write(
        site / PAGE / "mark.svg", '<svg xmlns="http://www.w3.org/2000/svg" width="12" height="6"/>'
    )
    with_body(site, "![Lab](lab.jpg) ![Mark](mark.svg) [gone](/no/such/page)")
    warm, inputs, diags = pipeline.load_site(site)
    assert warm is not None and inputs is not None, diags
    list(iter_outputs(warm, inputs, [], render_versions))  # Babel's locale data, Jinja's code

    sources = load_sources(site)
    loaded, fresh, _ = pipeline.model_site(sources)
    assert loaded is not None and fresh is not None
    bodies = {v.text.body: read_body(v.text.body) for v in loaded.versions.values()}
    fresh = dataclasses.replace(
        fresh,
        env=make_environment(dict(sources.templates), sources.templates_dir),
        bodies=bodies.__getitem__,
    )
    found: list[Diagnostic] = []
    outputs = _without_files(
        monkeypatch, lambda: dict(iter_outputs(loaded, fresh, found, render_versions))
    )

    page = outputs["en/partners/imec/index.html"]
    assert isinstance(page, bytes)
    assert b'src="/assets/img/lab.' in page  # sized and named from what loading read
    assert b'height="6"' in page and b'width="12"' in page
    assert any("link to '/no/such/page'" in d.message for d in found)  # reported, with its line
    assert isinstance(fresh.images, ImageProcessor)
    assert [w.variant.out for w in fresh.images.wanted([])]  # left for the output stage
