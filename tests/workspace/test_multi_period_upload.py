"""One file, several periods of one organisation (issue 17, point 5): checked, previewed and published together."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from etl.i18n import t
from etl.publish import snapshots
from etl.services import workflow
from etl.services.access import Role
from tests.workspace.helpers import HEADER, REPORTER, app, long_file, open_page, warehouse_rows

PERIODS = ("2025H1", "2025H2", "2025")
TOTALS = {"2025H1": 20, "2025H2": 21, "2025": 41}


def _file(org: str = "demo-tuki", other: str | None = None) -> bytes:
    """H1, H2 and the year of `org` in one long CSV (and a row of `other`, when given)."""
    rows = [long_file(org, p, TOTALS[p], TOTALS[p] - 5, 5).decode().removeprefix(HEADER) for p in PERIODS]
    if other:
        rows.append(f"{other};2025;PERS_NEW;;3\n")
    return (HEADER + "".join(rows)).encode()


def _check(at: AppTest, data: bytes, org: str = "demo-tuki") -> AppTest:
    if at.selectbox(key="upload_org").value != org:
        at.selectbox(key="upload_org").set_value(org).run()
    at.selectbox(key="upload_period").set_value(workflow.EVERY_PERIOD).run()
    at.file_uploader[0].set_value(("kaikki.csv", data, "text/csv")).run()
    at.button(key="upload_check").click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _published(settings, org: str) -> dict[str, int]:
    with snapshots.open_snapshot(snapshots.current(settings).path) as con:
        rows = con.execute(
            "SELECT period, value FROM fact_reported WHERE org_code = ? AND measure = 'PERS_NEW' AND dim1 = '_T' "
            "AND year = 2025",
            [org],
        ).fetchall()
    return {str(period): int(value) for period, value in rows}


def test_the_coordinator_checks_previews_and_publishes_three_periods_of_one_file(tiny_ws):
    before = snapshots.current(tiny_ws).version
    at = _check(open_page(app(tiny_ws, Role.COORDINATOR), "upload"), _file())
    assert [s.value for s in at.success] == [
        t(
            "workspace.upload.loaded_many",
            "en",
            file="kaikki.csv",
            org="demo-tuki",
            periods="2025H1 (v1), 2025H2 (v1), 2025 (v1)",
        )
    ]
    chooser = at.selectbox(key="upload_preview_period")
    assert chooser.options == list(PERIODS)
    chooser.set_value("2025H2").run()
    exact = next(f.value for f in at.dataframe if t("workspace.preview.after", "en") in f.value.columns)
    after = dict(
        zip(exact[t("workspace.preview.category", "en")], exact[t("workspace.preview.after", "en")], strict=True)
    )
    assert after[t("workspace.total", "en")] == "21"  # the second half-year's own figures

    confirm = t("workspace.upload.confirm", "en", org="demo-tuki", period=", ".join(PERIODS))
    next(box for box in at.checkbox if box.label == confirm).check().run()
    at.button(key="upload_publish").click().run()
    assert snapshots.current(tiny_ws).version == before + 1  # one data version for the three periods
    assert _published(tiny_ws, "demo-tuki") == TOTALS


def test_a_row_of_another_organisation_is_refused_at_its_row(tiny_ws):
    at = _check(open_page(app(tiny_ws, Role.COORDINATOR), "upload"), _file(other="demo-tyo"))
    assert at.error, "the file is refused"
    problems = at.dataframe[0].value
    said = t("problem.outside_upload_org", "en", org="demo-tyo", chosen_org="demo-tuki")
    assert said in set(problems[t("workspace.problems.message", "en")])
    assert warehouse_rows(tiny_ws, "SELECT count(*) FROM submission WHERE org_code = 'demo-tuki'") == [(0,)]


def test_a_reporter_sends_every_period_of_the_file_for_approval(tiny_ws):
    at = _check(open_page(app(tiny_ws, Role.REPORTER), "upload"), _file("demo-tyo"), org="demo-tyo")
    at.button(key="upload_submit").click().run()
    assert not at.exception and not at.error
    statuses = warehouse_rows(
        tiny_ws, "SELECT period, status FROM submission WHERE org_code = 'demo-tyo' ORDER BY period"
    )
    assert statuses == [("2025", "pending"), ("2025H1", "pending"), ("2025H2", "pending")]
    assert REPORTER.org_code == "demo-tyo"
