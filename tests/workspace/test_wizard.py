"""The upload wizard end to end in AppTest: template, a file with two mistakes, the corrected file, preview,
publication (coordinator), and a reporter's upload that waits for approval until the coordinator approves it."""

import io

import openpyxl
from streamlit.testing.v1 import AppTest

from etl.i18n import t
from etl.intake.filled_template import read_mapping
from etl.intake.problems import Problem
from etl.publish import snapshots
from etl.services.access import Role
from tests.helpers import corrected_csv, corrected_template, typed_template
from tests.workspace.helpers import app, captured_downloads, open_page, warehouse_rows

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _button(at: AppTest, label_key: str):
    label = t(label_key, "en")
    found = [b for b in at.button if b.label == label]
    assert found, f"no button {label!r} among {[b.label for b in at.button]}"
    return found[0]


def _check(at: AppTest, name: str, data: bytes, mime: str = XLSX) -> AppTest:
    at.file_uploader[0].set_value((name, data, mime))
    at.run()
    at.button(key="upload_check").click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _published_total(settings, org: str, period: str) -> int | None:
    with snapshots.open_snapshot(snapshots.current(settings).path) as con:
        rows = con.execute(
            "SELECT value FROM fact_reported WHERE org_code = ? AND period = ? AND measure = 'PERS_NEW' AND dim1 = '_T'",
            [org, period],
        ).fetchall()
    return int(rows[0][0]) if rows else None


def test_the_coordinator_downloads_the_template_fixes_two_mistakes_previews_and_publishes(ws, monkeypatch):
    version_before = snapshots.current(ws).version
    at = app(ws, Role.COORDINATOR)
    with captured_downloads(monkeypatch) as downloads:
        open_page(at, "upload")
        at.selectbox(key="upload_org").set_value("demo-tuki").run()
        at.selectbox(key="upload_period").set_value("2025H1").run()
    template = downloads["tilannekuva-demo-tuki-2025H1-en.xlsx"]()  # what a click on "Download the template" gives
    meta = read_mapping(openpyxl.load_workbook(io.BytesIO(template))).meta
    assert (meta["organisation"], meta["period"], meta["lang"]) == ("demo-tuki", "2025H1", "en")

    # Two mistakes: a negative count and a decimal one. Both are listed at once, each at its cell.
    wrong, places = typed_template(
        template, {("_T", "_T"): 40, ("exploitation_form", "LAB"): -30, ("exploitation_form", "SEX"): 10.5}
    )
    _check(at, "lomake.xlsx", wrong)
    assert [e.value for e in at.error] == [t("workspace.upload.rejected", "en", file="lomake.xlsx", count=2)]
    listed = at.dataframe[0].value
    severity = listed[t("workspace.problems.severity", "en")]
    problems = listed[severity == t("contrib.severity_error", "en")]
    # Only three cells typed: every other table demo-tuki sent for 2025H1 is left out, worth a warning each.
    warnings = set(listed[severity == t("contrib.severity_warning", "en")][t("workspace.problems.message", "en")])
    left_out = Problem("breakdown_left_out", params={"org": "demo-tuki", "period": "2025H1", "measure": "PERS_NEW"})
    assert Problem(left_out.code, params={**left_out.params, "dimension": "sex"}).message("en") in warnings
    where = [t(f"workspace.problems.{c}", "en") for c in ("where", "value")]
    got = {tuple(row) for row in problems[where].itertuples(index=False)}
    lab_sheet, lab_column, lab_row = places[("exploitation_form", "LAB")]
    sex_sheet, sex_column, sex_row = places[("exploitation_form", "SEX")]
    lab_place = Problem("x", sheet=lab_sheet, row=lab_row, column=lab_column).location("en")
    sex_place = Problem("x", sheet=sex_sheet, row=sex_row, column=sex_column).location("en")
    assert lab_place == f"sheet {lab_sheet}, row {lab_row}, column {lab_column}"  # the template cell typed into
    assert got == {(lab_place, "-30"), (sex_place, "10.5")}
    expected = {
        Problem("negative_value", column=lab_column, value="-30").message("en"),
        Problem("decimal_value", column=sex_column, value="10.5").message("en"),
    }
    assert set(problems[t("workspace.problems.message", "en")]) == expected
    assert snapshots.current(ws).version == version_before

    # The corrected file (all the member's figures, 10 more new clients; some differ from 2024H1 by more than
    # half: worth a warning, not a refusal): a draft, previewed, published.
    right, corrected_total = corrected_template(template, ws, "demo-tuki", "2025H1")
    _check(at, "lomake-korjattu.xlsx", right)
    assert not at.error, [e.value for e in at.error]
    warnings, exact, network = (frame.value for frame in at.dataframe)
    assert [w.value for w in at.warning] == [t("workspace.upload.warnings", "en", count=len(warnings))]
    assert set(warnings[t("workspace.problems.severity", "en")]) == {t("contrib.severity_warning", "en")}
    # all of them year-on-year changes: a correction leaves nothing out
    assert all("2024H1" in message for message in warnings[t("workspace.problems.message", "en")])
    total_row = exact[exact[t("workspace.preview.category", "en")] == t("workspace.total", "en")].iloc[0]
    published_before = _published_total(ws, "demo-tuki", "2025H1")
    assert total_row[t("workspace.preview.before", "en")] == str(published_before)
    assert total_row[t("workspace.preview.after", "en")] == str(corrected_total) != str(published_before)
    # the year a half-year belongs to (the half's own network figures are hidden before and after here)
    assert "2025" in set(network[t("workspace.preview.period", "en")]) <= {"2025H1", "2025"}
    assert snapshots.current(ws).version == version_before  # a preview publishes nothing
    assert _button(at, "workspace.upload.publish").disabled  # not before the coordinator confirms
    at.checkbox(key="upload_confirm").check().run()
    _button(at, "workspace.upload.publish").click().run()
    new = str(version_before + 1)
    assert [s.value for s in at.success] == [
        t("workspace.upload.published", "en", org="demo-tuki", period="2025H1", version=new)
        + "\n\n"
        + t("workspace.upload.published_link", "en", version=new, language="en")  # a link to what was published
    ]
    assert snapshots.current(ws).version == version_before + 1
    assert _published_total(ws, "demo-tuki", "2025H1") == corrected_total


def test_a_reporters_upload_waits_for_approval_until_the_coordinator_approves_it(ws):
    version_before = snapshots.current(ws).version
    published_before = _published_total(ws, "demo-tyo", "2025")
    reporter = open_page(app(ws, Role.REPORTER), "upload")
    assert reporter.selectbox(key="upload_org").value == "demo-tyo" and reporter.selectbox(key="upload_org").disabled
    reporter.selectbox(key="upload_period").set_value("2025").run()
    sent, corrected_total = corrected_csv(ws, "demo-tyo", "2025")  # all it reported, 10 more new clients
    _check(reporter, "tyo-2025.csv", sent, "text/csv")
    assert not reporter.error, [e.value for e in reporter.error]
    _button(reporter, "workspace.upload.submit").click().run()
    assert [s.value for s in reporter.success] == [
        t("workspace.upload.submitted", "en", org="demo-tyo", period="2025", version="2")
    ]
    status = (
        "SELECT status FROM submission WHERE org_code = 'demo-tyo' AND period = '2025' ORDER BY version DESC LIMIT 1"
    )
    assert warehouse_rows(ws, status) == [("pending",)]
    assert (
        snapshots.current(ws).version == version_before and _published_total(ws, "demo-tyo", "2025") == published_before
    )

    history = open_page(app(ws, Role.REPORTER), "my_organisation").dataframe[-1].value
    assert t("workspace.status.pending", "en") in set(history[t("workspace.history.status", "en")])

    coordinator = open_page(app(ws, Role.COORDINATOR), "submissions")
    assert [w.value for w in coordinator.warning] == [t("workspace.submissions.waiting", "en", count=1)]
    coordinator.selectbox(key="subs_org").set_value("demo-tyo").run()
    coordinator.selectbox(key="subs_period:demo-tyo").set_value("2025").run()
    confirm = t("workspace.upload.confirm", "en", org="demo-tyo", period="2025")
    next(box for box in coordinator.checkbox if box.label == confirm).check()
    _button(coordinator, "workspace.submissions.approve").click().run()
    assert not coordinator.exception
    new = str(version_before + 1)
    assert [s.value for s in coordinator.success] == [
        t("workspace.submissions.approved", "en", org="demo-tyo", period="2025", version=new)
        + "\n\n"
        + t("workspace.upload.published_link", "en", version=new, language="en")
    ]
    assert warehouse_rows(ws, status) == [("published",)]
    assert _published_total(ws, "demo-tyo", "2025") == corrected_total == published_before + 10
