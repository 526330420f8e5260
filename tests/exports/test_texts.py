"""Citations, permalinks, figure ids and the drafted alt text, in each language."""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import parse_qs, urlsplit

import pytest

from dashboard.exports.alt_text import draft_alt_text
from dashboard.exports.citation import long_citation, short_citation
from dashboard.exports.pack import Exports
from dashboard.exports.provenance import app_root, figure_code, members_text
from etl.i18n import format_date
from tests.exports.charts import trend_lines
from tests.exports.conftest import PUBLISHED, RETRIEVED, sample_context, sample_exports, sample_spec

NETWORK = {
    "fi": "Ihmiskaupan vastainen kansalaisjärjestöfoorumi (IKV-verkosto)",
    "sv": "Medborgarorganisationernas plattform mot människohandel (IKV-nätverket)",
    "en": "Finnish Civil Society Platform against Trafficking in Human Beings (IKV Platform)",
}


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_citations_name_network_title_version_dates_and_the_link_a_reader_can_open(lang):
    exports = sample_exports(lang)
    for public in (True, False):  # the public figure link when the links are on, else the permalink
        ctx = replace(exports.ctx, public_links=public)
        link = ctx.public_link if public else ctx.permalink
        for citation in (short_citation(exports.spec, ctx), long_citation(exports.spec, ctx)):
            assert NETWORK[lang] in citation
            assert exports.spec.title in citation
            assert " 7" in citation  # the data version
            assert format_date(PUBLISHED, lang) in citation
            assert format_date(RETRIEVED, lang) in citation
            assert citation.endswith(link) or link + "." in citation
            assert (ctx.permalink in citation) is not public


def test_the_english_long_citation_reads_as_a_reference():
    exports = sample_exports("en")
    assert long_citation(exports.spec, exports.ctx) == (
        "Finnish Civil Society Platform against Trafficking in Human Beings (IKV Platform) (2026). "
        "New clients per year. New clients of the network's members, 2023–2025. Tilannekuva – situation overview "
        "of human trafficking in Finland, coordinated by Victim Support Finland (RIKU), data version 7, published 15 March 2026. Retrieved 28 November 2026 from "
        f"https://tilannekuva.example.fi/f/{exports.ctx.figure_code}. "
        f"Figure id {exports.ctx.figure_code}. Licence CC BY 4.0."
    )


def test_permalink_encodes_the_view_the_language_the_version_and_the_figure():
    exports = sample_exports("sv")
    link = urlsplit(exports.ctx.permalink)
    assert (link.scheme, link.netloc, link.path) == ("https", "tilannekuva.example.fi", "/overview")
    assert parse_qs(link.query) == {
        "exploitation_form": ["LAB,SEX"],
        "fig": ["test.sample"],
        "lang": ["sv"],
        "measure": ["PERS_NEW"],
        "v": ["7"],
    }


def test_figure_id_is_short_stable_and_names_view_and_version_not_language():
    fi, en = sample_spec("fi"), sample_spec("en")
    assert figure_code(fi) == figure_code(en)  # the same figure in another language
    assert figure_code(fi).startswith("TK-7-") and len(figure_code(fi)) == len("TK-7-") + 6
    other = sample_spec("fi")
    other.view["exploitation_form"] = "LAB"
    assert figure_code(other) != figure_code(fi)


@pytest.mark.parametrize(
    ("url", "root"),
    [
        (None, "http://localhost:8501"),
        ("https://x.fi/overview", "https://x.fi"),
        ("https://x.fi/app/overview?lang=fi", "https://x.fi/app"),
        ("https://x.fi/", "https://x.fi"),
    ],
)
def test_app_root_drops_the_page_path(url, root):
    assert app_root(url, "overview") == root


def test_members_text():
    assert members_text([9, 11, 10], "en") == "9–11 members reported"
    assert members_text([10, 10], "fi") == "10 jäsentä raportoi"
    assert members_text([], "sv") == ""


def test_alt_text_describes_a_trend_from_the_protected_numbers():
    cells = [["2019", "120", "", "", ""], ["2020", "<5", "", "", ""], ["2021", "1\u00a0400", "", "", ""]]
    cells += [["2022", "310", "", "", ""]]
    exports = sample_exports("en", cells=cells)
    text = draft_alt_text(exports.spec, exports.table, exports.ctx)
    assert text.startswith("Bar chart: New clients per year. New clients of the network's members, 2023–2025.")
    assert "New clients: 120 in 2019 and 310 in 2022. The figure rose. The highest was 1\u00a0400 in 2021." in text
    assert "Hidden cells: 1 (under 5 or protected)." in text
    assert "data version 7" in text


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_alt_text_ranks_categories_in_each_language(lang):
    cells = [["Pakkotyö", "40", "", "", ""], ["Seksuaalinen", "55", "", "", ""], ["Muu", "<5", "", "", ""]]
    exports = sample_exports(lang, cells=cells)
    text = draft_alt_text(exports.spec, exports.table, exports.ctx)
    assert "Seksuaalinen (55)" in text and "Pakkotyö (40)" in text
    assert text.index("Seksuaalinen") < text.index("Pakkotyö")
    assert "<5" not in text.split(".")[2]  # hidden values are counted, not quoted


def test_alt_text_describes_every_series_largest_first_then_names_the_rest():
    spec = trend_lines("en")  # six forms over 2019-2025, three cells hidden
    exports = Exports.of(spec, sample_context(spec))
    text = draft_alt_text(spec, exports.table, exports.ctx)
    assert "Line chart: New clients per year." in text
    assert "6 series, largest first in 2025: Seksuaalinen hyväksikäyttö: 123 in 2019 and 122 in 2025." in text
    order = ["Seksuaalinen", "Työperäinen", "Pakottaminen", "Pakkoavioliitto", "Kerjäämään"]
    assert [text.index(name) for name in order] == sorted(text.index(name) for name in order)
    assert "And 1 more: Elinten poisto." in text
    assert "Members reporting" not in text  # the coverage column is not a series
    assert "Hidden cells: 3" in text


def test_alt_text_when_everything_is_hidden():
    cells = [["2023", "<5", "", "", ""], ["2024", "x", "", "", ""]]
    exports = sample_exports("fi", cells=cells)
    text = draft_alt_text(exports.spec, exports.table, exports.ctx)
    assert "Kaikki luvut on piilotettu" in text
