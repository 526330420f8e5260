"""Small builders the tests share."""

from __future__ import annotations

from datetime import date

import duckdb

from etl import organisations

LONG_HEADER = "organisation;period;measure;exploitation_form;sex;value;flag\n"


def add_org(con: duckdb.DuckDBPyConnection, code: str = "testi", since: date = date(2016, 1, 1)) -> None:
    organisations.add(
        con,
        organisations.Organisation(code, f"Testi {code}", f"Test {code}", f"Test {code}", "VICTIM_SUPPORT", since),
        actor="test",
    )


def long_csv(rows: list[str], header: str = LONG_HEADER) -> bytes:
    return (header + "\n".join(rows) + "\n").encode("utf-8")


def table_rows(con: duckdb.DuckDBPyConnection, table: str) -> list[tuple]:
    return con.execute(f"SELECT * FROM {table} ORDER BY ALL").fetchall()


def decode_typed_arrays(node):
    """Plotly 7 writes numeric arrays as {"dtype", "bdata"}; turn them back into lists."""
    import base64

    import numpy as np

    if isinstance(node, dict):
        if set(node) >= {"dtype", "bdata"}:
            array = np.frombuffer(base64.b64decode(node["bdata"]), dtype=node["dtype"])
            if "shape" in node:
                array = array.reshape([int(n) for n in str(node["shape"]).split(",")])
            return array.tolist()
        return {key: decode_typed_arrays(value) for key, value in node.items()}
    if isinstance(node, list):
        return [decode_typed_arrays(item) for item in node]
    return node


def chart_figures(at) -> list[dict]:
    """The plotly figures an AppTest run rendered, as plain JSON with arrays decoded."""
    import json

    return [decode_typed_arrays(json.loads(chart.proto.spec)) for chart in at.get("plotly_chart")]
