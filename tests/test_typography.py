"""Locale typography: what a reader sees in each language, and what nobody else may see change."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sitegen.render.textrules import NBSP, NNBSP, WJ
from sitegen.render.typography import SectionMemo, typeset
from tests.conftest import Run


def page(lang: str, body: str) -> str:
    return f'<!DOCTYPE html>\n<html lang="{lang}">\n<body>\n{body}\n</body>\n</html>'


def text(lang: str, body: str) -> str:
    """The typeset body of a one-paragraph page."""
    out = typeset(page(lang, f"<p>{body}</p>"))
    return out.split("<p>", 1)[1].rsplit("</p>", 1)[0]


# --- Sections met again ---------------------------------------------------------------------

SECTIONS = (
    '<section class="official"><h2>Websites</h2><ul><li><a href="/a">KU Leuven\'s "site"</a>'
    '</li><li><a href="/b" lang="fr">L\'imec : « 185 000 »</a></li></ul></section>',
    '<section><p>It is "open <code>x "y</section><p>"z"</p></code> "w"</p>',  # code still open
    '<section><script>var s = "</section>";</script><p>"a" - "b"</p></section>',  # in a script
    '<section><section><p>"nested"</p></section> "after"</section>',
)


def test_a_section_met_again_is_typeset_as_the_first_time_in_its_own_language() -> None:
    pages = [
        page(lang, f"<p>Text.</p>\n{s}\n<p>'End'</p>")
        for s in SECTIONS
        for lang in "en fr de".split()
    ]
    pages.append(
        page("en", f'<div lang="fr">{SECTIONS[0]}</div><p>"x"</p>')
    )  # same text, in French
    expected = [typeset(p) for p in pages]
    memo = SectionMemo()
    for _ in range(3):  # kept the second time, given back the third
        assert [typeset(p, memo) for p in pages] == expected
    kept = {text for text, _ in memo.done}
    # not the ones that end inside code or a script, nor one that holds a section (but that one)
    assert kept == {SECTIONS[0], '<section><p>"nested"</p></section>'}
    assert f"«{NNBSP}185{NNBSP}000{NNBSP}»" in expected[0] and "“site”" in expected[0]


def test_a_section_followed_by_a_menu_is_kept_too() -> None:
    section = '<section><h2>Links</h2><ul><li>"One"</li><li>Two</li></ul></section>'
    pages = [page("en", f'{section}\n<ul><li><a href="/x">Menu</a></li></ul>')] * 3
    memo = SectionMemo()
    assert [typeset(p, memo) for p in pages] == [typeset(pages[0])] * 3
    assert {text for text, _ in memo.done} == {section}


# --- Stretches with nothing to change --------------------------------------------------------


def tag_by_tag(html: str, memo: SectionMemo | None = None) -> str:
    """Typeset without skipping quiet stretches: every tag looked at, one at a time."""
    return typeset(html, memo, pass_quiet=False)


def test_rules_that_run_across_inline_tags_are_kept_inside_menus_and_lists() -> None:
    body = (
        '<nav><ul><li><a href="/a">Partners</a></li><li><a href="/b">Clusters</a></li></ul>'
        '</nav><ul><li>185<em> </em>000</li><li>Leuven Inc.<a href="/c">.</a></li>'
        "<li>Year 2013</li><li>One.</li><li><span>50</span> %</li></ul>"
    )
    out = typeset(page("fr", body))
    assert f"<li>185<em>{NNBSP}</em>000</li>" in out
    assert '<li>Leuven Inc.<a href="/c"></a></li>' in out
    assert f"<li><span>50</span>{NNBSP}%</li>" in out
    assert "<li>Year 2013</li><li>One.</li>" in out and '<a href="/a">Partners</a>' in out
    assert out == tag_by_tag(page("fr", body))


PIECES = (
    "<p>", "</p>", "<div>", "</div>", "<li>", "</li>", "<ul>", "</ul>", "<tspan>", "<title>",
    '<a href="/x">', "</a>", "<em>", "</em>", "<span>", "</span>", "<A>", "</A>", "<DIV>",
    '<span lang="fr">', '<div lang="de">', '<p lang="">', "<code>", "</code>", "<pre>",
    "</pre>", "<script>'x'</script>", "<section>", "</section>", "<!-- c -->", "<br>",
    '<a hreflang="nl">', '<img alt="1 000">', "<html>", "</html>", '<div title="a>b">',
    '<p title="&quot;">', "185", " ", "000", ".", "..", "Inc.", "'", '"', "word", "l'imec",
    "10:30", " ; ", "50", "%", "-", "Leuven–Genk", "&amp;", "&quot;", "\u00a0", "2013", "\n",
    "Inc..", "1 000", "<li>Leuven",
)  # fmt: skip


@settings(max_examples=400, deadline=None, derandomize=True, database=None)
@given(
    st.lists(st.lists(st.sampled_from(PIECES), max_size=40), min_size=1, max_size=4),
    st.sampled_from(["en", "fr", "de", "nl"]),
)
def test_skipping_quiet_stretches_changes_nothing(bodies: list[list[str]], lang: str) -> None:
    pages = [page(lang, "".join(body)) for body in bodies] * 3  # sections kept, then known
    fast, slow = SectionMemo(), SectionMemo()
    assert [typeset(p, fast) for p in pages] == [tag_by_tag(p, slow) for p in pages]


# --- French ---------------------------------------------------------------------------------


def test_french_numbers_do_not_break_between_digit_groups() -> None:
    assert (
        text("fr", "environ 185 000 hospitalisations") == f"environ 185{NNBSP}000 hospitalisations"
    )
    assert text("fr", "1 250 000 euros") == f"1{NNBSP}250{NNBSP}000 euros"
    assert text("fr", f"9{NBSP}981 emplois") == f"9{NNBSP}981 emplois"


def test_french_keeps_the_separator_the_writer_chose() -> None:
    assert text("fr", "185.000 et 185,000 et 2,5 %") == f"185.000 et 185,000 et 2,5{NNBSP}%"


def test_french_years_side_by_side_stay_apart() -> None:
    assert text("fr", "de 2013 2018") == "de 2013 2018"


def test_french_double_punctuation_gets_a_narrow_no_break_space() -> None:
    assert text("fr", "Pourquoi? Voilà! Ensuite; fin") == (
        f"Pourquoi{NNBSP}? Voilà{NNBSP}! Ensuite{NNBSP}; fin"
    )
    assert text("fr", "Pourquoi ? Voilà !") == f"Pourquoi{NNBSP}? Voilà{NNBSP}!"


def test_french_colon_gets_a_no_break_space_but_not_in_times() -> None:
    assert text("fr", "Contact : la Ville") == f"Contact{NBSP}: la Ville"
    assert text("fr", "Contact: la Ville") == f"Contact{NBSP}: la Ville"
    assert text("fr", "à 10:30 précises") == "à 10:30 précises"


def test_french_guillemets_hold_their_text_with_narrow_no_break_spaces() -> None:
    assert text("fr", "« les parcs »") == f"«{NNBSP}les parcs{NNBSP}»"
    assert text("fr", "«les parcs»") == f"«{NNBSP}les parcs{NNBSP}»"
    assert text("fr", 'la "note" dit') == f"la «{NNBSP}note{NNBSP}» dit"


def test_french_apostrophes_are_curly() -> None:
    assert text("fr", "l'imec et d'autres") == "l’imec et d’autres"


def test_french_addresses_in_the_text_are_left_alone() -> None:
    link = "https://www.leuven.be/economie?x=1;y=2"
    assert (
        text("fr", f"Voir {link} ou info@leuven.be !") == f"Voir {link} ou info@leuven.be{NNBSP}!"
    )


@pytest.mark.parametrize("lang", ["en", "nl", "fr", "de"])
def test_an_address_without_a_slash_is_left_alone_too(lang: str) -> None:
    # A word joiner after "Leuven-" would stay in the address a reader copies from the page.
    assert text(lang, "See www.Leuven-Inside.be now") == "See www.Leuven-Inside.be now"


# --- English --------------------------------------------------------------------------------


def test_english_quotes_and_apostrophes_are_curly() -> None:
    assert text("en", "The 'Leuven inside' brand") == "The ‘Leuven inside’ brand"
    assert text("en", 'it is "quoted" here') == "it is “quoted” here"
    assert text("en", "Leuven's partners' websites") == "Leuven’s partners’ websites"
    assert text("en", "in the '90s") == "in the ’90s"


def test_english_quote_runs_across_a_link() -> None:
    assert text("en", "the '<a href=\"/x\">Leuven inside</a>' label") == (
        'the ‘<a href="/x">Leuven inside</a>’ label'
    )


def test_english_has_no_french_spaces() -> None:
    assert text("en", "Note: why? Now!") == "Note: why? Now!"


def test_english_numbers_keep_their_commas() -> None:
    assert text("en", "about 185,000 stays and 9 981 jobs") == (
        f"about 185,000 stays and 9{NNBSP}981 jobs"
    )


# --- Dutch ----------------------------------------------------------------------------------


def test_dutch_quotes_are_belgian_print_quotes() -> None:
    assert (
        text("nl", "'de verschillende wetenschapsparken'") == "‘de verschillende wetenschapsparken’"
    )
    assert text("nl", 'het "Leuven inside"-label') == "het “Leuven inside”-label"


def test_dutch_elided_words_get_an_apostrophe_not_a_quote() -> None:
    assert text("nl", "in 's-Hertogenbosch en 't Stad") == "in ’s-Hertogenbosch en ’t Stad"


def test_dutch_numbers_keep_their_dots() -> None:
    assert text("nl", "ruim 185.000 opnames") == "ruim 185.000 opnames"


# --- German ---------------------------------------------------------------------------------


def test_german_quotes_are_low_high() -> None:
    assert text("de", 'die "verschiedenen Wissenschaftsparks"') == (
        "die „verschiedenen Wissenschaftsparks“"
    )
    assert text("de", "das 'Leuven inside'-Label") == "das ‚Leuven inside‘-Label"
    assert text("de", "Leuven's Partner") == "Leuven’s Partner"


def test_german_suspended_hyphen_stays_with_its_word() -> None:
    assert text("de", "Luft- und Raumfahrtwissenschaft, -technologie") == (
        f"Luft- und Raumfahrtwissenschaft, -{WJ}technologie"
    )


def test_german_numbers_keep_their_dots() -> None:
    assert text("de", "rund 185.000 Aufenthalte") == "rund 185.000 Aufenthalte"


# --- every language -------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "nl", "fr", "de"])
def test_names_joined_by_a_dash_do_not_break(lang: str) -> None:
    assert text(lang, "Leuven–Genk en Leuven-Genk") == f"Leuven–{WJ}Genk en Leuven-{WJ}Genk"
    assert text(lang, "2013–2018") == f"2013–{WJ}2018"


@pytest.mark.parametrize("lang", ["en", "nl", "fr", "de"])
def test_ordinary_hyphenated_words_may_still_break(lang: str) -> None:
    assert text(lang, "ICT-cluster and e-health") == "ICT-cluster and e-health"


@pytest.mark.parametrize("lang", ["en", "nl", "fr", "de"])
def test_abbreviation_at_the_end_of_a_sentence_has_one_full_stop(lang: str) -> None:
    assert text(lang, "and Leuven Inc.. Then") == "and Leuven Inc. Then"
    assert text(lang, 'and <a href="/partners/leuven-inc">Leuven Inc.</a>. Then') == (
        'and <a href="/partners/leuven-inc">Leuven Inc.</a> Then'
    )
    assert text(lang, "wait... and 1..3") == "wait... and 1..3"


@pytest.mark.parametrize("lang", ["en", "nl", "fr", "de"])
def test_code_attributes_scripts_and_addresses_are_untouched(lang: str) -> None:
    body = (
        '<p title="it\'s 10 000 &quot;x&quot;" data-x="a : b">ok</p>\n'
        '<pre><code>x = "it\'s"; y = 10 000 ? 1 : 2</code></pre>\n'
        "<p>use <code>'a' ; 1 000</code> and <kbd>\"k\"</kbd></p>\n"
        '<script type="application/ld+json">{"name": "Leuven Inc..", "n": "1 000 ?"}</script>\n'
        '<style>a::after { content: "\'"; }</style>\n'
        "<p>see https://example.org/a-b?token=1&amp;x='y' now</p>\n"
        '<a href="https://x.example/Leuven-Genk?a=1 000">x</a>'
    )
    out = typeset(page(lang, body))
    for kept in (
        'title="it\'s 10 000 &quot;x&quot;" data-x="a : b"',
        '<pre><code>x = "it\'s"; y = 10 000 ? 1 : 2</code></pre>',
        "<code>'a' ; 1 000</code>",
        '<kbd>"k"</kbd>',
        '{"name": "Leuven Inc..", "n": "1 000 ?"}',
        'content: "\'";',
        "https://example.org/a-b?token=1&amp;x='y'",
        'href="https://x.example/Leuven-Genk?a=1 000"',
    ):
        assert kept in out, kept


def test_a_page_without_anything_to_change_is_returned_byte_for_byte() -> None:
    html = page("en", "<p>Plain text &amp; a <a href='/x'>link</a>.</p>")
    assert typeset(html) == html


def test_typesetting_twice_changes_nothing_more() -> None:
    html = page("fr", "<p>« x » 185 000 'a' l'imec Leuven–Genk Inc.. : ?</p>")
    once = typeset(html)
    assert typeset(once) == once


def test_lang_attribute_picks_the_rules_of_the_element() -> None:
    html = page("fr", "<p>« la note » <span lang=\"en\">the 'brand' : x</span> fin ?</p>")
    out = typeset(html)
    assert "the ‘brand’ : x" in out
    assert f"fin{NNBSP}?" in out and f"«{NNBSP}la note{NNBSP}»" in out


def test_fallback_article_in_english_on_a_german_page_gets_english_quotes() -> None:
    out = typeset(page("de", "<h1>'Titel'</h1><article lang=\"en\"><p>'brand'</p></article>"))
    assert "<h1>‚Titel‘</h1>" in out and "<p>‘brand’</p>" in out


def test_title_element_is_typeset() -> None:
    out = typeset('<html lang="fr"><head><title>Contact: la "Ville"</title></head></html>')
    assert f"<title>Contact{NBSP}: la «{NNBSP}Ville{NNBSP}»</title>" in out


def test_built_pages_are_typeset_in_their_language(run: Run, site: Path) -> None:
    (site / "content/partners/imec/fr.md").write_text(
        "---\ntitle: imec\ndescription: Un centre de recherche.\n---\n\n"
        'Environ 185 000 hospitalisations : voir "la note" !\n',
        encoding="utf-8",
    )
    code, _, err = run("build", "--site", site, "--no-search")
    assert code == 0, err
    html = (site / "build/fr/partenaires/imec/index.html").read_text(encoding="utf-8")
    assert (
        f"Environ 185{NNBSP}000 hospitalisations{NBSP}: voir «{NNBSP}la note{NNBSP}»{NNBSP}!"
        in html
    )


def test_text_of_unknown_language_is_left_as_written() -> None:
    html = page(
        "de", '<ol lang=""><li>Materialise\'s "first" 2013-2018 Inc.. 1 000</li></ol><p>"x"</p>'
    )
    out = typeset(html)
    assert '<li>Materialise\'s "first" 2013-2018 Inc.. 1 000</li>' in out
    assert "<p>„x“</p>" in out


def test_search_index_reads_joined_names_without_the_joiner(run: Run, site: Path) -> None:
    (site / "content/partners/imec/en.md").write_text(
        "---\ntitle: imec\ndescription: Research centre.\n---\n\n"
        "imec works on the Leuven-Zonhoven corridor.\n",
        encoding="utf-8",
    )
    code, _, err = run("build", "--site", site)
    assert code == 0, err
    page = (site / "build/en/partners/imec/index.html").read_text(encoding="utf-8")
    assert f"Leuven-{WJ}Zonhoven" in page
    index = b"".join(
        gzip.decompress(f.read_bytes()) for f in (site / "build/pagefind").rglob("*.pf_index")
    )
    assert b"zonhoven" in index and WJ.encode() not in index
