"""The gate serves the protected tables of the snapshot: network, margins, like-for-like, legends."""

import pandas as pd
import pytest

from dashboard.reading import data, gate
from etl.i18n import t
from etl.publish import snapshots
from etl.services.access import AccessDenied, Caller, Role


def _stored(ref, **where) -> pd.DataFrame:
    clauses = " AND ".join(f"{column} = ?" for column in where)
    with snapshots.open_snapshot(ref.path) as con:
        return con.execute(f"SELECT * FROM published_cell WHERE {clauses}", list(where.values())).df()


def test_network_serves_the_cells_protected_at_publish_time(demo_settings):
    ref = data.current_snapshot()
    frame = gate.network(ref, gate.View("PERS_NEW", "citizenship", first_year=2024, last_year=2024))
    stored = _stored(ref, measure="PERS_NEW", subset="all", dim1="citizenship", year=2024, kind="Y")
    inner = stored[stored["code1"] != "_T"].sort_values("code1")
    assert list(frame["code1"]) == list(inner["code1"])
    assert frame["value"].tolist() == inner["value"].astype("Int64").tolist()
    assert "OTH_NON_EU" in set(frame["code1"])  # small countries folded into "other non-EU"
    assert frame["flag"].str.contains("c").any() and frame["flag"].str.contains("d").any()
    assert not frame["value"].between(1, 4).any()


def test_margins_give_the_breakdowns_own_total_for_shares(demo_settings):
    ref = data.current_snapshot()
    view = gate.View("PERS_NEW", "legal_status", first_year=2024, last_year=2024)
    frame = gate.network(ref, view, margins=True)
    total = frame[frame["code1"] == "_T"]
    parts = frame[frame["code1"] != "_T"]
    assert len(total) == 1 and total["members"].iloc[0] == parts["members"].iloc[0]
    with_shares = gate.shares(parts, total)
    shown = with_shares[with_shares["share"].notna()]
    assert (shown["value"].notna()).all() and shown["share"].between(0, 100).all()
    assert with_shares.loc[with_shares["value"].isna(), "share"].isna().all()


@pytest.mark.parametrize(("first_year", "size"), [(2016, 3), (2021, 6), (2023, 6)])
def test_like_for_like_uses_the_largest_group_that_reported_every_period_shown(demo_settings, first_year, size):
    ref = data.current_snapshot()
    view = gate.View("PERS_NEW", first_year=first_year, like_for_like=True)
    members = gate.like_for_like_members(ref, view)
    assert len(members) == size
    frame = gate.network(ref, view)
    network = gate.network(ref, gate.View("PERS_NEW", first_year=first_year))
    # A year whose table for this group is not offered (it differs by 1-2 members from a group an
    # earlier version published) is left out and named, never shown as `x`.
    withheld = {int(period) for period in frame.attrs["withheld"]}
    assert set(frame["year"]) | withheld == set(network["year"]) and not set(frame["year"]) & withheld
    assert not frame.empty and (frame["members"] == size).all()
    both = network.set_index("year")["value"].reindex(frame["year"]).to_numpy()
    shown = frame["value"].notna().to_numpy() & pd.notna(both)
    assert (frame["value"].to_numpy()[shown] <= both[shown]).all()


def test_like_for_like_is_not_offered_without_a_group(demo_settings):
    ref = data.current_snapshot()
    view = gate.View("SERVICE_PERS", "service_type", like_for_like=True)
    assert gate.like_for_like_members(ref, view) == []
    frame = gate.network(ref, view)
    assert frame.empty and list(frame.columns) == gate.COLUMNS


def test_restricted_figures_are_exact_and_never_from_a_shared_cache(demo_settings):
    ref = data.current_snapshot()
    view = gate.View("PERS_NEW", "citizenship", first_year=2024, last_year=2024)
    own = gate.restricted(ref, Caller("anna", Role.MEMBER, "demo-tuki"), "demo-tuki", view)
    assert own["value"].between(1, 4).any()  # exact small counts, for the organisation's own people
    assert not own["flag"].str.contains("[cdr]").any()
    assert not hasattr(gate.restricted, "clear")  # not wrapped in st.cache_data
    with pytest.raises(AccessDenied):
        gate.restricted(ref, Caller("public", Role.PUBLIC), "demo-tuki", view)


def test_legend_names_only_the_symbols_present():
    frame = pd.DataFrame({"flag": ["", "c", "dp", None]})
    assert gate.legend(frame, "en") == (
        "Symbols: <5 = 1–4 persons (hidden: a small count); "
        "x = hidden so that another hidden figure or one member's figures cannot be worked out (any size); "
        "p = provisional."
    )
    assert gate.legend(pd.DataFrame({"flag": ["", None]}), "fi") is None


def test_display_texts(demo_settings):
    frame = pd.DataFrame({"value": pd.array([None, None, 7, None], dtype="Int64"), "flag": ["c", "d", "p", ""]})
    assert gate.display(frame, "sv").tolist() == ["<5", "x", "7", t("common.not_available", "sv")]
