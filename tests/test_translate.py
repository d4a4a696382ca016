"""`sitegen translate export|import`: the XLIFF 1.2 round trip, driven as a translator's
coordinator would, on tests/sites/translate."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from lxml import etree

from tests.conftest import Run, copy_site, tree_bytes, write

SCHEMAS = Path(__file__).resolve().parent / "schemas" / "xliff"
IMEC_EN = "content/partners/imec/en.md"
IMEC_NL = "content/partners/imec/nl.md"


@pytest.fixture
def site(tmp_path: Path, run: Run) -> Path:
    """The translate site with its record started: today's translations are on par."""
    root = copy_site("translate", tmp_path / "site")
    code, out, _ = run("status", "--accept", "--all", "--site", root)
    assert code == 0 and "wrote content/partners/imec/translations.yaml" in out
    return root


def export(run: Run, site: Path, *args: str) -> Path:
    out = site / "out.xlf"
    code, _, err = run("translate", "export", "--site", site, "--out", out, *args)
    assert code == 0, err
    return out


def states(xliff: Path, original: str) -> dict[str, str]:
    """Unit id -> target state, for one page of an exported file."""
    root = etree.parse(str(xliff)).getroot()
    ns = {"x": "urn:oasis:names:tc:xliff:document:1.2"}
    file = root.find(f"x:file[@original='{original}']", ns)
    assert file is not None
    return {
        unit.get("id"): unit.find("x:target", ns).get("state")
        for unit in file.iterfind(".//x:trans-unit", ns)
    }


def xliff_schema() -> etree.XMLSchema:
    """The committed XLIFF 1.2 strict schema; xml.xsd from the folder, never the network."""

    class Local(etree.Resolver):  # type: ignore[misc]
        def resolve(self, url: str, pubid: str, context: object) -> object:
            if url == "http://www.w3.org/2001/xml.xsd":
                return self.resolve_filename(str(SCHEMAS / "xml.xsd"), context)
            assert not url.startswith(("http:", "https:")), f"the schema asked for {url}"
            return None

    parser = etree.XMLParser(no_network=True)
    parser.resolvers.add(Local())
    return etree.XMLSchema(etree.parse(str(SCHEMAS / "xliff-core-1.2-strict.xsd"), parser))


def test_export_then_import_unchanged_leaves_every_file_byte_identical(
    run: Run, site: Path
) -> None:
    out = export(run, site, "--to", "nl", "--pages", "all")
    before = tree_bytes(site / "content")
    code, stdout, err = run("translate", "import", out, "--site", site)
    assert code == 0, err
    assert "unchanged content/partners/imec/nl.md" in stdout
    assert tree_bytes(site / "content") == before


def test_filled_targets_are_imported_and_built_with_links_and_emphasis(
    run: Run, site: Path
) -> None:
    code, stdout, err = run("translate", "import", site / "filled-nl.xlf", "--site", site)
    assert code == 0, err
    assert "wrote content/partners/vib/nl.md" in stdout
    vib = (site / "content/partners/vib/nl.md").read_text()
    assert "VIB werkt met [imec](/partners/imec) aan *gezondheidsonderzoek*." in vib
    assert vib.startswith("---\ntitle: VIB\ndescription: Instituut voor levenswetenschappen.\n")
    code, _, err = run("build", "--site", site, "--no-search")
    assert code == 0, err
    page = (site / "build/nl/partners/vib/index.html").read_text()
    assert re.search(r'VIB werkt met <a href="/nl/partners/imec/">imec</a> aan', page)
    assert "<em>gezondheidsonderzoek</em>" in page
    _, document = status(run, site)
    assert document["partners/vib"]["nl"] == "present"
    assert document["partners"]["nl"] == "present"


def status(run: Run, site: Path) -> tuple[int, dict[str, dict[str, str]]]:
    code, out, _ = run("status", "--format", "json", "--site", site)
    pages = json.loads(out)["pages"]
    return code, {
        p["path"]: {lang: cell["state"] for lang, cell in p["languages"].items()} for p in pages
    }


def test_after_an_english_edit_exactly_the_changed_units_need_review(run: Run, site: Path) -> None:
    page = site / IMEC_EN
    text = page.read_text().replace("- *digital* technologies", "- *digital* and AI technologies")
    page.write_text(text.replace("## Research", "## Research\n\nA new paragraph."))
    out = export(run, site, "--to", "nl", "--pages", "stale")
    found = states(out, IMEC_EN)
    review = {u for u, s in found.items() if s != "final"}
    # units: title, description, paragraph, heading, new paragraph, item, item, 4 cells
    assert review == {"5", "7"}
    assert found["5"] == "new" and found["7"] == "needs-review-translation"
    assert "content/partners/vib/en.md" not in out.read_text()  # missing: not asked for
    assert "content/en.md" not in out.read_text()  # up to date


def test_import_after_review_makes_the_page_ok(run: Run, site: Path) -> None:
    page = site / IMEC_EN
    page.write_text(page.read_text().replace("**1984**", "**1984** in Leuven"))
    out = export(run, site, "--to", "nl")
    data = (
        out.read_text()
        .replace("</ph>, tegenover", "</ph> in Leuven, tegenover")
        .replace('state="needs-review-translation"', 'state="translated"')
    )
    out.write_text(data)
    code, _, err = run("translate", "import", out, "--site", site)
    assert code == 0, err
    new = "opgericht in **1984** in Leuven, tegenover de [Arenbergcampus](/partners/vib) van"
    assert new in (site / IMEC_NL).read_text()
    assert status(run, site)[1]["partners/imec"]["nl"] == "present"


REFUSALS = [
    pytest.param(
        lambda x: x.replace('<ph id="2" ctype="x-emphasis">**</ph>, tegenover', ", tegenover"),
        "placeholder 2 (**) is missing from the target",
        id="missing-placeholder",
    ),
    pytest.param(
        lambda x: x.replace(
            "van de KU Leuven.</target>",
            'van de KU Leuven<ph id="1" ctype="x-emphasis">**</ph>.</target>',
        ),
        "placeholder 1 appears more than once in the target",
        id="duplicated-placeholder",
    ),
    pytest.param(
        lambda x: x.replace('id="3" resname="paragraph"', 'id="42" resname="paragraph"', 1),
        "unknown unit '42' (paragraph)",
        id="unknown-unit",
    ),
    pytest.param(
        lambda x: x.replace("van de KU Leuven.</target>", "van de KU Leuven.</targt>"),
        "markup is broken",
        id="broken-xml",
    ),
    pytest.param(
        lambda x: x.replace("met <ph", "met * <ph"),
        "markup is broken: the target's text adds or breaks Markdown syntax",
        id="broken-markdown",
    ),
    pytest.param(
        lambda x: x.replace(
            "<xliff ", '<!DOCTYPE xliff [<!ENTITY k "KU Leuven">]>\n<xliff ', 1
        ).replace("van de KU Leuven.</target>", "van de &k;.</target>"),
        "this file declares a DOCTYPE, with entities of its own that sitegen does not read",
        id="doctype-entities",
    ),
    pytest.param(
        lambda x: x.replace('target-language="nl"', 'target-language="es"'),
        "'es' is not a translation language of site.yaml (nl, fr)",
        id="unknown-language",
    ),
]


@pytest.mark.parametrize(("damage", "message"), REFUSALS)
def test_a_refused_file_writes_nothing_and_names_the_xliff_line(
    run: Run, site: Path, damage: object, message: str
) -> None:
    out = export(run, site, "--to", "nl", "--pages", "all")
    text = out.read_text()
    # a good change elsewhere in the same file: it must not be written either
    text = text.replace("Leuven is een universiteitsstad.", "Leuven is een oude stad.")
    assert callable(damage)
    damaged = damage(text.replace("van de KU Leuven.", "van de KU Leuven.", 1))
    assert damaged != text
    out.write_text(damaged)
    before = tree_bytes(site / "content")
    code, _, err = run("translate", "import", out, "--site", site)
    assert code == 1 and message in err
    assert "refused" in err and "nothing was written" in err
    line = int(re.search(r"out\.xlf:(\d+):1: error: ", err).group(1))  # type: ignore[union-attr]
    assert 1 < line <= len(damaged.splitlines())
    assert tree_bytes(site / "content") == before


def test_english_changed_since_the_export_refuses_the_file(run: Run, site: Path) -> None:
    out = export(run, site, "--to", "nl", "--pages", "all")
    page = site / IMEC_EN
    page.write_text(page.read_text().replace("opposite", "across from"))
    before = tree_bytes(site / "content")
    code, _, err = run("translate", "import", out, "--site", site)
    assert code == 1
    assert "the English text of this unit changed since the export" in err
    lines = out.read_text().splitlines()
    source = next(n for n, line in enumerate(lines) if "opposite" in line)
    unit_line = max(n + 1 for n in range(source) if "<trans-unit " in lines[n])
    assert f"out.xlf:{unit_line}:1: error: the English text" in err
    assert tree_bytes(site / "content") == before


def test_export_validates_against_the_xliff_1_2_schema(run: Run, site: Path) -> None:
    schema = xliff_schema()
    out = export(run, site, "--to", "nl,fr", "--pages", "all")
    for lang in ("nl", "fr"):
        document = etree.parse(str(out.with_name(f"out-{lang}.xlf")))
        assert schema.validate(document), schema.error_log
    broken = etree.fromstring(
        out.with_name("out-nl.xlf").read_bytes().replace(b'state="final"', b'state="done"')
    )
    assert not schema.validate(broken)  # the validator can fail


def test_unknown_export_language_is_a_usage_error_at_the_language_list(
    run: Run, site: Path
) -> None:
    code, _, err = run("translate", "export", "--site", site, "--to", "es")
    lines = (site / "content/site.yaml").read_text().splitlines()
    first = lines.index("languages:") + 2  # the list's first entry, where 'es' would be added
    assert code == 2
    assert f"content/site.yaml:{first}:3: error: 'es' is not a translation language" in err


def test_export_of_a_draft_or_missing_page_marks_units_new(run: Run, site: Path) -> None:
    write(site / "content/partners/nl.md", "---\ntitle: P\ndescription: p\ndraft: true\n---\np\n")
    out = export(run, site, "--to", "nl", "--pages", "missing")
    assert set(states(out, "content/partners/vib/en.md").values()) == {"new"}
    assert "content/partners/en.md" in out.read_text()


def test_unchanged_import_keeps_a_translation_with_an_extra_block(run: Run, site: Path) -> None:
    nl = site / IMEC_NL
    nl.write_text(nl.read_text().replace("## Onderzoek", "Een extra alinea.\n\n## Onderzoek"))
    out = export(run, site, "--to", "nl", "--pages", "all")
    before = tree_bytes(site / "content")
    code, _, err = run("translate", "import", out, "--site", site)
    assert code == 0, err
    assert tree_bytes(site / "content") == before
