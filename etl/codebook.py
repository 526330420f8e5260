"""The codebook: measures, dimensions, code lists and allowed breakdowns (DATA-CONTRACT 2-5).

The lists live as CSV files in etl/codebook/. Country names come from CLDR through
Babel and the list of countries from ISO 3166-1 through pycountry, not typed by hand.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pycountry
from babel import Locale

CODEBOOK_DIR = Path(__file__).parent / "codebook"
TOTAL = "_T"  # "no dimension" / "total over this dimension", as in SDMX
UNKNOWN = "UNK"
HOME_COUNTRY = "FI"
# "Other countries of a group": where disclosure control folds countries with few
# persons (DATA-CONTRACT 8.3). Their parent is the citizenship group they stand for.
OTHER_IN_GROUP = {"EU_OTH": "OTH_EU", "NON_EU": "OTH_NON_EU"}
BABEL_TERRITORY_LOCALE = {"fi": "fi", "sv": "sv", "en": "en"}


@dataclass(frozen=True)
class Labels:
    fi: str
    sv: str
    en: str
    review: tuple[str, ...] = ()  # languages whose label is a proposal (marked * in the contract)

    def get(self, lang: str) -> str:
        return str(getattr(self, lang if lang in ("fi", "sv", "en") else "fi"))


@dataclass(frozen=True)
class Measure:
    code: str
    label: Labels
    definition: Labels
    nature: str  # additive | non_additive | stock
    unit: str  # persons | contacts
    multi_response: bool
    sort: int


@dataclass(frozen=True)
class Dimension:
    code: str
    label: Labels
    sort: int


@dataclass(frozen=True)
class Code:
    dimension: str
    code: str
    label: Labels
    eurostat: str = ""
    htcds: str = ""
    parent: str = ""  # the citizenship group of a country
    sort: int = 0


@dataclass(frozen=True)
class PeriodNote:
    id: str
    period: str
    kind: str
    measure: str
    label: Labels


@dataclass
class Codebook:
    measures: dict[str, Measure]
    dimensions: dict[str, Dimension]
    codes: dict[str, dict[str, Code]]
    breakdowns: dict[str, list[tuple[str, str]]]
    part_whole: list[tuple[str, str]]
    org_types: dict[str, Labels]
    period_notes: list[PeriodNote]
    _lookup: dict[str, dict[str, str]] = field(default_factory=dict, repr=False)

    def label(self, dimension: str, code: str, lang: str) -> str:
        return self.codes[dimension][code].label.get(lang)

    def lookup(self, dimension: str, text: str) -> str | None:
        """The code a cell means: a code or a label in fi, sv or en, any case."""
        return self._lookup[dimension].get(_key(text))

    def all_codes(self) -> Iterator[Code]:
        for codes in self.codes.values():
            yield from codes.values()


def _key(text: str) -> str:
    return " ".join(str(text).split()).casefold()


def _rows(name: str) -> list[dict[str, str]]:
    with (CODEBOOK_DIR / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _labels(row: dict[str, str], prefix: str = "label") -> Labels:
    review = tuple((row.get("review") or "").split())
    return Labels(row[f"{prefix}_fi"], row[f"{prefix}_sv"], row[f"{prefix}_en"], review)


def _citizenship_parent(code: str) -> str:
    """The citizenship group of a non-country citizenship code (STLS, UNK, the "other" codes)."""
    groups = {other: group for group, other in OTHER_IN_GROUP.items()}
    return groups.get(code, code)


def _countries(eu_eea: set[str]) -> list[Code]:
    names = {lang: Locale.parse(loc).territories for lang, loc in BABEL_TERRITORY_LOCALE.items()}
    countries = []
    for country in pycountry.countries:
        alpha2 = country.alpha_2
        if alpha2 == HOME_COUNTRY:
            group = "FI"
        elif alpha2 in eu_eea:
            group = "EU_OTH"
        else:
            group = "NON_EU"
        label = Labels(names["fi"][alpha2], names["sv"][alpha2], names["en"][alpha2])
        countries.append(Code("citizenship", alpha2, label, parent=group, sort=10))
    return sorted(countries, key=lambda code: code.code)


def _build_lookup(codes: dict[str, dict[str, Code]]) -> dict[str, dict[str, str]]:
    lookup: dict[str, dict[str, str]] = {}
    for dimension, by_code in codes.items():
        table: dict[str, str] = {}
        for code in by_code.values():
            for text in (code.label.fi, code.label.sv, code.label.en):
                table.setdefault(_key(text), code.code)
        for code in by_code.values():  # a code always wins over a label that spells the same
            table[_key(code.code)] = code.code
        lookup[dimension] = table
    return lookup


@cache
def load_codebook() -> Codebook:
    measures = {
        row["code"]: Measure(
            code=row["code"],
            label=_labels(row),
            definition=_labels(row, "definition"),
            nature=row["nature"],
            unit=row["unit"],
            multi_response=row["multi_response"] == "true",
            sort=int(row["sort"]),
        )
        for row in _rows("measures.csv")
    }
    dimensions = {
        row["code"]: Dimension(row["code"], _labels(row), int(row["sort"])) for row in _rows("dimensions.csv")
    }
    codes: dict[str, dict[str, Code]] = {name: {} for name in dimensions}
    for row in _rows("codes.csv"):
        codes[row["dimension"]][row["code"]] = Code(
            dimension=row["dimension"],
            code=row["code"],
            label=_labels(row),
            eurostat=row["eurostat"],
            htcds=row["htcds"],
            parent=_citizenship_parent(row["code"]) if row["dimension"] == "citizenship" else "",
            sort=int(row["sort"]),
        )
    eu_eea = {row["code"] for row in _rows("eu_eea.csv")}
    for country in _countries(eu_eea):
        codes["citizenship"][country.code] = country
    breakdowns: dict[str, list[tuple[str, str]]] = {name: [] for name in measures}
    for row in _rows("breakdowns.csv"):
        breakdowns[row["measure"]].append((row["dim1"], row["dim2"]))
    codebook = Codebook(
        measures=measures,
        dimensions=dimensions,
        codes=codes,
        breakdowns=breakdowns,
        part_whole=[(row["part"], row["whole"]) for row in _rows("part_whole.csv")],
        org_types={row["code"]: _labels(row) for row in _rows("org_types.csv")},
        period_notes=[
            PeriodNote(row["id"], row["period"], row["kind"], row["measure"], _labels(row))
            for row in _rows("period_notes.csv")
        ],
    )
    codebook._lookup = _build_lookup(codes)
    return codebook
