"""The coordinator's switch for published figure links (Users page), kept in the account store and audited."""

from __future__ import annotations

import pytest

from etl.errors import InputError
from etl.i18n import t
from etl.publish import public_figures
from etl.services import site_settings
from etl.services.access import AccessDenied, Caller, Role
from tests.accounts.helpers import audit_rows, users_page
from tests.signin import make_account

STAFF = Caller("test-coordinator", Role.COORDINATOR)


def test_the_coordinators_choice_overrides_the_environment_and_is_audited(tiny_settings, monkeypatch):
    make_account(tiny_settings, Role.COORDINATOR)
    assert site_settings.public_figure_links(tiny_settings)  # the environment's default: on
    site_settings.set_public_figure_links(tiny_settings, STAFF, False)
    assert not public_figures.enabled(tiny_settings)
    monkeypatch.setenv("TILANNEKUVA_PUBLIC_FIGURE_LINKS", "true")  # the stored choice wins over the default
    assert not site_settings.public_figure_links(tiny_settings)
    site_settings.set_public_figure_links(tiny_settings, STAFF, True)
    assert site_settings.public_figure_links(tiny_settings)
    assert audit_rows(tiny_settings, "setting_change") == [("test-coordinator", "setting_change", "ok")] * 2


def test_only_staff_switch_the_links(tiny_settings):
    with pytest.raises(AccessDenied):
        site_settings.set_public_figure_links(tiny_settings, Caller("m", Role.MEMBER, "alfa"), False)
    assert site_settings.public_figure_links(tiny_settings)


def test_the_users_page_switches_the_links_off(tiny_settings):
    at = users_page(tiny_settings)
    assert at.toggle(key="figure_links_on").value is True
    at.toggle(key="figure_links_on").set_value(False)
    at.button[[b.label for b in at.button].index(t("workspace.users.links_save", "en"))].click().run()
    assert not at.exception
    assert not site_settings.public_figure_links(tiny_settings)
    assert t("workspace.users.links_off", "en") in [s.value for s in at.success]


ABOUT_REGISTER = ["alfa", "beeta", "gamma", "delta"]


def test_the_about_page_stores_what_changed_and_refuses_the_rest(tiny_settings):
    assert site_settings.about_page(tiny_settings) == site_settings.AboutPage(frozenset(), (), "")
    chosen = site_settings.set_about_page(tiny_settings, STAFF, ["alfa"], " HEUNI \n\n IOM ", "", ABOUT_REGISTER)
    assert chosen == site_settings.AboutPage(frozenset({"alfa"}), ("HEUNI", "IOM"), "")
    assert audit_rows(tiny_settings, "setting_change") == [("test-coordinator", "setting_change", "ok")] * 2
    site_settings.set_about_page(tiny_settings, STAFF, ["alfa"], "HEUNI\nIOM", "", ABOUT_REGISTER)  # the same
    assert len(audit_rows(tiny_settings, "setting_change")) == 2
    refused = [
        (["alfa", "ei-ole"], "", "", "about.unknown_org"),
        ([], "x" * 201, "", "about.partners_too_long"),
        ([], "\n".join(["p"] * 31), "", "about.partners_too_long"),
        ([], "", "y" * 201, "about.contact_too_long"),
    ]
    for listed, partners, contact, key in refused:
        with pytest.raises(InputError) as caught:
            site_settings.set_about_page(tiny_settings, STAFF, listed, partners, contact, ABOUT_REGISTER)
        assert caught.value.key == key
    assert site_settings.about_page(tiny_settings) == chosen  # nothing refused was stored
    with pytest.raises(AccessDenied):
        site_settings.set_about_page(tiny_settings, Caller("tutkija", Role.OBSERVER), [], "", "", ABOUT_REGISTER)


def test_the_principles_are_kept_in_three_languages_or_none(tiny_settings):
    texts = {"fi": "Ihmisarvo.", "sv": "Människovärde.", "en": "Human dignity."}
    chosen = site_settings.set_about_page(tiny_settings, STAFF, [], "", "", ABOUT_REGISTER, texts)
    assert chosen.principles == texts
    assert len(audit_rows(tiny_settings, "setting_change")) == 3  # one row a language
    for broken, key in (
        ({**texts, "sv": " "}, "about.principles_incomplete"),
        ({**texts, "en": "x" * 4001}, "about.principles_too_long"),
    ):
        with pytest.raises(InputError) as caught:
            site_settings.set_about_page(tiny_settings, STAFF, [], "", "", ABOUT_REGISTER, broken)
        assert caught.value.key == key
    assert site_settings.about_page(tiny_settings).principles == texts  # nothing refused was stored
    site_settings.set_about_page(tiny_settings, STAFF, ["alfa"], "", "", ABOUT_REGISTER)  # None: left as they are
    assert site_settings.about_page(tiny_settings).principles == texts
    cleared = site_settings.set_about_page(tiny_settings, STAFF, ["alfa"], "", "", ABOUT_REGISTER, {})
    assert cleared.principles == {}
