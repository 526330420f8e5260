"""The About page: the aims, the members the coordinator lists (only those), partners as typed, how to join."""

from __future__ import annotations

from pathlib import Path

import pytest

from etl.codebook import load_codebook
from etl.i18n import t
from etl.services import site_settings
from etl.services.access import Caller, Role
from tests.dashboard.test_pages import untranslated
from tests.helpers import APP_FILE, open_page

STAFF = Caller("test-coordinator", Role.COORDINATOR)
REGISTER = ["alfa", "beeta", "gamma", "delta"]  # tests/tiny.py


def _markdown(at) -> str:
    return "\n".join(m.value for m in at.markdown)


def test_no_member_is_listed_until_the_coordinator_chooses(tiny_settings):
    at = open_page("about.py", "en")
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value == t("about.title", "en")
    assert [i.value for i in at.info] == [t("about.no_members_listed", "en")]
    assert not at.dataframe
    assert t("about.aims", "en").strip() in _markdown(at)
    assert t("about.contact_default", "en") in _markdown(at)
    assert t("about.partners_title", "en") not in [h.value for h in at.subheader]


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_the_page_lists_the_chosen_members_partners_and_contact(tiny_settings, lang):
    partners = "HEUNI\n  IOM *Finland*  \n\n[a link](https://example.org)"
    site_settings.set_about_page(tiny_settings, STAFF, ["beeta", "alfa"], partners, "liity@example.fi", REGISTER)
    at = open_page("about.py", lang)
    assert not at.exception, [e.value for e in at.exception]
    table = at.dataframe[0].value
    kind = load_codebook().org_types["VICTIM_SUPPORT"].get(lang)
    name = "Testi" if lang == "fi" else "Test"
    assert table.values.tolist() == [[f"{name} alfa", kind, "2020"], [f"{name} beeta", kind, "2020"]]
    assert t("about.members_caption", lang, count=2) in [c.value for c in at.caption]
    shown = _markdown(at)
    assert "- HEUNI\n- IOM \\*Finland\\*\n- \\[a link\\]\\(https://example\\.org\\)" in shown  # as typed
    assert t("about.contact", lang, contact="liity@example\\.fi") in shown
    if lang != "fi":
        assert untranslated(at, lang) == []


def test_a_visitor_reads_it_in_public_mode(tiny_settings, monkeypatch):
    from streamlit.testing.v1 import AppTest

    site_settings.set_about_page(tiny_settings, STAFF, ["delta"], "", "", REGISTER)
    monkeypatch.setenv("TILANNEKUVA_PUBLIC_MODE", "true")
    at = AppTest.from_file(str(Path(__file__).resolve().parents[2] / APP_FILE), default_timeout=60)
    at.query_params["lang"] = "sv"
    at.run().switch_page("app_pages/about.py").run()
    assert not at.exception and at.title[0].value == t("about.title", "sv")
    assert at.dataframe[0].value.iloc[:, 0].tolist() == ["Test delta"]


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_the_principles_show_in_the_readers_language_once_staff_write_them(tiny_settings, lang):
    assert t("about.principles_title", lang) not in [h.value for h in open_page("about.py", lang).subheader]
    texts = {"fi": "1. **Ihmisarvo** ensin.", "sv": "1. **Människovärde** först.", "en": "1. **Human dignity** first."}
    site_settings.set_about_page(tiny_settings, STAFF, [], "", "", REGISTER, texts)
    at = open_page("about.py", lang)
    assert t("about.principles_title", lang) in [h.value for h in at.subheader]
    assert texts[lang] in _markdown(at)
