"""Golden outputs of every dashboard query on a tiny warehouse built through the real load path.

Regenerate after an intended change with TILANNEKUVA_UPDATE_GOLDEN=1 and review the diff.
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pytest

from dashboard.reading.data import QUERIES_DIR, run_query
from etl.config import Settings
from etl.publish import snapshots

GOLDEN = Path(__file__).parent / "golden" / "queries"
UPDATE = os.environ.get("TILANNEKUVA_UPDATE_GOLDEN") == "1"
ALL = ["Y", "H1", "H2"]

# name of the golden -> (query, bound parameters)
CASES: dict[str, tuple[str, dict]] = {
    "breakdowns": ("breakdowns", {}),
    "codes": ("codes", {}),
    "data_versions": ("data_versions", {}),
    "dimensions": ("dimensions", {}),
    "measures": ("measures", {}),
    "network_cells__total_years": (
        "network_cells",
        {
            "measure": "PERS_NEW",
            "dim1": "_T",
            "dim2": "_T",
            "kinds": ["Y"],
            "first_year": 2000,
            "last_year": 2099,
            "orgs": None,
        },
    ),
    "network_cells__total_halves": (
        "network_cells",
        {
            "measure": "PERS_NEW",
            "dim1": "_T",
            "dim2": "_T",
            "kinds": ["H1", "H2"],
            "first_year": 2000,
            "last_year": 2099,
            "orgs": None,
        },
    ),
    "network_cells__forms_one_member": (
        "network_cells",
        {
            "measure": "PERS_NEW",
            "dim1": "exploitation_form",
            "dim2": "_T",
            "kinds": ALL,
            "first_year": 2023,
            "last_year": 2023,
            "orgs": ["beeta"],
        },
    ),
    "network_cells__services": (
        "network_cells",
        {
            "measure": "SERVICE_PERS",
            "dim1": "service_type",
            "dim2": "_T",
            "kinds": ["Y"],
            "first_year": 2000,
            "last_year": 2099,
            "orgs": None,
        },
    ),
    "network_new_clients_by_year": ("network_new_clients_by_year", {}),
    "published_cells__total_years": (
        "published_cells",
        {
            "measure": "PERS_NEW",
            "subset": "all",
            "dim1": "_T",
            "dim2": "_T",
            "kinds": ["Y"],
            "first_year": 2000,
            "last_year": 2099,
            "margins": False,
        },
    ),
    "published_cells__forms_with_margins": (
        "published_cells",
        {
            "measure": "PERS_NEW",
            "subset": "all",
            "dim1": "exploitation_form",
            "dim2": "_T",
            "kinds": ALL,
            "first_year": 2000,
            "last_year": 2099,
            "margins": True,
        },
    ),
    "like_for_like_levels": ("like_for_like_levels", {"measure": "PERS_NEW"}),
    "offered_tables": ("offered_tables", {}),
    "protection_shares": ("protection_shares", {}),
    "withheld_periods__half_years": (
        "withheld_periods",
        {
            "measure": "PERS_NEW",
            "subset": "all",
            "dim1": "_T",
            "dim2": "_T",
            "kinds": ["H1", "H2"],
            "first_year": 2000,
            "last_year": 2099,
        },
    ),
    "measure_periods": ("measure_periods", {"measure": "PERS_NEW"}),
    "disclosure_meta": ("disclosure_meta", {}),
    "org_coverage": ("org_coverage", {"measure": "PERS_NEW"}),
    "organisations": ("organisations", {}),
    "period_notes": ("period_notes", {}),
    "published_notes": ("published_notes", {}),
    "published_reference_values": ("published_reference_values", {}),
    "reference_series": ("reference_series", {}),
    "reference_values": ("reference_values", {"series": "NAS_NEW_ADMITTED"}),
    "reporting_periods": ("reporting_periods", {"measure": "PERS_NEW"}),
    "snapshot_meta": ("snapshot_meta", {}),
}


def _stable(frame: pd.DataFrame) -> pd.DataFrame:
    """Publication times differ per run: keep that they are there, not their value."""
    out = frame.copy()
    for column in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[column]) and column not in ("active_from", "active_to"):
            out[column] = out[column].map(lambda v: "<timestamp>" if pd.notna(v) else "")
    return out


def _text(frame: pd.DataFrame) -> str:
    return _stable(frame).to_csv(index=False, na_rep="<NA>", lineterminator="\n")


@pytest.fixture(scope="module")
def tiny_snapshot(tiny_warehouse: Path) -> Path:
    ref = snapshots.current(Settings(data_dir=tiny_warehouse))
    assert ref is not None and ref.version == 4
    return ref.path


def test_every_query_has_a_golden():
    assert {path.stem for path in QUERIES_DIR.glob("*.sql")} == {query for query, _ in CASES.values()}


@pytest.mark.parametrize("case", sorted(CASES))
def test_query_output_matches_its_golden(tiny_snapshot, case):
    query, params = CASES[case]
    frame = run_query(tiny_snapshot, query, **params)
    if case == "codes":  # the country list comes from ISO 3166 via pycountry: keep the golden small
        countries = frame["dimension"] == "citizenship"
        assert countries.sum() > 200
        frame = frame[~countries | frame["code"].isin(["FI", "RO", "STLS", "UNK"])]
    golden = GOLDEN / f"{case}.csv"
    if UPDATE:
        golden.write_text(_text(frame), encoding="utf-8")
    assert _text(frame) == golden.read_text(encoding="utf-8")
