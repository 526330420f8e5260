"""The daily journeys in Chromium (issue 17, points 4, 6 and 7): what a visitor, a member and the coordinator read.

- A visitor meets a sign-in page in the language they choose, that says what the platform
  is and that the demo's figures are made up.
- A member reads the year's change on the Overview with who reported: a change in the
  number of reporting members is said beside the figure.
- The coordinator checks a file with one mistake on many rows, a formula and an unknown
  code: one line per distinct problem, its rows listed, and all of them at once.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from bench.harness.browser import (
    TIMEOUT_MS,
    choose_language,
    idle,
    main_text,
    open_page,
    screenshot,
    select_option,
    sign_in,
    tables,
    upload_file,
    wait_heading,
)
from bench.harness.expected import members_by_year
from etl.config import Settings
from etl.i18n import t
from etl.intake.problems import Problem, grouped
from etl.publish import snapshots
from tests.e2e.conftest import demo_account

pytestmark = pytest.mark.e2e
HEADER = "organisation;period;measure;exploitation_form;value\n"
ORG_LABEL = "Anti-Trafficking Support Centre (demo) (demo-tuki)"  # as the organisation menu names it
MISTAKES = 12  # the same negative count on twelve rows


def test_a_visitor_reads_the_sign_in_page_in_swedish_with_what_it_is_and_the_demo_label(dashboard, page):
    open_page(page, f"{dashboard.url}/")
    wait_heading(page, t("login.title", "fi"))
    choose_language(page, "sv")
    wait_heading(page, t("login.title", "sv"))
    # The form comes after the text: once it shows, the text has come too.
    expect(page.get_by_label(t("login.username", "sv"), exact=True)).to_be_visible(timeout=TIMEOUT_MS)
    text = main_text(page)
    assert t("login.intro", "sv") in text  # what the platform is
    assert t("common.synthetic_banner", "sv") in text  # the demo's figures are made up
    assert page.evaluate("document.documentElement.lang") == "sv"
    screenshot(page, "sign-in-sv")


def test_a_member_reads_the_change_with_who_reported(dashboard, page):
    current = snapshots.current(Settings(data_dir=dashboard.data_dir))
    assert current is not None
    members = members_by_year(current.path)
    year = max(members)
    assert members[year] != members[year - 1]  # the demo: members joined, so the note must show
    member = demo_account("member")
    open_page(page, f"{dashboard.url}/?lang=en")
    sign_in(page, member.username, member.password, "en")
    wait_heading(page, t("overview.title", "en"))
    note = t(
        "overview.members_changed",
        "en",
        year=str(year),
        before_year=str(year - 1),
        members=str(members[year]),
        before=str(members[year - 1]),
    )
    page.get_by_text(note, exact=True).wait_for(timeout=TIMEOUT_MS)
    screenshot(page, "overview-members-changed")


def test_the_coordinator_sees_each_distinct_problem_once_with_its_rows(dashboard, page, tmp_path):
    rows = ["demo-tuki;2025H1;PERS_NEW;LAB;-3" for _ in range(MISTAKES)]
    rows += ["demo-tuki;2025H1;PERS_NEW;NOT_A_FORM;4", "demo-tuki;2025H1;PERS_NEW;SEX;=1+2"]
    path = tmp_path / "many-mistakes.csv"
    path.write_text(HEADER + "\n".join(rows) + "\n", encoding="utf-8")
    coordinator = demo_account("coordinator")
    open_page(page, f"{dashboard.url}/upload?lang=en")
    sign_in(page, coordinator.username, coordinator.password, "en")
    wait_heading(page, t("workspace.upload.title", "en"))
    select_option(page, t("workspace.upload.organisation", "en"), ORG_LABEL)
    select_option(page, t("workspace.upload.period", "en"), "2025H1")
    upload_file(page, path)
    page.get_by_role("button", name=t("workspace.upload.check", "en"), exact=True).click()
    where = t("workspace.problems.where", "en")
    page.locator('[data-testid="stMain"] [data-testid="stDataFrame"]').first.wait_for(timeout=TIMEOUT_MS)
    idle(page)
    (table,) = [rows for rows in tables(page) if where in rows[0]]
    places = [row[table[0].index(where)] for row in table[1:]]
    same = [Problem("negative_value", row=row, column="value", value="-3") for row in range(2, MISTAKES + 2)]
    (group,) = grouped(same, "en")
    assert f"({MISTAKES} " in group.location("en")
    assert places.count(group.location("en")) == 1, places  # one line for the twelve rows
    # The unknown code and the formula (its text not echoed: a spreadsheet would run it), both at once
    formula_row, unknown_row = MISTAKES + 3, MISTAKES + 2
    assert Problem("x", row=unknown_row, column="exploitation_form").location("en") in places, places
    assert Problem("x", row=formula_row, column="value").location("en") in places, places
    screenshot(page, "problems-grouped")
