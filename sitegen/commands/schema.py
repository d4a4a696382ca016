"""`sitegen schema`: write the JSON Schemas of the content files for editors (schema/editor.py).

The files are committed, so that VS Code and github.dev find them without running sitegen;
tests/test_schemas.py fails when they drift from the schema module.
"""

from __future__ import annotations

import json
from pathlib import Path

from sitegen.diagnostics.diagnostic import Diagnostic, error
from sitegen.schema.config import SiteConfig, parse_config
from sitegen.schema.editor import schema_files, schema_text, vscode_mapping
from sitegen.source.textfile import load_yaml_file

SETTINGS = ".vscode/settings.json"


def site_config(site: Path) -> tuple[SiteConfig | None, list[Diagnostic]]:
    diags: list[Diagnostic] = []
    doc = load_yaml_file(site / "content" / "site.yaml", "content/site.yaml", diags)
    config, problems = parse_config(doc)
    return config, diags + problems


def generated(config: SiteConfig) -> dict[str, str]:
    """File name under the schemas folder -> its text."""
    return {f.name: schema_text(f.schema) for f in schema_files(config)}


def settings_text(config: SiteConfig, current: str | None, folder: str = "./schemas") -> str:
    """.vscode/settings.json with 'yaml.schemas' replaced; every other setting kept."""
    settings = json.loads(current) if current else {}
    settings["yaml.schemas"] = vscode_mapping(schema_files(config), folder)
    return json.dumps(settings, indent=2, ensure_ascii=False) + "\n"


def write_schemas(site: Path, out: Path, vscode: bool) -> tuple[list[str], list[Diagnostic]]:
    """Write every schema into `out` (removing ones no longer generated); return what changed."""
    config, diags = site_config(site)
    if config is None:
        return [], diags
    files = generated(config)
    out.mkdir(parents=True, exist_ok=True)
    done: list[str] = []
    for old in sorted(out.glob("*.schema.json")):
        if old.name not in files:
            old.unlink()
            done.append(f"removed {old}")
    for name, text in files.items():
        path = out / name
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            done.append(f"wrote {path}")
    if vscode:
        path = site / SETTINGS
        current = path.read_text(encoding="utf-8") if path.is_file() else None
        try:
            folder = "./" + out.resolve().relative_to(site.resolve()).as_posix()
        except ValueError:  # schemas outside the site: VS Code takes absolute paths too
            folder = out.resolve().as_posix()
        try:
            text = settings_text(config, current, folder)
        except json.JSONDecodeError as exc:
            return done, [
                error(
                    SETTINGS,
                    exc.lineno,
                    exc.colno,
                    f"cannot read the settings: {exc.msg}",
                    "remove comments and trailing commas, or add 'yaml.schemas' by hand",
                )
            ]
        if text != current:
            path.parent.mkdir(exist_ok=True)
            path.write_text(text, encoding="utf-8")
            done.append(f"wrote {path}")
    return done, []
