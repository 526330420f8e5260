"""One FigureSpec per chart type the pages draw, from the pages' own figure functions on made-up protected cells."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

from dashboard.presenting import tables, theme
from dashboard.presenting.figure_spec import FigureSpec
from dashboard.presenting.figures.bars import breakdown_bars, cross_bars
from dashboard.presenting.figures.reference import network_and_reference
from dashboard.presenting.figures.trend import trend_figure
from tests.exports.conftest import sample_spec

FORMS = {
    "SEX": "Seksuaalinen hyväksikäyttö",
    "LAB": "Työperäinen hyväksikäyttö",
    "FORCED_CRIME": "Pakottaminen rikollisuuteen",
    "FORCED_MARRIAGE": "Pakkoavioliitto",
    "BEGGING": "Kerjäämään pakottaminen",
    "ORGAN": "Elinten poisto",
}
YEARS = list(range(2019, 2026))
HIDDEN = {("ORGAN", 2021): "<5", ("ORGAN", 2022): "x", ("BEGGING", 2022): "x"}


def trend_cells() -> pd.DataFrame:
    rows = []
    for index, code in enumerate(FORMS):
        for year in YEARS:
            display = HIDDEN.get((code, year))
            value = None if display else 120 // (index + 1) + year % 7
            rows.append(
                {
                    "period": str(year),
                    "year": year,
                    "kind": "Y",
                    "code": code,
                    "value": value,
                    "display": display or str(value),
                    "flag": {"<5": "c", "x": "d"}.get(display or "", ""),
                }
            )
    return pd.DataFrame(rows)


def _spec(figure_id: str, figure, lang: str) -> FigureSpec:
    return replace(sample_spec(lang), figure_id=figure_id, figure=figure)


def _colours(codes) -> dict[str, str]:
    return dict(zip(codes, theme.CATEGORY_COLOURS, strict=False))


def trend_lines(lang: str) -> FigureSpec:
    cells = trend_cells()
    members = pd.DataFrame({"period": [str(y) for y in YEARS], "members": [9, 9, 10, 10, 11, 11, 11]})
    breaks = pd.DataFrame({"year": [2022], "label": ["Uusi luokitus"]})
    figure = trend_figure(cells, FORMS, _colours(FORMS), members, breaks, lang, 5)
    table = tables.wide_by_period(cells, lang, FORMS.get, members=members)  # as the Trends page shows it
    return replace(_spec("trends.lines", figure, lang), table=table)


def trend_stacked(lang: str) -> FigureSpec:
    cells = trend_cells()
    members = pd.DataFrame({"period": [str(y) for y in YEARS], "members": [9] * len(YEARS)})
    figure = trend_figure(cells, FORMS, _colours(FORMS), members, pd.DataFrame(columns=["year", "label"]), lang, 5,
                          mode="bars")  # fmt: skip
    return _spec("trends.stacked", figure, lang)


def breakdown(lang: str) -> FigureSpec:
    frame = pd.DataFrame(
        {
            "code1": list(FORMS),
            "value": [150, 95, 30, 12, None, None],
            "display": ["150", "95", "30", "12", "<5", "x"],
            "flag": ["", "", "", "", "c", "d"],
        }
    )
    return _spec("who.bars", breakdown_bars(frame, FORMS, _colours(FORMS), lang, 5), lang)


def cross(lang: str) -> FigureSpec:
    sexes = {"F": "Naiset", "M": "Miehet", "X": "Muu"}
    rows = []
    for code1 in list(FORMS)[:3]:
        for code2, value in zip(sexes, [60, 40, None], strict=True):
            rows.append({"code1": code1, "code2": code2, "value": value, "display": str(value or "<5"),
                         "flag": "" if value else "c"})  # fmt: skip
    figure = cross_bars(pd.DataFrame(rows), FORMS, sexes, _colours(sexes), lang, 5)
    return _spec("who.cross", figure, lang)


def beside_reference(lang: str) -> FigureSpec:
    network = pd.DataFrame(
        {"year": YEARS, "value": [100, 120, None, 150, 170, 160, 180],
         "display": ["100", "120", "x", "150", "170", "160", "180"], "flag": ["", "", "d", "", "", "", ""]}
    )  # fmt: skip
    reference = pd.DataFrame({"year": YEARS, "value": [200, 210, 230, 260, 280, 300, 310]})
    figure = network_and_reference(network, reference, "Verkosto", "Auttamisjärjestelmä", lang, 5)
    return _spec("pathways.reference", figure, lang)


CHARTS = {
    "lines": trend_lines,
    "stacked": trend_stacked,
    "bars": breakdown,
    "cross": cross,
    "reference": beside_reference,
}
