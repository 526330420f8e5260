"""The gate's contract with pages: columns, hidden cells, shares, restricted access."""

import pandas as pd
import pytest

from dashboard.reading import data, gate
from etl.services.access import AccessDenied, Caller, Role


def test_network_frame_has_the_contract_columns(demo_settings):
    frame = gate.network(data.current_snapshot(), gate.View("PERS_NEW", "exploitation_form", first_year=2024))
    assert list(frame.columns) == gate.COLUMNS
    assert str(frame["value"].dtype) == "Int64"
    hidden = frame[frame["flag"].str.contains("c")]
    assert not hidden.empty and hidden["value"].isna().all()
    assert not frame["value"].between(1, 4).any()


def test_shares_need_a_denominator_of_ten_and_a_visible_part():
    parts = pd.DataFrame({"period": ["2024", "2024", "2025"], "value": pd.array([5, None, 3], dtype="Int64")})
    totals = pd.DataFrame({"period": ["2024", "2025"], "value": pd.array([40, 9], dtype="Int64")})
    out = gate.shares(parts, totals)
    assert out["share"].tolist() == [13, pd.NA, pd.NA]


def test_restricted_figures_need_the_right_caller(demo_settings):
    ref = data.current_snapshot()
    view = gate.View("PERS_NEW", first_year=2024)
    own = gate.restricted(ref, Caller("anna", Role.MEMBER, "demo-tuki"), "demo-tuki", view)
    assert own["value"].notna().all()
    with pytest.raises(AccessDenied):
        gate.restricted(ref, Caller("anna", Role.MEMBER, "demo-tuki"), "demo-tyo", view)
    with pytest.raises(AccessDenied):
        gate.restricted(ref, Caller("visitor", Role.PUBLIC), "demo-tuki", view)
    for org in ("demo-tuki", "demo-tyo"):  # an observer reads the network only
        with pytest.raises(AccessDenied):
            gate.restricted(ref, Caller("tutkija", Role.OBSERVER), org, view)
    assert not gate.restricted(ref, Caller("koordinaattori", Role.COORDINATOR), "demo-tyo", view).empty
