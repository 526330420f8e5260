"""Approving on the Submissions page: the preview first, a confirmation, then a link to the result (issue 17, point 5)."""

from __future__ import annotations

from datetime import date

import pytest

from dashboard.app_pages.helpers import home
from dashboard.presenting import theme
from etl.i18n import t
from etl.publish import snapshots
from etl.services import workflow
from etl.services.access import Role
from tests.workspace.helpers import REPORTER, app, long_file, open_page


def _pending_page(settings, lang: str = "en"):
    half, _ = home.due_periods(date.today())
    workflow.upload(settings, REPORTER, long_file("demo-tyo", half, 41, 31, 10), "tyo.csv", "demo-tyo", half)
    workflow.submit(settings, REPORTER, "demo-tyo", half)
    at = open_page(app(settings, Role.COORDINATOR, lang), "submissions")
    at.selectbox(key="subs_org").set_value("demo-tyo").run()
    assert at.selectbox(key="subs_period:demo-tyo").value == half  # the upload waiting comes first
    return at, half


@pytest.mark.parametrize("lang", ["fi", "en"])
def test_the_coordinator_sees_what_approving_changes_before_approving(tiny_ws, lang):
    at, _ = _pending_page(tiny_ws, lang)
    assert not at.get("toggle")  # no preview until asked: building one protects the data again
    at.button(key="subs_preview").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    exact = next(f.value for f in at.dataframe if t("workspace.preview.after", lang) in f.value.columns)
    after = dict(
        zip(exact[t("workspace.preview.category", lang)], exact[t("workspace.preview.after", lang)], strict=True)
    )
    assert after[t("workspace.total", lang)] == "41"
    assert f"**{t('workspace.preview.network_title', lang)}**" in [m.value for m in at.markdown]
    # a new period of one member moves no figure the network shows: said in a line, not an empty table
    assert t("workspace.preview.network_unchanged", lang) in [i.value for i in at.info]


def test_approving_asks_for_confirmation_then_links_to_the_new_version(tiny_ws):
    at, half = _pending_page(tiny_ws)
    before = snapshots.current(tiny_ws).version
    at.button(key="subs_preview").click().run()
    at.text_input[0].set_value("fine").run()
    approve = next(b for b in at.button if b.label == t("workspace.submissions.approve", "en"))
    approve.click().run()
    assert [e.value for e in at.error] == [t("workspace.submissions.confirm_first", "en")]
    assert snapshots.current(tiny_ws).version == before  # nothing published without the tick
    confirm = t("workspace.upload.confirm", "en", org="demo-tyo", period=half)
    next(c for c in at.checkbox if c.label == confirm).check()  # in the form: sent with its button
    next(b for b in at.button if b.label == t("workspace.submissions.approve", "en")).click().run()
    assert snapshots.current(tiny_ws).version == before + 1
    said = at.success[0].value
    assert t("workspace.submissions.approved", "en", org="demo-tyo", period=half, version=str(before + 1)) in said
    assert f"overview?v={before + 1}&lang=en" in said


def test_the_matrix_shades_missing_and_waiting_cells(tiny_ws):
    at, _ = _pending_page(tiny_ws)

    styled = at.dataframe[0].proto.arrow_data.styler.styles
    assert theme.PENDING_FILL.lower() in styled.lower() and theme.MISSING_FILL.lower() in styled.lower()
