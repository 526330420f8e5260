"""Every page renders in fi, sv and en, with default filters and with a changed one, and speaks only that language."""

from __future__ import annotations

import re
import string

import pytest

from dashboard.navigation import LOGIN, PAGES, PAGES_DIR
from dashboard.navigation import OVERVIEW_PAGES as OVERVIEW
from etl.codebook import load_codebook
from etl.i18n import catalogue, t
from tests.helpers import chart_figures, open_page, visible_text

IDS = [page.url_path for page in OVERVIEW]
MIN_FRAGMENT = 4  # letters; shorter Finnish fragments ("ei", "Muu") would match inside other words


def _interact(at, page: str):
    """Change at least one filter the way a person would (sv session), and return the app after the rerun."""
    if page == "trends":
        at.selectbox(key="b").set_value("exploitation_form").run()
        at.segmented_control(key="u").set_value("pct").run()
        at.segmented_control(key="g").set_value("bars").run()
        at.toggle(key="lfl").set_value(True).run()
    elif page in ("who", "pathways"):
        at.selectbox(key="year").set_value(2019).run()
        if page == "pathways":
            at.segmented_control(key="u").set_value("n").run()
    elif page == "forms":
        at.selectbox(key="year").set_value(2018).run()
        at.segmented_control(key="g").set_value("line").run()
    elif page == "support":
        at.segmented_control(key="g").set_value("bars").run()
        at.multiselect(key="s").set_value(["ADVICE", "LEGAL", "HOUSING"]).run()
    elif page == "methods":
        at.segmented_control(key="p").set_value("H").run()
        at.selectbox(key="d").set_value("sex").run()
    return at


LINKED = {"overview": {"v": "5"}, "context": {"v": "7"}}  # pages without filters: an older data version


def _finnish_fragments(lang: str) -> set[str]:
    """Finnish source texts of the catalogues and codebook labels that differ from their translation."""
    target = catalogue(lang)
    pairs = [(fi, target[key]) for key, fi in catalogue("fi").items()]
    book = load_codebook()
    pairs += [(m.label.fi, m.label.get(lang)) for m in book.measures.values()]
    pairs += [(d.label.fi, d.label.get(lang)) for d in book.dimensions.values()]
    pairs += [
        (c.label.fi, c.label.get(lang))
        for codes in book.codes.values()
        for c in codes.values()
        if c.dimension != "citizenship"
    ]
    fragments = set()
    for fi, translated in pairs:
        if fi == translated:
            continue  # codes, formats and names that are the same in every language
        for literal, *_ in string.Formatter().parse(fi):
            for piece in re.split(r"[.,:;()·]", literal or ""):
                piece = piece.strip(" –-")
                if sum(ch.isalpha() for ch in piece) >= MIN_FRAGMENT and piece not in translated:
                    fragments.add(piece)
    return fragments


def untranslated(at, lang: str) -> list[str]:
    text = "\n".join(visible_text(at))
    return sorted(f for f in _finnish_fragments(lang) if re.search(rf"(?<!\w){re.escape(f)}(?!\w)", text))


def test_pages_live_outside_a_folder_streamlit_would_take_over():
    """A folder named pages next to app.py makes Streamlit serve a deep link as an old-style page."""
    assert not (PAGES_DIR.parent / "pages").exists()
    assert {p.name for p in PAGES_DIR.glob("*.py")} == {page.file for page in PAGES} | {LOGIN}


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
@pytest.mark.parametrize("page", OVERVIEW, ids=IDS)
def test_every_page_renders_with_default_filters(demo_env, page, lang):
    at = open_page(page.file, lang)
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value == t(f"{page.url_path}.title", lang)
    figures = chart_figures(at)
    assert figures, "every page shows at least one chart"
    csv = [b for b in at.get("download_button") if b.key.endswith("-csv")]
    assert len(csv) == len(figures)  # each chart comes with its numbers (and the rest of the export menu)
    if page.url_path != "methods":  # the coverage matrix counts reports, not persons
        assert t("common.caveat", lang) in "\n".join(c.value for c in at.caption)
    if lang != "fi":
        assert untranslated(at, lang) == []


@pytest.mark.parametrize("page", OVERVIEW, ids=IDS)
def test_every_page_renders_after_a_filter_changes(demo_env, page):
    before = open_page(page.file, "sv")
    after = _interact(open_page(page.file, "sv", LINKED.get(page.url_path)), page.url_path)
    assert not after.exception, [e.value for e in after.exception]
    assert chart_figures(after) != chart_figures(before)  # the change shows
    assert untranslated(after, "sv") == []


def test_the_untranslated_check_would_catch_finnish(demo_env):
    at = open_page("who.py", "fi")
    assert "Naiset ja tytöt" in untranslated(at, "en") and "Kansalaisuusryhmä" in untranslated(at, "en")
