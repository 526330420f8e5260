"""An advocate signs in and takes the Overview chart away as PNG, CSV and the statement pack.

The files are the browser's real downloads. They are opened and checked against the
published snapshot read with our own SQL: the image's size, the title, the source
line (members reporting, data version, its date, the retrieval date) and every number.
"""

from __future__ import annotations

import csv
import io
import re
import urllib.request
import zipfile
from datetime import date
from pathlib import Path
from xml.etree import ElementTree

import openpyxl
import pypdf
import pytest
from PIL import Image

from bench.harness.browser import CHART, TIMEOUT_MS, idle, open_page, screenshot, sign_in, wait_heading
from bench.harness.expected import NEW_CLIENTS_FIGURE, members_by_year, new_clients_by_year
from dashboard.exports.furniture import DEFAULT_PRESET, PRESETS
from etl.config import Settings
from etl.i18n import t
from etl.publish import snapshots
from tests.e2e.conftest import demo_account

pytestmark = pytest.mark.e2e
LANG = "en"
SVG = "{http://www.w3.org/2000/svg}"


def _words(text: str) -> str:
    return " ".join(text.split())


def _svg_text(svg: bytes) -> str:
    root = ElementTree.fromstring(svg)  # the dashboard's own renderer's output
    chunks = []
    for node in root.iter(f"{SVG}text"):
        lines = [span for span in node.iter(f"{SVG}tspan") if "line" in span.get("class", "")]
        chunks.append(" ".join("".join(span.itertext()) for span in lines) if lines else "".join(node.itertext()))
    return _words(" ".join(chunks))


def _download(page, figure, button: str) -> tuple[str, bytes]:
    with page.expect_download(timeout=TIMEOUT_MS) as started:
        figure.get_by_role("button", name=button, exact=True).click()
    download = started.value
    return download.suggested_filename, Path(download.path()).read_bytes()


def _tab(figure, key: str) -> None:
    figure.get_by_role("tab", name=t(f"exports.menu.{key}", LANG), exact=True).click()


def _expected_source_line(version: int, published: date, members: dict[int, int]) -> str:
    low, high = min(members.values()), max(members.values())
    reported = (
        t("exports.members_reported", LANG, count=low)
        if low == high
        else t("exports.members_reported_range", LANG, low=low, high=high)
    )
    line = t(
        "exports.source_line",
        LANG,
        network=t("exports.network", LANG),
        members=f" ({reported})",
        version=str(version),
        published=published,
        retrieved=date.today(),
    )
    return f"{line} {t('exports.synthetic', LANG)}"  # the demo data says so everywhere


def _csv_numbers(data: bytes) -> dict[int, tuple[int, int]]:
    """The shown years' totals and members; a hidden year has an empty total and its flag in the next column."""
    rows = list(csv.reader(io.StringIO(data.decode("utf-8"))))
    return _numbers(rows[0], rows[1:])


def _numbers(header: list, rows: list) -> dict[int, tuple[int, int]]:
    total = t("overview.new_clients", LANG)
    flag = t("exports.flag_column", LANG, column=total)
    flagged = [t("common.period", LANG), total, flag, t("overview.members_reported", LANG)]
    assert list(header) in (flagged, flagged[:2] + flagged[3:])  # the flag column comes with a hidden total
    hidden = [row for row in rows if not str(row[1]).isdigit()]  # empty (CSV) or its symbol (XLSX)
    assert all(len(header) == 4 and row[2] for row in hidden)  # a hidden total says why (x or <5)
    return {int(row[0]): (int(row[1]), int(row[-1])) for row in rows if str(row[1]).isdigit()}


def _xlsx_numbers(data: bytes) -> dict[int, tuple[int, int]]:
    sheet = openpyxl.load_workbook(io.BytesIO(data), read_only=True).worksheets[0]
    rows = [row for row in sheet.iter_rows(values_only=True) if row]
    first = next(i for i, row in enumerate(rows) if str(row[0]).isdigit())
    header = [cell for cell in rows[first - 1] if cell is not None]
    years = [row[: len(header)] for row in rows[first:] if str(row[0]).isdigit()]
    return _numbers(header, years)


def test_an_advocate_exports_png_csv_and_the_statement_pack(dashboard, page):
    ref = snapshots.current(Settings(data_dir=dashboard.data_dir))
    assert ref is not None
    totals, members = new_clients_by_year(ref.path), members_by_year(ref.path)
    numbers = {year: (totals[year], members[year]) for year in totals}
    title = t("overview.chart_title", LANG)
    source = _expected_source_line(ref.version, ref.published_at.date(), members)
    figure_code = f"TK-{ref.version}-"

    open_page(page, f"{dashboard.url}/?lang={LANG}")
    member = demo_account("member")
    sign_in(page, member.username, member.password, LANG)
    wait_heading(page, t("overview.title", LANG))
    page.wait_for_selector(CHART, timeout=TIMEOUT_MS)

    figure = page.locator(f".st-key-figure-{NEW_CLIENTS_FIGURE.replace('.', '-')}")  # the page has more charts
    figure.get_by_text(t("exports.menu.title", LANG), exact=True).click()
    _tab(figure, "tab_image")
    png_name, png = _download(page, figure, t("exports.menu.png", LANG))
    _tab(figure, "tab_numbers")
    csv_name, csv_data = _download(page, figure, t("exports.menu.csv", LANG))
    _tab(figure, "tab_pack")
    figure.get_by_role("button", name=t("exports.menu.pack_build", LANG), exact=True).click()
    figure.get_by_role("button", name=t("exports.menu.pack_download", LANG), exact=True).wait_for(timeout=TIMEOUT_MS)
    idle(page)
    zip_name, zipped = _download(page, figure, t("exports.menu.pack_download", LANG))
    screenshot(page, "advocate-exports")

    # PNG: the social preset's size, a real image
    preset = PRESETS[DEFAULT_PRESET]
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG" and figure_code in png_name
    assert image.size == (round(preset.width * preset.scale), round(preset.height * preset.scale))
    darkest, lightest = image.convert("L").getextrema()
    assert darkest < 80 and lightest == 255  # text and bars on white, not a blank page

    # CSV: every year's total and members reporting, as in the snapshot
    assert figure_code in csv_name
    assert _csv_numbers(csv_data) == numbers

    # The pack: the same numbers, and title and source line as text in SVG and PDF
    archive = zipfile.ZipFile(io.BytesIO(zipped))
    assert archive.testzip() is None and figure_code in zip_name
    stem = png_name.removesuffix(f"-{DEFAULT_PRESET}.png")
    assert set(archive.namelist()) >= {f"{stem}.png", f"{stem}.svg", f"{stem}.pdf", f"{stem}.csv", f"{stem}.xlsx"}
    assert archive.read(f"{stem}.csv") == csv_data
    assert _xlsx_numbers(archive.read(f"{stem}.xlsx")) == numbers
    svg_text = _svg_text(archive.read(f"{stem}.svg"))
    assert title in svg_text and _words(source) in svg_text and figure_code in svg_text
    pdf_text = _words(
        " ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(archive.read(f"{stem}.pdf"))).pages)
    )
    assert title in pdf_text and _words(source) in pdf_text
    assert Image.open(io.BytesIO(archive.read(f"{stem}.png"))).size == image.size
    readme = archive.read("README.txt").decode("utf-8")
    assert readme.startswith(title)
    citation = archive.read("citation.txt").decode("utf-8")
    cited = re.search(rf"{re.escape(dashboard.url)}/f/{figure_code}[0-9a-f]{{6}}\.", citation)
    assert f"data version {ref.version}" in citation and cited is not None  # the public link, kept by the downloads
    public_link = cited.group(0).rstrip(".")
    with urllib.request.urlopen(public_link, timeout=30) as answer:  # a reader without an account follows it
        assert answer.status == 200 and title in answer.read().decode("utf-8")
