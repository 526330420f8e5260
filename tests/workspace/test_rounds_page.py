"""AppTest: the coordinator opens a reporting round, sees who is late, copies a reminder, closes it;
a member sees the round and where its organisation stands."""

from __future__ import annotations

from datetime import date

import pytest

from dashboard.app_pages.helpers import rounds as helpers
from etl.i18n import format_date, t
from etl.services import accounts, rounds
from etl.services.access import Role
from tests.signin import PASSWORD
from tests.workspace.helpers import COORDINATOR, app, open_page


def _button(at, key: str):
    return next(b for b in at.button if b.label == t(key, "en"))


def test_the_coordinator_opens_a_round_sees_who_is_late_and_closes_it(tiny_ws):
    at = open_page(app(tiny_ws, Role.COORDINATOR), "rounds")
    assert not at.exception, [e.value for e in at.exception]
    assert [i.value for i in at.info] == [t("rounds.none_open", "en")]
    at.selectbox(key="round_period").set_value("2025")
    at.date_input(key="round_deadline").set_value(date(2026, 1, 31))  # passed: everyone expected is late
    _button(at, "rounds.open").click().run()
    opened = t("rounds.opened", "en", period="2025", deadline=format_date(date(2026, 1, 31), "en"))
    assert [s.value for s in at.success] == [opened]

    table = at.dataframe[0].value
    late = t("rounds.state_late", "en")
    assert set(table[t("rounds.column_state", "en")]) == {late}  # the tiny members sent nothing for 2025
    assert "Test demo-tyo (demo-tyo)" in set(table[t("rounds.column_org", "en")])
    assert [b.label for b in at.get("download_button")] == []  # nobody expected has an e-mail address yet
    assert t("rounds.contacts_none", "en") in [c.value for c in at.caption]

    at.segmented_control(key="round_reminder_2025").set_value("sv").run()
    chosen = rounds.open_rounds(tiny_ws)[0]
    assert [c.value for c in at.code] == [rounds.reminder_text(chosen, "sv")]
    assert format_date(date(2026, 1, 31), "sv") in at.code[0].value

    _button(at, "rounds.close").click().run()
    assert [s.value for s in at.success] == [t("rounds.closed", "en", period="2025")]
    assert rounds.open_rounds(tiny_ws) == []


def test_the_contact_list_names_the_people_of_members_that_sent_nothing(tiny_ws):
    accounts.add_user(
        tiny_ws, COORDINATOR, username="liisa", password=PASSWORD, role="reporter", org_code="demo-tyo",
        display_name="Liisa L", email="liisa@example.fi",
    )  # fmt: skip
    accounts.add_user(
        tiny_ws, COORDINATOR, username="tutkija", password=PASSWORD, role="observer", email="t@example.fi"
    )
    chosen = rounds.open_round(tiny_ws, COORDINATOR, "2025", date(2026, 1, 31), ["PERS_NEW"])
    found = rounds.states(chosen, _versions(), _register(), date(2026, 2, 1))
    people = helpers.contacts(found, accounts.list_users(tiny_ws, COORDINATOR), {"demo-tyo": "Työ ry"}, "en")
    assert people.values.tolist() == [["Työ ry", "Liisa L", "liisa@example.fi"]]  # no observer, no staff


def _register():
    import pandas as pd

    return pd.DataFrame([("demo-tyo", date(2016, 1, 1), None)], columns=["code", "active_from", "active_to"])


def _versions():
    import pandas as pd

    return pd.DataFrame(columns=["org_code", "period", "kind", "version", "status"])


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_a_member_sees_the_round_and_where_its_organisation_stands(tiny_ws, lang):
    rounds.open_round(tiny_ws, COORDINATOR, "2025", date(2026, 1, 31), ["PERS_NEW"])
    at = open_page(app(tiny_ws, Role.MEMBER, lang), "my_organisation")
    assert not at.exception, [e.value for e in at.exception]
    title = t("rounds.member_title", lang, period="2025", deadline=format_date(date(2026, 1, 31), lang))
    state = t("rounds.state_late", lang)
    assert any(title in w.value and state in w.value for w in at.warning), [w.value for w in at.warning]


def test_a_member_leaves_the_late_list_when_its_file_is_loaded(tiny_ws):
    from etl.services import workflow
    from tests.workspace.helpers import REPORTER, long_file

    rounds.open_round(tiny_ws, COORDINATOR, "2025", date(2026, 1, 31), ["PERS_NEW"])
    at = open_page(app(tiny_ws, Role.COORDINATOR), "rounds")

    def state_of() -> dict[str, str]:  # the table as the last run drew it
        table = at.dataframe[0].value
        return dict(zip(table[t("rounds.column_org", "en")], table[t("rounds.column_state", "en")], strict=True))

    assert state_of()["Test demo-tyo (demo-tyo)"] == t("rounds.state_late", "en")
    workflow.upload(tiny_ws, REPORTER, long_file("demo-tyo", "2025", 41, 31, 10), "tyo-2025.csv", "demo-tyo", "2025")
    at.run()
    assert state_of()["Test demo-tyo (demo-tyo)"] == t("rounds.state_received", "en")
    assert state_of()["Test demo-tuki (demo-tuki)"] == t("rounds.state_late", "en")
