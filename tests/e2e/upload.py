"""The coordinator's upload page in the browser: choose, download the template, fill it, check a file."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import openpyxl
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from bench.harness.browser import TIMEOUT_MS, idle, select_option, upload_file
from etl.i18n import t
from etl.intake.filled_template import read_mapping
from etl.intake.problems import Problem

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


def fill(
    template: bytes, values: Cells, path: Path, lang: str, others: dict[str, int] | None = None
) -> dict[tuple[str, str], str]:
    """Type the counts (and `others`' measure totals) into the template's cells and save it to `path`;
    where each count went, as a problem says it."""
    book = openpyxl.load_workbook(io.BytesIO(template))
    places = {}
    for cell in read_mapping(book).cells:
        key = (cell.dim1, cell.code1)
        if cell.measure in (others or {}) and key == ("_T", "_T") and cell.dim2 == "_T":
            book[cell.sheet][cell.cell] = (others or {})[cell.measure]
        if cell.measure == "PERS_NEW" and cell.dim2 == "_T" and key in values:
            book[cell.sheet][cell.cell] = values[key]
            column, row = cell.cell[0], int(cell.cell[1:])
            places[key] = Problem("x", sheet=cell.sheet, row=row, column=column).location(lang)
    book.save(path)
    return places


def check(page: Any, path: Path, lang: str) -> None:
    """Give the uploader `path` and press the check button (the page then loads it as a draft)."""
    upload_file(page, path)
    page.get_by_role("button", name=t("workspace.upload.check", lang), exact=True).click()
