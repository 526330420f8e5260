"""The small-count scanner finds what it must (so that a clean scan means something)."""

import pandas as pd

from tests.disclosure.scan import is_small_count, scan_csv, scan_figure, scan_frame


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
