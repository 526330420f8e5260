"""The coordinator's upload page in the browser: choose, download the template, fill it, check a file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from playwright.sync_api import TimeoutError as PlaywrightTimeout

from bench.harness.browser import TIMEOUT_MS, idle, select_option, upload_file
from etl.i18n import t
from etl.intake.problems import Problem
from tests.helpers import typed_template

DOWNLOAD_ATTEMPTS = 3
Cells = dict[tuple[str, str], object]  # new-client counts by (dim1, code1)


def template(page: Any, org_label: str, period: str, lang: str) -> tuple[str, bytes]:
    """Choose the organisation and period, click the template's download button: (file name, bytes)."""
    select_option(page, t("workspace.upload.organisation", lang), org_label)
    select_option(page, t("workspace.upload.period", lang), period)
    button = page.get_by_role("button", name=t("workspace.upload.template", lang))
    # The file is made when the button is clicked (a deferred download). On a busy machine a click can
    # land while the choice's rerun replaces the button, and that click downloads nothing: wait for
    # the run to end and click again, as a person would, within the one step's time.
    for attempt in range(1, DOWNLOAD_ATTEMPTS + 1):
        idle(page)
        try:
            with page.expect_download(timeout=TIMEOUT_MS // DOWNLOAD_ATTEMPTS) as started:
                button.click()
            break
        except PlaywrightTimeout:
            if attempt == DOWNLOAD_ATTEMPTS:
                raise
    return started.value.suggested_filename, Path(started.value.path()).read_bytes()


def fill(template: bytes, values: Cells, path: Path, lang: str) -> dict[tuple[str, str], str]:
    """Type the counts into the template and save it to `path`; where each count went, as a problem says it."""
    data, places = typed_template(template, values)
    path.write_bytes(data)
    located = {}
    for key, (sheet, column, row) in places.items():
        located[key] = Problem("x", sheet=sheet, row=row, column=column).location(lang)
    return located


def check(page: Any, path: Path, lang: str) -> None:
    """Give the uploader `path` and press the check button (the page then loads it as a draft)."""
    upload_file(page, path)
    page.get_by_role("button", name=t("workspace.upload.check", lang), exact=True).click()
