from pathlib import Path

import pytest

from etl import contract_doc
from etl.codebook import TOTAL, load_codebook

BOOK = load_codebook()


def _all_labels():
    for measure in BOOK.measures.values():
        yield f"measure {measure.code}", measure.label
        yield f"definition {measure.code}", measure.definition
    for dimension in BOOK.dimensions.values():
        yield f"dimension {dimension.code}", dimension.label
    for code in BOOK.all_codes():
        yield f"{code.dimension}={code.code}", code.label
    for org_type, labels in BOOK.org_types.items():
        yield f"org_type {org_type}", labels
    for note in BOOK.period_notes:
        yield f"note {note.id}", note.label


def test_every_label_exists_in_three_languages():
    missing = [
        name for name, labels in _all_labels() if not (labels.fi.strip() and labels.sv.strip() and labels.en.strip())
    ]
    assert missing == []


def test_every_dimension_has_unknown():
    assert [d for d, codes in BOOK.codes.items() if "UNK" not in codes] == []


def test_breakdowns_name_existing_measures_and_dimensions_in_codebook_order():
    known = set(BOOK.dimensions) | {TOTAL}
    for measure, pairs in BOOK.breakdowns.items():
        assert measure in BOOK.measures
        assert pairs, f"{measure} has no allowed breakdown"
        for dim1, dim2 in pairs:
            assert dim1 in known and dim2 in known
            if dim2 != TOTAL:
                assert dim1 != TOTAL
                assert BOOK.dimensions[dim1].sort < BOOK.dimensions[dim2].sort


def test_the_contract_table_families():
    pairs = {m: {tuple(d for d in p if d != TOTAL) for p in pairs} for m, pairs in BOOK.breakdowns.items()}
    assert ("exploitation_form", "sex") in pairs["PERS_NEW"]
    assert ("sex", "age_group") in pairs["PERS_NEW"]
    assert pairs["PERS_ACTIVE"] == {(), ("exploitation_form",), ("sex",), ("age_group",)}
    assert pairs["SERVICE_PERS"] == {("service_type",)}
    assert pairs["REF_TO_NAS"] == {(), ("nas_status",)}
    for measure in (
        "PERS_STOCK_END",
        "DEPENDANTS_NEW",
        "REPORTED_POLICE",
        "FIRST_CONTACT_BEFORE_AUTH",
        "CONTACTS_ANON",
    ):
        assert pairs[measure] == {()}


def test_measure_nature_follows_the_contract():
    nature = {code: m.nature for code, m in BOOK.measures.items()}
    assert nature["PERS_NEW"] == "additive"
    assert nature["PERS_ACTIVE"] == "non_additive"
    assert nature["PERS_STOCK_END"] == "stock"
    assert BOOK.measures["SERVICE_PERS"].multi_response
    assert BOOK.measures["CONTACTS_ANON"].unit == "contacts"


def test_countries_come_from_iso_with_cldr_names():
    countries = {c.code: c for c in BOOK.codes["citizenship"].values() if len(c.code) == 2}
    assert len(countries) == 249
    assert (countries["RO"].label.fi, countries["RO"].label.sv, countries["RO"].label.en) == (
        "Romania",
        "Rumänien",
        "Romania",
    )
    assert countries["TH"].label.fi == "Thaimaa"
    assert countries["FI"].parent == "FI"
    assert countries["SE"].parent == "EU_OTH"
    assert countries["NO"].parent == "EU_OTH"  # EEA
    assert countries["CH"].parent == "NON_EU"
    assert countries["NG"].parent == "NON_EU"
    assert BOOK.codes["citizenship"]["STLS"].parent == "STLS"


@pytest.mark.parametrize(
    ("dimension", "text", "code"),
    [
        ("exploitation_form", "LAB", "LAB"),
        ("exploitation_form", "  pakkoavioliitto ", "MAR"),
        ("exploitation_form", "Sexuellt utnyttjande", "SEX"),
        ("sex", "female", "F"),
        ("sex", "Nainen", "F"),
        ("citizenship", "Rumänien", "RO"),
        ("citizenship", "thaimaa", "TH"),
        ("age_group", "alle 18", "Y0_17"),
        ("legal_status", "Ei tiedossa", "UNK"),
    ],
)
def test_labels_in_any_language_map_to_codes(dimension, text, code):
    assert BOOK.lookup(dimension, text) == code


def test_unknown_label_is_none():
    assert BOOK.lookup("sex", "maybe") is None


def test_docs_data_contract_is_generated_from_the_codebook():
    committed = Path(contract_doc.DOC_PATH).read_text(encoding="utf-8")
    assert committed == contract_doc.render(), "run `python -m etl docs` and commit docs/data-contract.md"
    for code in ("PERS_NEW", "LAB", "REFERRED_PENDING", "Y60_PLUS", "EMPLOY_EDU"):
        assert f"`{code}`" in committed
