"""The only downloads are the audited exports: no chart camera button, no table toolbar CSV."""

import tomllib

from dashboard.components.chart import PLOTLY_CONFIG
from etl.config import PROJECT_ROOT


def test_charts_have_no_camera_button():
    # Plotly's own PNG has no source, version or licence and writes no audit row
    assert "toImage" in PLOTLY_CONFIG["modeBarButtonsToRemove"]


def test_tables_have_no_csv_download_or_copy_in_their_toolbar():
    with open(PROJECT_ROOT / ".streamlit" / "config.toml", "rb") as handle:
        assert tomllib.load(handle)["client"]["disableDataExport"] is True


def test_the_chart_toolbar_speaks_each_language():
    from dashboard.components.chart import plotly_config

    for lang, zoom_in in (("fi", "Lähennä"), ("sv", "Zooma in"), ("en", "Zoom in")):
        config = plotly_config(lang)
        assert config["locale"] == lang and config["locales"][lang]["dictionary"]["Zoom in"] == zoom_in
        assert "toImage" in config["modeBarButtonsToRemove"]
