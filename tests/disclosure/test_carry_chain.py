"""A cell hidden in a published version stays hidden in later ones, even across a version that left its table out.

A like-for-like group withheld for a year (etl.disclosure.snapshot._network_first) is
absent from that version's published cells; what earlier versions hid in it must
still be carried into the next version, where the group may be offered again.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd

from etl.disclosure.engine import OUTPUT
from etl.disclosure.snapshot import Inputs, read_prior
from etl.disclosure.tables import CELL

T = "_T"
SHOWN_IN_NETWORK = ("all", "PERS_NEW", 2025, "Y", "sex", "F", T, T)
HIDDEN_IN_NETWORK = ("all", "PERS_NEW", 2025, "Y", "sex", "M", T, T)
HIDDEN_IN_GROUP_EARLIER = ("lfl-Y-2016", "PERS_NEW", 2025, "Y", "sex", "M", T, T)


def _snapshot(path: Path) -> Path:
    """A previous snapshot's protection tables: the group's table is not in its published cells."""
    cells = pd.DataFrame(
        [
            ("all", "2025", *SHOWN_IN_NETWORK[1:], 12, "", 4, None),
            ("all", "2025", *HIDDEN_IN_NETWORK[1:], None, "c", 4, "small"),
        ],
        columns=OUTPUT,
    ).astype({"value": "Int64"})
    tables = {
        "published_cell": cells,
        "carried_hidden": pd.DataFrame([HIDDEN_IN_GROUP_EARLIER], columns=CELL),
        "folded_country": pd.DataFrame(columns=["measure", "year", "code"]),
        "published_cluster": pd.DataFrame(columns=["measure", "year", "fingerprint"]),
    }
    with duckdb.connect(str(path)) as con:
        for name, frame in tables.items():
            con.register("frame", frame)
            con.execute(f"CREATE TABLE {name} AS SELECT * FROM frame")
            con.unregister("frame")
    return path


def test_what_a_version_carried_in_is_carried_on_with_what_it_hid(tmp_path):
    inputs = Inputs(facts=pd.DataFrame(), measures={}, levels=[], breaks=frozenset())
    carried = read_prior(_snapshot(tmp_path / "previous.duckdb"), inputs).carried
    assert carried == {HIDDEN_IN_NETWORK, HIDDEN_IN_GROUP_EARLIER}
