"""The JSON Schemas editors get in VS Code: in step with sitegen, and true to the real content."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest
import yaml

from sitegen.commands.schema import generated, settings_text, site_config
from sitegen.schema.config import SiteConfig
from sitegen.schema.validate import page_kind
from tests.conftest import REPO, Run

REGENERATE = "run '.venv/bin/sitegen schema --out schemas/ --vscode' and commit the result"
CONTENT = REPO / "content"


class _Yaml12(yaml.SafeLoader):
    """Reads values as the editor's YAML 1.2 does: '2016-09-21' stays text, not a date."""


_Yaml12.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _load(text: str) -> object:
    return yaml.load(text, Loader=_Yaml12)  # a SafeLoader subclass


def _config() -> SiteConfig:
    config, problems = site_config(REPO)
    assert config is not None, problems
    return config


def _schema(name: str) -> dict[str, object]:
    return json.loads((REPO / "schemas" / name).read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def _matches(glob: str, path: Path) -> bool:
    """yaml-language-server's matching: '*' is '.*' (across folders too), anchored at the end."""
    pattern = re.sub(r"[-\\{}+?|^$.,\[\]()#\s]", lambda m: "\\" + m.group(), glob)
    return re.search(pattern.replace("*", ".*") + "$", path.as_posix()) is not None


def _mapped(path: Path) -> list[str]:
    settings = json.loads((REPO / ".vscode" / "settings.json").read_text(encoding="utf-8"))
    return [
        schema.removeprefix("./schemas/")
        for schema, globs in settings["yaml.schemas"].items()
        if any(_matches(glob, path) for glob in globs)
    ]


def _errors(schema: dict[str, object], value: object) -> list[str]:
    validator = jsonschema.Draft7Validator(schema)
    return [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(value)
    ]


def test_committed_schemas_are_what_sitegen_schema_writes_now() -> None:
    expected = generated(_config())
    committed = {p.name: p.read_text(encoding="utf-8") for p in (REPO / "schemas").glob("*.json")}
    assert committed.keys() == expected.keys(), f"schemas/ lists other files: {REGENERATE}"
    stale = [name for name in expected if committed[name] != expected[name]]
    assert not stale, (
        f"schemas/{', schemas/'.join(stale)} differ from the schema module: {REGENERATE}"
    )


def test_vscode_settings_map_the_schemas_that_sitegen_writes_now() -> None:
    current = (REPO / ".vscode" / "settings.json").read_text(encoding="utf-8")
    assert settings_text(_config(), current) == current, f".vscode/settings.json: {REGENERATE}"
    recommended = json.loads((REPO / ".vscode" / "extensions.json").read_text(encoding="utf-8"))
    assert "redhat.vscode-yaml" in recommended["recommendations"]


def test_every_schema_is_a_valid_draft_7_schema() -> None:
    for path in sorted((REPO / "schemas").glob("*.json")):
        jsonschema.Draft7Validator.check_schema(_schema(path.name))


@pytest.mark.parametrize("name", ["site.yaml", "strings.yaml"])
def test_real_site_files_validate(name: str) -> None:
    path = CONTENT / name
    mapped = _mapped(path)
    assert mapped == [name.replace(".yaml", ".schema.json")]
    assert _errors(_schema(mapped[0]), _load(path.read_text(encoding="utf-8"))) == []


def test_every_real_data_yaml_validates_against_every_schema_the_editor_applies() -> None:
    config = _config()
    files = sorted(CONTENT.rglob("data.yaml"))
    assert len(files) > 20
    for path in files:
        folder = path.parent.relative_to(CONTENT).as_posix()
        kind = page_kind("" if folder == "." else folder, config)
        mapped = _mapped(path)
        if kind != "page":
            assert f"data.{kind}.schema.json" in mapped, f"{path}: no {kind} schema in the editor"
        value = _load(path.read_text(encoding="utf-8"))
        for name in {*mapped, f"data.{kind}.schema.json"}:
            assert _errors(_schema(name), value) == [], f"{path} against {name}"


def test_every_real_front_matter_validates() -> None:
    schema = _schema("front-matter.schema.json")
    texts = sorted(CONTENT.rglob("*.md"))
    for path in texts:
        text = path.read_text(encoding="utf-8")
        front = text.split("\n---\n", 1)[0].removeprefix("---\n")
        assert _errors(schema, _load(front)) == [], path


def test_a_wrong_data_yaml_value_fails_the_schema() -> None:
    schema = _schema("data.partner.schema.json")
    value = _load("website: www.example.org\nfounded: 1984\nclusters: ict\nwieght: 3\n")
    errors = _errors(schema, value)
    assert any(e.startswith("website:") for e in errors), errors
    assert any(e.startswith("clusters:") for e in errors), errors
    assert any("'wieght' was unexpected" in e for e in errors), errors
    assert _errors(_schema("data.news.schema.json"), _load("date: 21/09/2016\n"))


def test_the_editor_shows_sitegens_help_text_on_hover() -> None:
    partner = _schema("data.partner.schema.json")["properties"]
    assert isinstance(partner, dict)
    assert partner["founded"]["description"] == "the year it was founded"
    site = _schema("site.schema.json")["properties"]
    assert isinstance(site, dict)
    assert site["default_language"]["enum"] == ["en", "nl", "fr", "de"]
    assert set(site["sections"]["additionalProperties"]["enum"]) >= {"partner", "news"}


def test_sitegen_schema_writes_the_schemas_and_the_vscode_mapping(
    run: Run, site: Path, tmp_path: Path
) -> None:
    code, out, _ = run("schema", "--site", site, "--vscode")
    assert code == 0
    assert "wrote" in out and (site / "schemas" / "data.partner.schema.json").is_file()
    settings = json.loads((site / ".vscode" / "settings.json").read_text(encoding="utf-8"))
    assert settings["yaml.schemas"]["./schemas/data.home.schema.json"] == ["content/data.yaml"]
    code, out, _ = run("schema", "--site", site, "--vscode")
    assert (code, out.strip()) == (0, "the schemas are up to date")
