"""Small builders the tests share."""

from __future__ import annotations

import fcntl
import io
import os
import shutil
from collections.abc import Callable
from datetime import date
from pathlib import Path

import duckdb
import openpyxl
import pytest
from openpyxl.utils.cell import coordinate_from_string

from bench.harness.plotly_json import decode_typed_arrays
from etl.config import Settings, get_settings
from etl.intake.filled_template import read_mapping
from etl.warehouse import organisations

LONG_HEADER = "organisation;period;measure;exploitation_form;sex;value;flag\n"


def add_org(con: duckdb.DuckDBPyConnection, code: str = "testi", since: date = date(2016, 1, 1)) -> None:
    organisations.add(
        con,
        organisations.Organisation(code, f"Testi {code}", f"Test {code}", f"Test {code}", "VICTIM_SUPPORT", since),
        actor="test",
    )


def long_csv(rows: list[str], header: str = LONG_HEADER) -> bytes:
    return (header + "\n".join(rows) + "\n").encode("utf-8")


def publish_correction(settings: Settings, org: str, period: str, extra: int) -> int:
    """`org` sends its figures for `period` again with `extra` more new clients (`corrected_cells`),
    published at once; the new version."""
    from etl.warehouse import load

    data, _ = corrected_csv(settings, org, period, extra)
    result = load.load_bytes(data, "korjaus.csv", "tester", settings, publish_now=True)
    assert result.outcome == "loaded", [p.message("en") for p in result.problems]
    assert result.published_version is not None
    return result.published_version


def typed_template(
    template: bytes, counts: dict[tuple[str, str], object]
) -> tuple[bytes, dict[tuple[str, str], tuple[str, str, int]]]:
    """The template with new-client counts typed in by (dim1, code1); where each count sits
    (sheet, column letter, row number), as a problem names a place."""
    book = openpyxl.load_workbook(io.BytesIO(template))
    places = {}
    for cell in read_mapping(book).cells:
        key = (cell.dim1, cell.code1)
        if cell.measure == "PERS_NEW" and cell.dim2 == "_T" and key in counts:
            book[cell.sheet][cell.cell] = counts[key]
            column, row = coordinate_from_string(cell.cell)
            places[key] = (cell.sheet, column, row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue(), places


# Where a correction's extra persons go in each breakdown (else the table's first code): one path through
# every table, so breakdowns, crosses, sectors and countries still sum. New clients and the clients of the
# period (their whole) both get them, so a part stays within its whole.
EXTRA_AT = {
    "exploitation_form": "LAB",
    "exploitation_place": "FI",
    "sex": "M",
    "age_group": "Y30_39",
    "citizenship": "FI",
    "citizenship_group": "FI",
}
CORRECTED = ("PERS_NEW", "PERS_ACTIVE")
Key = tuple[str, str, str, str, str]  # measure, dim1, code1, dim2, code2


def corrected_cells(settings: Settings, org: str, period: str, extra: int = 10) -> dict[Key, int]:
    """All that `org` reported for `period`, with `extra` more new clients in total and in every breakdown.

    A member's correction: its tables and like-for-like groups stay, so a preview or publication
    protects that year's changed cells only (a file that leaves tables out changes the groups and the
    year's protection starts over: about a minute on the demo). `extra` of 5 or more: a smaller change
    of a network figure is hidden, as a revision of 1-4 persons must be.
    """
    from etl.publish import snapshots

    with snapshots.open_snapshot(snapshots.current(settings).path) as con:
        rows = con.execute(
            "SELECT measure, dim1, code1, dim2, code2, value FROM fact_reported WHERE org_code = ? AND period = ?",
            [org, period],
        ).fetchall()
    counts = {(m, d1, c1, d2, c2): int(v) for m, d1, c1, d2, c2, v in rows if v is not None}
    chosen: dict[str, str] = {}
    for measure, dim1, code1, dim2, code2 in sorted(counts):
        for dim, code in ((dim1, code1), (dim2, code2)):
            if measure in CORRECTED and dim != "_T":
                chosen.setdefault(dim, EXTRA_AT.get(dim, code))
    for measure, dim1, dim2 in sorted({(k[0], k[1], k[3]) for k in counts if k[0] in CORRECTED}):
        cell = (measure, dim1, chosen.get(dim1, "_T"), dim2, chosen.get(dim2, "_T"))
        counts[cell] = counts.get(cell, 0) + extra
    return counts


def corrected_template(
    template: bytes, settings: Settings, org: str, period: str, extra: int = 10
) -> tuple[bytes, int]:
    """The template filled with `corrected_cells`; the file and its total of new clients."""
    counts = corrected_cells(settings, org, period, extra)
    book = openpyxl.load_workbook(io.BytesIO(template))
    for cell in read_mapping(book).cells:
        value = counts.get((cell.measure, cell.dim1, cell.code1, cell.dim2, cell.code2))
        if value is not None:
            book[cell.sheet][cell.cell] = value
    out = io.BytesIO()
    book.save(out)
    return out.getvalue(), counts[("PERS_NEW", "_T", "_T", "_T", "_T")]


def corrected_csv(settings: Settings, org: str, period: str, extra: int = 10) -> tuple[bytes, int]:
    """`corrected_cells` as a long-format CSV; the file and its total of new clients."""
    import pandas as pd

    from etl.demo.synthetic import long_csv_bytes

    counts = corrected_cells(settings, org, period, extra)
    columns = ["measure", "dim1", "code1", "dim2", "code2"]
    cells = pd.DataFrame([(*key, value) for key, value in sorted(counts.items())], columns=[*columns, "value"])
    data = long_csv_bytes(cells.assign(org_code=org, period=period))
    return data, counts[("PERS_NEW", "_T", "_T", "_T", "_T")]


def table_rows(con: duckdb.DuckDBPyConnection, table: str) -> list[tuple]:
    return con.execute(f"SELECT * FROM {table} ORDER BY ALL").fetchall()


def chart_figures(at) -> list[dict]:
    """The plotly figures an AppTest run rendered, as plain JSON with arrays decoded."""
    import json

    return [decode_typed_arrays(json.loads(chart.proto.spec)) for chart in at.get("plotly_chart")]


APP_FILE = "dashboard/app.py"


def open_page(page_file: str, lang: str = "fi", params: dict[str, str] | None = None, timeout: int = 60):
    """An AppTest of the dashboard on one page (file name in dashboard/app_pages), with URL parameters."""
    from pathlib import Path

    from streamlit.testing.v1 import AppTest

    from etl.config import get_settings
    from etl.services.access import Role
    from tests.signin import signed_in

    at = AppTest.from_file(str(Path(__file__).resolve().parents[1] / APP_FILE), default_timeout=timeout)
    signed_in(at, get_settings(), Role.COORDINATOR)  # sees every page; member-only views are tested elsewhere
    at.query_params["lang"] = lang
    for key, value in (params or {}).items():
        at.query_params[key] = value
    at.run()  # the coordinator lands on the workspace home: every page, the Overview too, is switched to
    at.switch_page(f"app_pages/{page_file}").run()
    return at


def _strings(node, out: list[str], skip: frozenset[str] = frozenset({"template", "bdata", "dtype"})) -> None:
    if isinstance(node, dict):
        for key, value in node.items():
            if key not in skip:
                _strings(value, out)
    elif isinstance(node, list):
        for item in node:
            _strings(item, out)
    elif isinstance(node, str):
        out.append(node)


def visible_text(at) -> list[str]:
    """Every text a person can see in the main area: headings, text, widgets, tables, figure texts."""
    import json

    texts: list[str] = []

    def walk(node) -> None:
        for child in getattr(node, "children", {}).values():
            walk(child)
        kind = getattr(node, "type", "")
        for attribute in ("label", "help", "delta", "placeholder"):
            value = getattr(node, attribute, None)
            if isinstance(value, str):
                texts.append(value)
        options = getattr(node, "options", None)
        if isinstance(options, list):
            texts.extend(str(option) for option in options)
        if kind in ("arrow_data_frame", "dataframe", "table", "arrow_table"):
            frame = node.value
            texts.extend(str(column) for column in frame.columns)
            texts.extend(str(cell) for cell in frame.astype(str).to_numpy().ravel())
        elif kind == "plotly_chart":
            _strings(json.loads(node.proto.spec), texts)
        elif kind in (
            "markdown",
            "caption",
            "title",
            "header",
            "subheader",
            "metric",
            "text",
            "info",
            "warning",
            "error",
            "success",
        ):
            value = node.value
            if isinstance(value, str):
                texts.append(value)

    walk(at.main)
    return texts


# Settings a test starts without, whatever the shell running the suite has set.
DEFAULTED = (
    "THRESHOLD", "LANG", "PUBLIC_MODE", "DEMO_SEED", "SESSION_TIMEOUT_MINUTES", "SESSION_IDLE_HOURS", "SESSION_DAYS",
    "MAX_UPLOAD_MB", "MAX_ROWS",
)  # fmt: skip


def use_data_dir(data_dir: Path, monkeypatch: pytest.MonkeyPatch, copy_of: Path | None = None) -> Settings:
    """Point the settings at `data_dir` (a copy of `copy_of`, if given), every other setting at its default
    but one protection worker."""
    if copy_of is not None:
        shutil.copytree(copy_of, data_dir)
    monkeypatch.setenv("TILANNEKUVA_DATA_DIR", str(data_dir))
    for name in DEFAULTED:
        monkeypatch.delenv(f"TILANNEKUVA_{name}", raising=False)
    # pytest-xdist already runs a test on every core: a publication's years one after another
    # (processes of their own on top would only wait for each other and for the other tests).
    monkeypatch.setenv("TILANNEKUVA_PROTECT_WORKERS", "1")
    return get_settings()


def built_once(tmp_path_factory: pytest.TempPathFactory, name: str, build: Callable[[Path], None]) -> Path:
    """A data folder built once per test run, shared by every pytest-xdist worker; treat it as read-only.

    The first worker to ask builds it under a file lock; the others wait for it and reuse it.
    """
    root = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent  # the run's folder, above each worker's own
    folder = root / f"shared-{name}"
    with open(root / f"shared-{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (folder / "complete").exists():
            shutil.rmtree(folder, ignore_errors=True)
            with pytest.MonkeyPatch.context() as patch:  # the same folder whichever test asks first
                for name in [name for name in os.environ if name.startswith("TILANNEKUVA_")]:
                    patch.delenv(name)
                build(folder / "data")
            (folder / "complete").touch()
    return folder / "data"
