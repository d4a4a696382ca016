"""load -> validate -> model -> render -> write; `check` stops before write."""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path

from sitegen.config import parse_config
from sitegen.diagnostics import Diagnostic, error, has_errors, sort_diagnostics
from sitegen.load import load_sources
from sitegen.model.build import build_site
from sitegen.model.site import Site
from sitegen.render.environment import make_environment
from sitegen.render.markdown import SitegenMarkdown
from sitegen.render.pages import RenderInput, iter_outputs
from sitegen.validate import validate_sources
from sitegen.write import WriteError, build_lock, clean_stale, new_staging, swap_in, write_outputs


@dataclass(slots=True)
class Result:
    """What a run produced: the model (if it got that far), problems, and files written."""

    site: Site | None = None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    files: int = 0

    @property
    def ok(self) -> bool:
        return not has_errors(self.diagnostics)


def load_site(
    root: Path, base_url: str | None = None
) -> tuple[Site | None, RenderInput | None, list[Diagnostic]]:
    """Stages 1-3: read, check and model the site, collecting every problem."""
    sources = load_sources(root)
    diags = list(sources.diagnostics)
    config, config_diags = parse_config(sources.site)
    diags += config_diags
    if config is None:
        return None, None, sort_diagnostics(diags)
    if base_url:
        config = config.with_base_url(base_url)
    pages, strings, checked = validate_sources(sources, config, sources.template_names)
    diags += checked
    if has_errors(diags):
        return None, None, sort_diagnostics(diags)
    site, model_diags = build_site(pages, strings, config)
    diags += model_diags
    inputs = RenderInput(
        make_environment(sources.templates_dir),
        SitegenMarkdown(),
        sources.assets,
        sources.templates_dir,
    )
    return site, inputs, sort_diagnostics(diags)


def check(root: Path, base_url: str | None = None) -> Result:
    """Everything a build does except writing: render into nothing."""
    site, inputs, diags = load_site(root, base_url)
    result = Result(site, diags)
    if site is None or inputs is None or has_errors(diags):
        return result
    render_diags: list[Diagnostic] = []
    result.files = sum(1 for _ in iter_outputs(site, inputs, render_diags))
    result.diagnostics = sort_diagnostics(diags + render_diags)
    return result


def build(root: Path, out: Path, base_url: str | None = None) -> Result:
    """Render into a fresh folder and swap it in only if nothing failed."""
    site, inputs, diags = load_site(root, base_url)
    result = Result(site, diags)
    if site is None or inputs is None or has_errors(diags):
        return result
    out = out.absolute()
    render_diags: list[Diagnostic] = []
    try:
        with build_lock(out):
            clean_stale(out)
            staging = new_staging(out)
            try:
                result.files = write_outputs(iter_outputs(site, inputs, render_diags), staging)
                if not has_errors(render_diags):
                    swap_in(staging, out)
            finally:
                if staging.exists():
                    shutil.rmtree(staging, ignore_errors=True)
    except (WriteError, OSError) as exc:
        message = (
            str(exc)
            if isinstance(exc, WriteError)
            else f"cannot write the build: {exc.strerror or exc}"
        )
        render_diags.append(
            error(
                str(out),
                1,
                1,
                message,
                "free disk space or choose a writable folder with --out; "
                "the previous build was left as it was",
            )
        )
    result.diagnostics = sort_diagnostics(diags + render_diags)
    return result
