"""AppTest: staff write the situation report in three languages, send it for review, get it back."""

from __future__ import annotations

import pytest

from dashboard.app_pages.helpers import report_edit as helpers
from etl.i18n import t
from etl.services import reports
from etl.services.access import Role
from tests.dashboard.test_pages import untranslated
from tests.workspace.helpers import COORDINATOR, app, open_page

ADDRESS = "http://localhost:8501/overview?fig=overview.new_clients_by_year"


def _button(at, key: str, lang: str = "en"):
    return next(b for b in at.button if b.label == t(key, lang))


def _write(at, period: str, langs=("fi", "sv", "en")) -> None:
    for code in langs:
        at.text_input(key=f"rt_{period}_{code}").set_value(f"Katsaus {code}")
        at.text_input(key=f"rh_{period}_0_{code}").set_value(f"Johdanto {code}")
        at.text_area(key=f"rx_{period}_0_{code}").set_value(f"Teksti {code}.\n\nToinen kappale.")
    at.text_area(key=f"rf_{period}_0").set_value(ADDRESS + "\n")


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_the_editor_reads_in_each_language(tiny_ws, lang):
    at = open_page(app(tiny_ws, Role.COORDINATOR, lang), "report_edit")
    assert at.title[0].value == t("reports.edit_title", lang)
    period = at.selectbox(key="report_period").value
    assert [i.value for i in at.info] == [t("reports.status_new", lang, period=period)]
    assert [tab.label for tab in at.tabs] == [t(f"reports.tab_{c}", lang) for c in ("fi", "sv", "en", "figures")]
    if lang != "fi":
        assert untranslated(at, lang) == []


def test_staff_write_save_and_send_the_report_for_review_and_get_it_back(tiny_ws):
    at = open_page(app(tiny_ws, Role.COORDINATOR), "report_edit")
    at.selectbox(key="report_period").set_value("2025").run()
    _write(at, "2025")
    _button(at, "reports.save").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert t("reports.saved", "en", period="2025") in [s.value for s in at.success]
    saved = reports.get(tiny_ws, COORDINATOR, "2025")
    assert saved.title["sv"] == "Katsaus sv" and saved.sections[0].text["en"] == "Teksti en.\n\nToinen kappale."
    assert saved.figures == (ADDRESS,)

    shown = "\n".join(m.value for m in at.markdown)
    assert "## Katsaus en" in shown and "### 1 Johdanto en" in shown and f"<{ADDRESS}>" in shown  # the draft, read
    _button(at, "reports.submit").click().run()
    assert reports.get(tiny_ws, COORDINATOR, "2025").status == "review"
    assert [i.value for i in at.info] == [t("reports.status_review", "en", period="2025", who="test-coordinator")]
    at.text_area(key=next(a.key for a in at.text_area if a.label == t("reports.comment", "en"))).set_value(
        "Lähde puuttuu."
    )
    _button(at, "reports.send_back").click().run()
    back = reports.get(tiny_ws, COORDINATOR, "2025")
    assert (back.status, back.comment) == ("draft", "Lähde puuttuu.")
    assert t("reports.sent_back", "en", comment="Lähde puuttuu.") in [w.value for w in at.warning]


def test_a_text_missing_in_one_language_is_named_and_nothing_is_saved(tiny_ws):
    at = open_page(app(tiny_ws, Role.COORDINATOR, "fi"), "report_edit")
    at.selectbox(key="report_period").set_value("2025").run()
    _write(at, "2025", langs=("fi", "en"))
    _button(at, "reports.save", "fi").click().run()
    assert [e.value for e in at.error] == [t("reports.errors.title_missing", "fi", language="sv")]
    assert reports.periods(tiny_ws, COORDINATOR) == []


def test_the_form_collects_what_was_typed_into_a_draft():
    typed = helpers.Typed(title={"fi": "a"})
    typed.heading(1)["en"] = "h"
    typed.figures[1] = f"\n {ADDRESS} \n\n"
    drafted = typed.draft("2025", 2)
    assert [s.heading for s in drafted.sections] == [{}, {"en": "h"}]
    assert drafted.figures == (ADDRESS,)


def test_the_reviewer_publishes_from_the_page_and_readers_find_the_edition(tiny_ws):
    from etl.publish import reports as editions

    text = reports.Section({c: f"Johdanto {c}" for c in ("fi", "sv", "en")}, {c: "Teksti." for c in ("fi", "sv", "en")})
    reports.save(tiny_ws, COORDINATOR, reports.Draft("2025", {c: f"Katsaus {c}" for c in ("fi", "sv", "en")}, (text,)))
    reports.submit(tiny_ws, COORDINATOR, "2025")
    at = open_page(app(tiny_ws, Role.ADMIN), "report_edit")
    at.selectbox(key="report_period").set_value("2025").run()
    _button(at, "reports.publish").click().run()  # its own process, as on the server
    assert not at.exception and [e.value for e in at.error] == []
    (kept,) = editions.editions(tiny_ws)
    assert t("reports.published", "en", period="2025", edition="1", version=str(kept.version)) in [
        s.value for s in at.success
    ]
    assert reports.get(tiny_ws, COORDINATOR, "2025").status == "published"
    reader = open_page(app(tiny_ws, Role.MEMBER, "sv"), "report")
    assert [h.value for h in reader.header] == ["Katsaus sv"]


def test_an_unexpected_failure_is_a_sentence_for_people_and_a_traceback_in_the_log(tiny_ws, monkeypatch, capsys):
    from dashboard.exports import report
    from etl.publish import reports as editions

    text = reports.Section({c: "H" for c in ("fi", "sv", "en")}, {})
    reports.save(tiny_ws, COORDINATOR, reports.Draft("2025", {c: "T" for c in ("fi", "sv", "en")}, (text,)))
    reports.submit(tiny_ws, COORDINATOR, "2025")

    def broken(*_args, **_kwargs):
        raise RuntimeError("the typesetter fell over")

    monkeypatch.setattr(report, "build", broken)
    assert report.main(["2025", "--user", "test-admin", "--lang", "fi"]) == 1
    assert capsys.readouterr().err.strip() == t("reports.failed", "fi")
    assert "the typesetter fell over" in tiny_ws.log_path.read_text(encoding="utf-8")
    assert editions.editions(tiny_ws) == [] and reports.get(tiny_ws, COORDINATOR, "2025").status == "review"
