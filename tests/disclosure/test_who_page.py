"""The Who page names countries only at or above the threshold; the rest appear as the folded "other" rows."""

import pandas as pd
import pytest

from dashboard.app_pages.helpers.who import largest_countries
from dashboard.reading import data, gate
from etl.codebook import load_codebook
from etl.publish import snapshots
from tests.helpers import open_page


def _folded(settings) -> pd.DataFrame:  # type: ignore[no-untyped-def]
    with snapshots.open_snapshot(snapshots.current(settings).path) as con:
        return con.execute("SELECT measure, year, code FROM folded_country WHERE measure = 'PERS_NEW'").df()


def test_largest_countries_keeps_the_folded_rows_last():
    frame = pd.DataFrame(
        {
            "code1": ["OTH_NON_EU", "SE", "OTH_EU", "RU", "EE"],
            "value": pd.array([40, 6, 12, 9, 0], dtype="Int64"),
        }
    )
    assert largest_countries(frame)["code1"].tolist() == ["RU", "SE", "OTH_EU", "OTH_NON_EU"]


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_who_page_shows_the_folded_countries_with_their_labels(demo_settings, lang):
    folded = _folded(demo_settings)
    assert not folded.empty  # the demo has countries under the threshold
    year = int(folded["year"].max())
    cells = gate.network(data.current_snapshot(), gate.View("PERS_NEW", "citizenship", first_year=year, last_year=year))
    small = set(folded.loc[folded["year"] == year, "code"])
    assert not small & set(cells["code1"])  # a folded country is never a published cell
    others = cells[cells["code1"].isin(["OTH_EU", "OTH_NON_EU"]) & (cells["value"].fillna(0) > 0)]
    assert not others.empty

    at = open_page("who.py", lang, {"year": str(year)})
    assert not at.exception
    shown = {str(v) for frame in at.dataframe for v in frame.value.to_numpy().ravel()}
    book = load_codebook()
    for code in others["code1"]:
        assert book.label("citizenship", code, lang) in shown
    for code in small:
        assert book.label("citizenship", code, lang) not in shown
