"""Link previews and structured data: what share dialogs and search engines read of a page."""

from __future__ import annotations

import json
import re
from pathlib import Path

from sitegen.render.seo import json_ld_text
from tests.conftest import Run


def build(run: Run, site: Path) -> Path:
    code, _, err = run("build", "--site", site)
    assert code == 0, err
    return site / "build"


def json_ld(html: str) -> dict[str, object]:
    found = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert len(found) == 1, found
    data: dict[str, object] = json.loads(found[0])
    return data


def meta(html: str, key: str) -> list[str]:
    return re.findall(rf'<meta (?:property|name)="{re.escape(key)}" content="([^"]*)">', html)


def test_partner_page_describes_the_organisation_in_json_ld(run: Run, site: Path) -> None:
    html = (build(run, site) / "nl/partners/imec/index.html").read_text()
    data = json_ld(html)
    assert data["@type"] == "Organization" and data["name"] == "imec"
    assert data["url"] == "https://www.imec-int.com" and data["foundingDate"] == "1984"
    assert data["mainEntityOfPage"] == "https://example.org/nl/partners/imec/"


def test_home_page_is_a_website_in_json_ld_in_its_language(run: Run, site: Path) -> None:
    out = build(run, site)
    data = json_ld((out / "en/index.html").read_text())
    assert data["@type"] == "WebSite" and data["name"] == "Test site"
    assert data["inLanguage"] == "en" and data["url"] == "https://example.org/en/"
    assert "application/ld+json" not in (out / "en/clusters/index.html").read_text()


def test_link_previews_use_the_page_language_and_address(run: Run, site: Path) -> None:
    html = (build(run, site) / "nl/partners/imec/index.html").read_text()
    assert meta(html, "og:url") == ["https://example.org/nl/partners/imec/"]
    assert meta(html, "og:locale") == ["nl_BE"]
    assert meta(html, "og:locale:alternate") == ["en_GB"]
    assert meta(html, "og:title") == ["imec"] == meta(html, "twitter:title")
    assert meta(html, "og:description") == meta(html, "twitter:description") != [""]
    assert meta(html, "twitter:card") == ["summary"]


def test_untranslated_page_previews_the_original_it_shows(run: Run, site: Path) -> None:
    html = (build(run, site) / "de/partners/imec/index.html").read_text()
    assert meta(html, "og:url") == ["https://example.org/en/partners/imec/"]
    assert meta(html, "og:locale") == ["en_GB"]


def test_json_ld_cannot_close_its_script_element() -> None:
    text = json_ld_text({"name": "</script><script>alert(1)</script> & co"})
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text) == {"name": "</script><script>alert(1)</script> & co"}


def test_footer_links_only_to_official_websites_given_in_data(run: Run, site: Path) -> None:
    html = (build(run, site) / "fr/index.html").read_text()
    footer = html.split('<footer class="footer">')[1]
    official = footer.split('class="official"')[1].split("</section>")[0]
    assert re.findall(r'href="([^"]+)"', official) == ["https://www.imec-int.com"]
