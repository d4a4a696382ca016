"""The investor's path: figures with year and source, cluster graphs, the next step, short menus."""

from __future__ import annotations

import re
from pathlib import Path

from sitegen.render.diagram import cluster_graph, wrap
from tests.conftest import Run, write
from tests.test_errors import fails_with

FIGURE = """figures:
  - value: 9981
    year: "2023"
    label: {en: employees, nl: medewerkers, fr: membres du personnel, de: Beschäftigte}
    source: {title: "UZ Leuven: Jaarverslag 2023, cijfers", url: "https://www.uzleuven.be/x"}
"""


def test_figures_are_written_the_way_each_language_writes_numbers(run: Run, site: Path) -> None:
    write(site / "content/data.yaml", FIGURE)
    code, _, err = run("build", "--site", site)
    assert code == 0, err
    shown = {}
    for lang in ("en", "nl", "fr", "de"):
        html = (site / "build" / lang / "index.html").read_text(encoding="utf-8")
        value = re.search(r'<p class="figure-value">([^<]+)</p>', html)
        assert value is not None, f"{lang}: no figures band"
        shown[lang] = value[1]
        assert 'href="https://www.uzleuven.be/x"' in html and ">2023</time>" in html
    assert shown == {"en": "9,981", "nl": "9.981", "fr": "9\u202f981", "de": "9.981"}


def test_figure_label_missing_a_language_names_file_and_line(run: Run, site: Path) -> None:
    write(site / "content/data.yaml", FIGURE.replace(", de: Beschäftigte", ""))
    fails_with(run, site, "content/data.yaml:4:12", "no text for 'de'")


def test_figure_without_a_source_or_with_a_bad_year_is_an_error(run: Run, site: Path) -> None:
    broken = FIGURE.replace('"2023"', '"about 2023"').split("    source:")[0]
    write(site / "content/data.yaml", broken)
    err = fails_with(run, site, "content/data.yaml:3:11", "'year' must be a year")
    assert "content/data.yaml:2:5" in err and "no 'source'" in err


def test_figure_value_with_separators_is_refused(run: Run, site: Path) -> None:
    write(site / "content/data.yaml", FIGURE.replace("9981", '"9,981"'))
    fails_with(run, site, "content/data.yaml:2:12", "'value' must be a number")


def test_unknown_diagram_name_suggests_the_known_one(run: Run, site: Path) -> None:
    write(site / "content/initiatives/en.md", "---\ntitle: Initiatives\ndescription: x\n---\nx\n")
    write(site / "content/initiatives/helix/en.md", "---\ntitle: H\ndescription: x\n---\nx\n")
    write(site / "content/initiatives/helix/data.yaml", "diagram: quadruple-helics\n")
    config = site / "content/site.yaml"
    config.write_text(
        config.read_text(encoding="utf-8") + "sections: {initiatives: initiative}\n",
        encoding="utf-8",
    )
    err = fails_with(run, site, "content/initiatives/helix/data.yaml:1:10", "no diagram")
    assert "did you mean 'quadruple-helix'" in err


def test_cluster_graph_is_the_same_for_the_same_relations() -> None:
    first = cluster_graph("ICT & software", ["imec", "KU Leuven"], ["EIT Health"], ("P", "I"))
    again = cluster_graph("ICT & software", ["imec", "KU Leuven"], ["EIT Health"], ("P", "I"))
    assert first == again
    assert 'aria-hidden="true"' in first and "ICT &amp; software" in first
    assert first.count('class="node partner"') == 2 and first.count('class="node initiative"') == 1


def test_long_labels_wrap_within_their_box() -> None:
    lines = wrap("KU Leuven Research & Development (LRD)", 12.5, 128)
    assert len(lines) > 1 and all(len(line) * 12.5 * 0.6 <= 128 for line in lines)


def test_cluster_and_partner_pages_offer_the_next_step(run: Run, site: Path) -> None:
    write(site / "content/invest/en.md", "---\ntitle: Invest in Leuven\ndescription: x\n---\nx\n")
    code, _, err = run("build", "--site", site)
    assert code == 0, err
    for page in ("en/clusters/ict/index.html", "en/partners/imec/index.html"):
        html = (site / "build" / page).read_text(encoding="utf-8")
        box = html.split('class="next-step"', 1)[-1].split("</section>", 1)[0]
        assert 'href="/en/invest/"' in box, page
        assert "https://www.flandersinvestmentandtrade.com" in box, page
    cluster = (site / "build/en/clusters/ict/index.html").read_text(encoding="utf-8")
    assert 'class="graph-svg"' in cluster and 'id="graph-partners"' in cluster
