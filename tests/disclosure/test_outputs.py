"""No output shows a raw small count: pages (AppTest), their figures, the gate, at several thresholds."""

import io
import json
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from bench.harness.plotly_json import decode_typed_arrays
from dashboard.components import chart
from dashboard.exports import dataset
from dashboard.exports.pack import Exports
from dashboard.exports.provenance import build_context
from dashboard.reading import data, gate
from etl.config import get_settings
from etl.disclosure import flag_descriptions
from etl.i18n import t
from etl.publish import snapshots
from etl.services.access import Role
from tests.disclosure.builders import small_counts_data
from tests.disclosure.scan import Finding, scan_apptest, scan_csv, scan_figure, scan_frame
from tests.helpers import APP_FILE
from tests.signin import signed_in

# Every page a member or the public sees (the staff pages show exact figures by design, role-checked).
PAGES = [
    "overview.py",
    "trends.py",
    "who.py",
    "forms.py",
    "pathways.py",
    "support.py",
    "context.py",
    "methods.py",
    "data_download.py",
    "my_organisation.py",
]
KEY_PAGES = ["overview.py", "trends.py", "who.py", "data_download.py"]  # also scanned at thresholds 3 and 10
ORG = "small-0"  # the member whose session the scan runs in


@pytest.fixture
def small_counts(settings, monkeypatch, request):
    """A published warehouse full of 1-4 counts, protected at the threshold the test asks for."""
    threshold = getattr(request, "param", 5)
    monkeypatch.setenv("TILANNEKUVA_THRESHOLD", str(threshold))
    small_counts_data(get_settings())  # the settings as the environment now gives them
    return threshold


@pytest.mark.parametrize("small_counts", [3, 5, 10], indirect=True)
def test_published_cells_never_show_a_small_count(small_counts):
    threshold = small_counts
    ref = data.current_snapshot()
    with snapshots.open_snapshot(ref.path) as con:
        stored = con.execute("SELECT threshold FROM disclosure_meta").fetchone()[0]
        leaks = con.execute(
            "SELECT count(*) FROM published_cell WHERE value BETWEEN 1 AND ?", [threshold - 1]
        ).fetchone()[0]
        hidden = con.execute("SELECT count(*) FROM published_cell WHERE value IS NULL").fetchone()[0]
    assert stored == threshold
    assert leaks == 0
    assert hidden > 0


def _open_as_member(page: str, specs: list, monkeypatch):  # type: ignore[no-untyped-def]
    """The page in a member's session; every chart's FigureSpec (what its export menu offers) is kept."""
    from streamlit.testing.v1 import AppTest

    monkeypatch.setattr(chart, "download_menu", specs.append)
    at = AppTest.from_file(str(Path(__file__).resolve().parents[2] / APP_FILE), default_timeout=120)
    signed_in(at, get_settings(), Role.MEMBER, ORG)
    at.query_params["lang"] = "en"
    at.run()
    if page != "overview.py":
        at.switch_page(f"app_pages/{page}").run()
    return at


def _xlsx_frame(data: bytes) -> pd.DataFrame:
    rows = list(openpyxl.load_workbook(io.BytesIO(data)).worksheets[0].iter_rows(values_only=True))
    return pd.DataFrame(rows[1:], columns=[str(c) for c in rows[0]])


def _scan_exports(spec, threshold: int) -> list[Finding]:  # type: ignore[no-untyped-def]
    """The figure's JSON and its CSV, Excel CSV and XLSX downloads (the value columns: counts and shares)."""
    figure = decode_typed_arrays(json.loads(spec.figure.to_json()))
    found = scan_figure(figure, threshold, f"{spec.figure_id} figure", _not_counts())
    exports = Exports.of(spec, build_context(spec))
    frame = exports.numbers.frame  # what the table files hold: the chart's table or its whole breakdown
    # counts are scanned; labels, flags and shares (whole percent) are not counts of persons
    others = (set(frame.columns) - set(exports.numbers.value_columns)) | exports.numbers.percent_columns | _not_counts()
    found += scan_csv(exports.csv(), threshold, others)
    found += scan_csv(exports.excel_csv(), threshold, others)
    found += scan_frame(_xlsx_frame(exports.xlsx()), threshold, f"{spec.figure_id} xlsx", others)
    texts = {str(v) for column in exports.table.value_columns for v in exports.table.frame[column]}
    meanings = flag_descriptions("en", threshold)  # one meaning per symbol, as the pages' legends say it
    if f"<{threshold}" in texts:  # a hidden cell carries the legend, in the file too
        assert f"<{threshold}: {meanings['c']}" in exports.notes
    if "x" in texts:
        assert f"x: {meanings['d']}" in exports.notes
    for shown in (f"<{threshold}:", "x:"):  # each symbol explained once, in one wording (DATA-CONTRACT 8.9)
        assert len([note for note in exports.notes if note.startswith(shown)]) <= 1, exports.notes
    return found


def _not_counts() -> set[str]:
    """Column and trace names that hold no count of persons (how many members reported, data versions)."""
    return {
        t("overview.members_reported", "en"),
        t("common.members_reporting", "en"),
        t("workspace.my_org.members", "en"),
        t("figures.strip_label", "en"),  # the members-reporting strip under a chart
        t("methods.version", "en"),
        t("workspace.history.version", "en"),
        t("workspace.history.rows", "en"),  # cells in a submission
    }


def _scan_page(page: str, threshold: int, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    specs: list = []
    at = _open_as_member(page, specs, monkeypatch)
    assert not at.exception, [e.value for e in at.exception]
    # the member's own exact figures are restricted (its own people only), not a published output
    ignore = _not_counts() | {t("workspace.my_org.own", "en")}
    assert scan_apptest(at, threshold, ignore=ignore) == []
    for spec in specs:
        assert _scan_exports(spec, threshold) == []
    shown = " ".join(str(v) for df in at.dataframe for v in df.value.to_numpy().ravel())
    captions = " ".join(caption.value for caption in at.caption)
    if page == "overview.py":  # the sparse year (3 persons) is protected: `<t` or withheld `x`
        assert specs
        assert f"<{threshold}" in shown or "x" in shown.split() or threshold <= 3
    if f"<{threshold}" in shown and page != "data_download.py":
        assert f"<{threshold}" in captions  # the legend explains the symbol


@pytest.mark.parametrize("page", PAGES, ids=[p.removesuffix(".py") for p in PAGES])
def test_every_page_figure_and_export_is_free_of_small_counts(small_counts, page, monkeypatch):
    _scan_page(page, small_counts, monkeypatch)


@pytest.mark.parametrize("small_counts", [3, 10], indirect=True)
@pytest.mark.parametrize("page", KEY_PAGES, ids=[p.removesuffix(".py") for p in KEY_PAGES])
def test_key_pages_at_other_thresholds(small_counts, page, monkeypatch):
    _scan_page(page, small_counts, monkeypatch)


@pytest.mark.parametrize("small_counts", [3, 5, 10], indirect=True)
def test_the_whole_dataset_download_is_free_of_small_counts(small_counts):
    ref = data.current_snapshot()
    cells = dataset.protected_cells(ref)
    assert len(cells) >= 10
    if small_counts > 3:  # at 3 the hidden cells' tables are all withheld: the file then holds only shown cells
        assert cells["flag"].str.contains("c|d").any()
    found = _scan_column(dataset.to_csv(cells, ref.version, "en"), "value", small_counts)
    found += _scan_column(dataset.to_sdmx_csv(cells), "OBS_VALUE", small_counts)
    assert found == []


def _scan_column(data: bytes, column: str, threshold: int) -> list[Finding]:
    """The count column of a download (the others hold versions, years, codes and labels)."""
    header = pd.read_csv(io.BytesIO(data), sep=None, engine="python", nrows=0).columns
    assert column in header
    return scan_csv(data, threshold, ignore=set(header) - {column})


@pytest.mark.parametrize("threshold", [3, 10])
def test_the_gate_honours_a_threshold_changed_after_publishing(settings, monkeypatch, threshold):
    small_counts_data(settings)  # protected at the default 5
    monkeypatch.setenv("TILANNEKUVA_THRESHOLD", str(threshold))
    ref = snapshots.current(settings)
    for view in (gate.View("PERS_NEW"), gate.View("PERS_NEW", "exploitation_form"), gate.View("PERS_NEW", "sex")):
        frame = gate.network(ref, view, margins=True)
        assert not frame["value"].between(1, threshold - 1).any()
        small = frame[frame["flag"].str.contains("c")]
        assert set(gate.display(small, "fi")) <= {f"<{threshold}"}
