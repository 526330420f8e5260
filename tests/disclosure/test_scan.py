"""The small-count scanner finds what it must (so that a clean scan means something)."""

import io

import openpyxl
import pandas as pd

from tests.disclosure.scan import (
    is_small_count,
    scan_csv,
    scan_figure,
    scan_frame,
    scan_text,
    scan_values,
    xlsx_frame,
)


def test_small_counts_are_recognised_as_numbers_and_text():
    assert [is_small_count(v, 5) for v in (1, 4.0, "3", " 2 ", "1\u00a0", 0, 5, "<5", "x", "..", 2.5, None, True)] == [
        True, True, True, True, True, False, False, False, False, False, False, False, False,
    ]  # fmt: skip


def test_frames_figures_and_csv_leaks_are_found():
    frame = pd.DataFrame({"Year": ["2024", "2025"], "Persons": ["<5", "3"], "Members reporting": ["3", "4"]})
    assert [str(f) for f in scan_frame(frame, 5, ignore={"Members reporting"})] == [
        "table, column 'Persons', row 1: '3'"
    ]
    figure = {"data": [{"type": "bar", "x": [2024, 2025], "y": [12, 2], "name": "n"}, {"y": [0.03], "text": ["<5"]}]}
    assert [str(f) for f in scan_figure(figure, 5)] == ["figure, trace 0 (n), y[1]: 2"]
    assert len(scan_csv(b"vuosi;arvo\n2024;4\n2025;<5\n", 5)) == 1


def test_whole_counts_written_as_decimals_and_loose_values_are_found():
    values = [0, 1, "4", "5", "<5", "x", 12, "3,0", "2.00", "3,5", "1 %", None, -3]
    assert [f.value for f in scan_values(values, 5)] == [1, "4", "3,0", "2.00"]
    assert [f.value for f in scan_values(values, 3)] == [1, "2.00"]


def test_running_text_is_scanned_after_its_allowed_phrases():
    text = "Hidden: 3 in 2024, <5 in 2023, 12 in all, data version 1."
    assert scan_text(text, 5, allowed=["data version 1"]) == ["3"]
    assert scan_text(text, 10, allowed=["data version 1"]) == ["3"]
    assert scan_text(text, 3, allowed=["data version 1"]) == []


def test_workbooks_are_read_with_their_header():
    book = openpyxl.Workbook()
    book.active.append(["Vuosi", "Uudet asiakkaat"])
    book.active.append([2024, 3])
    book.active.append([2025, "<5"])
    buffer = io.BytesIO()
    book.save(buffer)
    frame = xlsx_frame(buffer.getvalue())
    assert [str(f) for f in scan_frame(frame[["Uudet asiakkaat"]], 5, "xlsx")] == [
        "xlsx, column 'Uudet asiakkaat', row 0: 3"
    ]
