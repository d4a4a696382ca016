"""`sitegen hosting nginx|changes`: an nginx config, or a deploy plan that the guard checked."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sitegen import pipeline
from sitegen.commands.guard import CONFIRM_FLAG, describe, find_removals, refusal
from sitegen.diagnostics.diagnostic import Diagnostic, has_errors
from sitegen.model.redirects import site_redirects
from sitegen.output import hosting, manifest


@dataclass(slots=True)
class Plan:
    """A deploy plan, or the guard's refusal; `notes` go to stderr either way."""

    upload: list[str] = field(default_factory=list)
    delete: list[str] = field(default_factory=list)
    refused: str = ""
    notes: list[str] = field(default_factory=list)


def deploy_plan(online: Path, built: Path, allow_removals: bool = False) -> Plan:
    """What to upload and delete, unless the build would unpublish too much (ManifestError)."""
    online_files, built_files = manifest.read_manifest(online), manifest.read_manifest(built)
    removals = find_removals(
        online_files,
        manifest.read_redirects(online),
        built_files,
        manifest.read_redirects(built),
    )
    if removals.refused and not allow_removals:
        return Plan(refused=refusal(removals))
    upload, delete = manifest.plan_deploy(online_files, built_files)
    plan = Plan(upload, delete)
    if removals.refused:
        plan.notes = [f"sitegen: allowed by {CONFIRM_FLAG}:", *describe(removals)]
    return plan


def nginx_text(
    site: Path, root: Path | None, port: str, prefix: str | None
) -> tuple[str | None, list[Diagnostic]]:
    """The nginx config for the site's build, with its redirects (HostingError on bad values).

    The whole site is read, not only site.yaml: the moved pages' old addresses are in it.
    """
    loaded, _, diagnostics = pipeline.load_site(site)
    if loaded is None or has_errors(diagnostics):
        return None, diagnostics
    redirects, _ = site_redirects(loaded)
    folder = (root or site / "build").absolute()
    listen = hosting.listen_address(port)
    return hosting.nginx_config(loaded.config, folder, listen, prefix, redirects), diagnostics
