"""published_cell is stored table by table, so the gate's read of one table touches few row groups."""

from etl.config import Settings
from etl.disclosure.snapshot import STORED_ORDER
from etl.publish import snapshots


def test_published_cells_are_stored_in_table_order(demo_data_dir):
    ref = snapshots.current(Settings(data_dir=demo_data_dir))
    assert ref is not None
    columns = ", ".join(STORED_ORDER)
    with snapshots.open_snapshot(ref.path) as con:
        stored = con.execute(f"SELECT {columns} FROM published_cell").fetchall()
    assert len(stored) > 10_000 and stored == sorted(stored)
