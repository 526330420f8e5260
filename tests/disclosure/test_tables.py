"""Network cells summed over members (etl.disclosure.tables.published_cells)."""

import numpy as np
import pandas as pd

from etl.disclosure.tables import ALL, Subset, published_cells


def _facts(rows):
    columns = ["org_code", "measure", "year", "kind", "dim1", "code1", "dim2", "code2", "value", "flag", "margin"]
    return pd.DataFrame(rows, columns=columns)


def test_cells_sum_the_members_and_keep_their_data_flags():
    facts = _facts(
        [
            ("a", "PERS_NEW", 2024, "Y", "_T", "_T", "_T", "_T", 7.0, "P", False),
            ("b", "PERS_NEW", 2024, "Y", "_T", "_T", "_T", "_T", 5.0, None, False),
            ("a", "PERS_NEW", 2024, "Y", "sex", "F", "_T", "_T", np.nan, None, False),
            ("b", "PERS_NEW", 2024, "Y", "sex", "F", "_T", "_T", 3.0, "E", False),
        ]
    )
    cells = published_cells(facts, [Subset(ALL)]).set_index("code1")
    assert cells.loc["_T", "value"] == 12 and cells.loc["_T", "flag"] == "p"
    assert cells.loc["F", "value"] == 3 and cells.loc["F", "flag"] == "e"
    assert cells.loc["F", "members"] == 1 and cells.loc["_T", "members"] == 2


def test_a_row_with_a_missing_key_part_is_in_no_cell():
    facts = _facts(
        [
            ("a", "PERS_NEW", 2024, "Y", "_T", "_T", "_T", "_T", 7.0, None, False),
            ("b", "PERS_NEW", 2024, "Y", "sex", None, "_T", "_T", 4.0, None, False),
            ("b", "PERS_NEW", 2024, "Y", "_T", "_T", "_T", "_T", 5.0, None, False),
        ]
    )
    cells = published_cells(facts, [Subset(ALL)])
    assert list(cells["code1"]) == ["_T"] and list(cells["value"]) == [12]
