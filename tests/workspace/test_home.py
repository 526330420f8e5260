"""The workspace home: staff land on what waits for them (issue 17, point 5)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pandas as pd
import pytest

from dashboard.app_pages.helpers import home
from etl.i18n import t
from etl.services import workflow
from etl.services.access import Role
from tests.workspace.helpers import COORDINATOR, REPORTER, app, long_file


@pytest.mark.parametrize(
    ("today", "due"),
    [
        (date(2026, 12, 5), ("2026H1", "2025")),
        (date(2026, 7, 1), ("2026H1", "2025")),
        (date(2026, 6, 30), ("2025H2", "2025")),
        (date(2026, 1, 1), ("2025H2", "2025")),
    ],
)
def test_the_periods_due_are_the_last_half_year_and_year_that_ended(today, due):
    assert home.due_periods(today) == due


def _versions(rows: list[tuple[str, str, str, int, str]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["org_code", "period", "kind", "version", "status"])
    return frame.assign(file_name="f.csv", loaded_by="someone", loaded_at=pd.Timestamp("2026-11-01 10:00"))


def test_missing_asks_each_member_for_the_period_it_reports_by():
    register = pd.DataFrame(
        [
            ("halves", date(2016, 1, 1), None),
            ("years", date(2016, 1, 1), None),
            ("done", date(2016, 1, 1), None),
            ("returned", date(2016, 1, 1), None),
            ("new", date(2026, 11, 1), None),
            ("left", date(2016, 1, 1), date(2026, 3, 31)),
            ("future", date(2027, 1, 1), None),
        ],
        columns=["code", "active_from", "active_to"],
    )
    versions = _versions(
        [
            ("halves", "2025H2", "H2", 1, "published"),
            ("years", "2024", "Y", 1, "published"),
            ("done", "2026H1", "H1", 1, "published"),
            ("returned", "2026H1", "H1", 2, "returned"),
        ]
    )
    missing = home.missing(versions, register, date(2026, 12, 5))
    assert list(missing.itertuples(index=False, name=None)) == [
        ("halves", "2026H1"),
        ("years", "2025"),
        ("new", "2026H1"),  # no history: asked for the half-year
    ]


def test_pending_lists_the_version_waiting_with_its_file():
    versions = _versions(
        [("a", "2026H1", "H1", 1, "published"), ("a", "2026H1", "H1", 2, "pending"), ("b", "2026H1", "H1", 1, "draft")]
    )
    pending = home.pending(versions)
    assert list(pending[["org_code", "period", "version", "file_name"]].itertuples(index=False, name=None)) == [
        ("a", "2026H1", 2, "f.csv")
    ]


def test_failed_keeps_refused_and_busy_loads_of_the_last_days_newest_first():
    now = datetime(2026, 12, 5, 12, 0)
    log = pd.DataFrame(
        [
            (now - timedelta(days=1), "load", "rejected", "new"),
            (now - timedelta(days=2), "load", "busy", "busy"),
            (now - timedelta(days=3), "load", "loaded", "fine"),
            (now - timedelta(days=4), "publish", "rejected", "not a load"),
            (now - timedelta(days=home.FAILED_DAYS + 1), "load", "rejected", "too old"),
        ],
        columns=["logged_at", "action", "outcome", "detail"],
    )
    assert list(home.failed(log, now)["detail"]) == ["new", "busy"]


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_staff_land_on_what_waits_a_pending_upload_a_missing_member_and_a_refused_file(tiny_ws, lang):
    half, year = home.due_periods(date.today())
    workflow.upload(tiny_ws, REPORTER, long_file("demo-tyo", half, 41, 31, 10), "tyo.csv", "demo-tyo", half)
    workflow.submit(tiny_ws, REPORTER, "demo-tyo", half)
    refused = long_file("demo-tuki", half, 41, 31, 10).replace(b"LAB", b"NOPE")
    assert not workflow.upload(tiny_ws, COORDINATOR, refused, "refused.csv", "demo-tuki", half).ok
    at = app(tiny_ws, Role.COORDINATOR, lang).run()  # no page chosen: the landing page
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value == t("workspace.home.title", lang)
    # the tiny warehouse's members have sent neither the last half-year (alfa) nor the last year (the others)
    assert [m.value for m in at.metric] == ["1", "5", "1"]
    pending, missing, failed = (frame.value for frame in at.dataframe)
    name = "Testi demo-tyo (demo-tyo)" if lang == "fi" else "Test demo-tyo (demo-tyo)"
    assert list(pending.iloc[0])[:5] == [name, half, 1, "tyo.csv", "test-reporter"]
    asked = dict(zip(missing.iloc[:, 0].str.extract(r"\((.+)\)$")[0], missing.iloc[:, 1], strict=True))
    assert asked == {"alfa": half, "beeta": year, "delta": year, "demo-tuki": half, "gamma": year}
    assert len(failed) == 1 and "refused.csv" in failed.iloc[0, 1]
    assert [link.proto.page for link in at.get("page_link")] == ["submissions", "submissions", "rounds", "audit"]


def test_a_member_lands_on_the_overview_not_the_workspace(tiny_ws):
    at = app(tiny_ws, Role.MEMBER).run()
    assert not at.exception
    assert at.title and at.title[0].value != t("workspace.home.title", "en")
