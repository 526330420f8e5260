"""The demo's fiction: its members, the weight tables persons are drawn from, and their counts per table."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

from etl.codebook import TOTAL, UNKNOWN, load_codebook

FIRST_YEAR, LAST_YEAR = 2016, 2025
SCALE = 1.4  # brings the network to a few hundred new clients a year


@dataclass(frozen=True)
class DemoOrg:
    code: str
    names: tuple[str, str, str]
    org_type: str
    first_year: int
    last_year: int | None
    size: float  # expected new clients a year in 2016
    cadence: str  # "H": half-yearly files, "Y": yearly
    detail: str  # "full": every table family, "basic": the headline tables
    focus: str = ""  # an exploitation form this member sees more of


ORGS = [
    DemoOrg("demo-tuki", ("Ihmiskaupan tukikeskus (demo)", "Stödcentret mot människohandel (demo)", "Anti-Trafficking Support Centre (demo)"), "VICTIM_SUPPORT", 2016, None, 45, "H", "full"),
    DemoOrg("demo-rikosuhrit", ("Rikosuhrien apu (demo)", "Hjälp till brottsoffer (demo)", "Crime Victim Help (demo)"), "VICTIM_SUPPORT", 2016, None, 30, "H", "full"),
    DemoOrg("demo-tyo", ("Reilun työn neuvonta (demo)", "Rådgivning för rättvist arbete (demo)", "Fair Work Advice (demo)"), "LABOUR", 2016, None, 28, "Y", "full", "LAB"),
    DemoOrg("demo-turvakoti", ("Turvakoti Majakka (demo)", "Skyddshemmet Fyren (demo)", "Lighthouse Shelter (demo)"), "SHELTER", 2016, None, 12, "Y", "full", "SEX"),
    DemoOrg("demo-maahanmuuttajat", ("Maahanmuuttajien neuvontapiste (demo)", "Rådgivning för invandrare (demo)", "Migrant Advice Point (demo)"), "MIGRANT", 2016, None, 14, "H", "full", "MAR"),
    DemoOrg("demo-terveys", ("Terveysneuvonta Silta (demo)", "Hälsorådgivningen Bron (demo)", "Bridge Health Advice (demo)"), "HEALTH_SOCIAL", 2017, None, 8, "Y", "basic", "SEX"),
    DemoOrg("demo-seurakunta", ("Seurakuntien diakoniatyö (demo)", "Församlingarnas diakoni (demo)", "Parish Diaconal Work (demo)"), "FAITH", 2016, None, 4, "Y", "basic"),
    DemoOrg("demo-oikeus", ("Oikeusneuvonta Lakitupa (demo)", "Juridiska rådgivningen Lagstugan (demo)", "Law Clinic (demo)"), "LEGAL", 2018, None, 6, "Y", "basic", "LAB"),
    DemoOrg("demo-nuoret", ("Nuorten tukipiste (demo)", "Stödpunkt för unga (demo)", "Youth Support Point (demo)"), "HEALTH_SOCIAL", 2019, None, 3, "Y", "basic", "SEX"),
    DemoOrg("demo-pohjoinen", ("Pohjoisen tukiverkko (demo)", "Stödnätverket i norr (demo)", "Northern Support Network (demo)"), "VICTIM_SUPPORT", 2016, 2021, 5, "Y", "basic", "LAB"),
    DemoOrg("demo-kotiapu", ("Kotityöntekijöiden yhdistys (demo)", "Föreningen för hushållsarbetare (demo)", "Domestic Workers' Association (demo)"), "MIGRANT", 2020, None, 4, "Y", "basic", "SERV"),
    DemoOrg("demo-tutkimus", ("Ihmiskaupan tutkimusverkosto (demo)", "Forskningsnätverket om människohandel (demo)", "Trafficking Research Network (demo)"), "RESEARCH", 2021, None, 2, "Y", "basic"),
]  # fmt: skip

GROWTH = {
    2016: 1.0,
    2017: 1.05,
    2018: 1.15,
    2019: 1.35,
    2020: 1.3,
    2021: 1.4,
    2022: 1.9,
    2023: 1.8,
    2024: 1.6,
    2025: 1.7,
}
FORMS = {
    "LAB": 50,
    "SEX": 24,
    "MAR": 9,
    "CRIM": 4,
    "BEG": 2,
    "BEN": 3,
    "SERV": 3,
    "ORG": 0.4,
    "MIL": 0.3,
    "OTH": 2,
    UNKNOWN: 1,
}
CITIZENSHIP = {
    "FI": 8, "RO": 4, "BG": 3, "EE": 2, "PL": 1, "LT": 1, "TH": 9, "VN": 8, "UA": 7, "NG": 7, "IQ": 5,
    "AF": 4, "SO": 3, "CN": 3, "PH": 4, "LK": 3, "BD": 4, "IN": 4, "NP": 3, "RU": 4, "UZ": 2, "MA": 1.5,
    "ER": 1.5, "KE": 1, "GH": 1, "BR": 0.5, "TR": 1, "SY": 1, "STLS": 0.7, UNKNOWN: 2.5,
}  # fmt: skip
SERVICES = {"ADVICE": 0.9, "PSYCHOSOCIAL": 0.55, "LEGAL": 0.4, "ACCOMP": 0.3, "HOUSING": 0.2, "HEALTH": 0.25,
            "INTERP": 0.35, "FINANCIAL": 0.15, "EMPLOY_EDU": 0.12, "RIGHTS_INFO": 0.5, "RETURN": 0.03, "CHILD": 0.05, "OTH": 0.05}  # fmt: skip
REFERRED = ("REFERRED_ADMITTED", "REFERRED_NOT_ADMITTED", "REFERRED_PENDING")


@dataclass
class Person:
    """A fictional client, drawn in memory only to make the counts consistent."""

    start: int  # half-year index: 0 = 2016H1
    halves: int  # how many half-years the person stays a client
    attrs: dict[str, str]
    dependants: int
    before_authority: bool
    services: dict[int, frozenset[str]] = field(default_factory=dict)


def _pick(rng: random.Random, weights: dict[str, float]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _sex_for(rng: random.Random, form: str) -> str:
    weights = {"LAB": (34, 65), "SEX": (90, 8), "MAR": (85, 14), "SERV": (75, 24)}.get(form, (50, 49))
    return _pick(rng, {"F": weights[0], "M": weights[1], "X": 1, UNKNOWN: 1})


def draw_person(rng: random.Random, start: int, focus: str) -> Person:
    book = load_codebook()
    forms = dict(FORMS)
    if focus:
        forms[focus] *= 3
    form = _pick(rng, forms)
    citizenship = _pick(rng, CITIZENSHIP)
    group = book.codes["citizenship"][citizenship].parent
    if group == "FI":
        residence = "FI_CITIZEN"
    elif group == "EU_OTH":
        residence = "EU_FREE"
    else:
        residence = _pick(
            rng,
            {
                "RP_WORK": 35,
                "RP_OTHER": 10,
                "VISA": 15,
                "ASYLUM": 20,
                "UNDOC": 15,
                "OTH": 3,
                UNKNOWN: 2,
            },
        )
    attrs = {
        "exploitation_form": form,
        "exploitation_place": _pick(rng, {"FI": 70, "ABROAD": 15, "BOTH": 12, UNKNOWN: 3}),
        "legal_status": _pick(rng, {"THB_PRESUMED": 40, "THB_IDENTIFIED": 20, "RELATED_CRIME": 15, "LAB_EXPL_OTHER": 15, "NOT_THB": 5, UNKNOWN: 5}),
        "sex": _sex_for(rng, form),
        "age_group": _pick(rng, {"Y0_17": 7, "Y18_29": 35, "Y30_39": 30, "Y40_49": 16, "Y50_59": 7, "Y60_PLUS": 2, UNKNOWN: 3}),
        "citizenship": citizenship,
        "citizenship_group": group,
        "residence_status": residence,
        "referral_source": _pick(rng, {"SELF": 22, "POLICE": 8, "MIGRI": 5, "RECEPTION": 8, "NAS": 6, "OSH": 5, "SOCIAL": 10, "HEALTH": 7,
                                       "SHELTER": 3, "NGO": 12, "LEGAL": 4, "FAITH": 3, "PRIVATE": 5, "OTH": 1, UNKNOWN: 1}),
        "nas_status": _pick(rng, {"ALREADY_CLIENT": 20, "REFERRED_ADMITTED": 20, "REFERRED_NOT_ADMITTED": 5, "REFERRED_PENDING": 5,
                                  "NOT_REFERRED_DECLINED": 25, "NOT_REFERRED_OTHER": 20, UNKNOWN: 5}),
        "police_status": _pick(rng, {"REPORTED": 30, "CONSIDERING": 20, "NOT_REPORTED": 45, UNKNOWN: 5}),
    }  # fmt: skip
    if form == "LAB":
        attrs["labour_sector"] = _pick(
            rng,
            {"A": 25, "I": 20, "F": 15, "N": 15, "T": 8, "C": 5, "G": 4, "H": 4, "S": 3, "OTH": 1},
        )
    halves = rng.choice([1, 1, 2, 2, 2, 3, 4])
    person = Person(start, halves, attrs, rng.choice([0, 0, 0, 0, 0, 1, 2]), rng.random() < 0.45)
    for offset in range(halves):
        person.services[start + offset] = frozenset(s for s, p in SERVICES.items() if rng.random() < p)
    return person


def half_index(year: int, half: int) -> int:
    return (year - FIRST_YEAR) * 2 + half - 1


def draw_people(org: DemoOrg, seed: int) -> list[Person]:
    rng = random.Random(f"{seed}:{org.code}")
    people = []
    last = org.last_year or LAST_YEAR
    for year in range(org.first_year, last + 1):
        for half in (1, 2):
            expected = org.size * GROWTH[year] * SCALE / 2
            count = max(0, round(rng.gauss(expected, expected**0.5)))
            people += [draw_person(rng, half_index(year, half), org.focus) for _ in range(count)]
    return people


def _counts(people: list[Person], dims: tuple[str, ...]) -> Counter[tuple[str, ...]]:
    return Counter(tuple(p.attrs.get(d, "") for d in dims) for p in people)


def _codes_for(dimension: str, seen: set[str]) -> list[str]:
    """Every code of a short list (zeros included), only the seen ones of citizenship."""
    codes = list(load_codebook().codes[dimension])
    if dimension == "citizenship":
        return sorted(seen)
    return [c for c in codes if c != UNKNOWN or c in seen]


def _table(people: list[Person], dims: tuple[str, ...]) -> Iterator[tuple[dict[str, str], int]]:
    counts = _counts(people, dims)
    if not dims:
        yield {}, len(people)
        return
    axes = [_codes_for(d, {key[i] for key in counts}) for i, d in enumerate(dims)]
    if len(dims) == 1:
        for code in axes[0]:
            yield {dims[0]: code}, counts[(code,)]
    else:
        for first in axes[0]:
            for second in axes[1]:
                yield {dims[0]: first, dims[1]: second}, counts[(first, second)]


def _rows_for_period(
    org: DemoOrg,
    people: list[Person],
    index: int,
    period: str,
    measures: set[str],
    rng: random.Random,
) -> list[dict[str, str]]:
    indices = {index} if period[-2:] in ("H1", "H2") else {index, index + 1}
    new = [p for p in people if p.start in indices]
    active = [p for p in people if any(p.start <= i < p.start + p.halves for i in indices)]
    last = max(indices)
    at_end = [p for p in people if p.start <= last < p.start + p.halves - 1]
    book = load_codebook()
    full = org.detail == "full"
    tables: list[tuple[str, list[Person], tuple[str, ...]]] = []
    if "PERS_NEW" in measures:
        for d1, d2 in book.breakdowns["PERS_NEW"]:
            dims = tuple(d for d in (d1, d2) if d != TOTAL)
            if full or dims in {(), ("exploitation_form",), ("sex",), ("age_group",)}:
                tables.append(("PERS_NEW", new, dims))
        tables.append(("FIRST_CONTACT_BEFORE_AUTH", [p for p in new if p.before_authority], ()))
        tables.append(("REPORTED_POLICE", [p for p in new if p.attrs["police_status"] == "REPORTED"], ()))
        referred = [p for p in new if p.attrs["nas_status"] in REFERRED]
        tables += [("REF_TO_NAS", referred, ())] + ([("REF_TO_NAS", referred, ("nas_status",))] if full else [])
    if "PERS_ACTIVE" in measures:
        for dims in [(), ("exploitation_form",), ("sex",), ("age_group",)] if full else [()]:
            tables.append(("PERS_ACTIVE", active, dims))
    if "PERS_STOCK_END" in measures:
        tables.append(("PERS_STOCK_END", at_end, ()))
    rows = []
    for measure, group, dims in tables:
        if measure == "REF_TO_NAS" and dims:
            for code in REFERRED:
                rows.append(
                    _row(
                        org,
                        period,
                        measure,
                        {"nas_status": code},
                        sum(p.attrs["nas_status"] == code for p in group),
                    )
                )
            continue
        for cell, value in _table(group, dims):
            rows.append(_row(org, period, measure, cell, value))
    if "DEPENDANTS_NEW" in measures:
        collected = org.code != "demo-tyo"  # this member does not collect it: empty, not zero
        rows.append(
            _row(
                org,
                period,
                "DEPENDANTS_NEW",
                {},
                sum(p.dependants for p in new) if collected else None,
            )
        )
    if "SERVICE_PERS" in measures and full:
        for service in load_codebook().codes["service_type"]:
            if service != UNKNOWN:
                got = sum(1 for p in active if any(service in p.services.get(i, ()) for i in indices))
                rows.append(_row(org, period, "SERVICE_PERS", {"service_type": service}, got))
    if "CONTACTS_ANON" in measures:
        rows.append(
            _row(
                org,
                period,
                "CONTACTS_ANON",
                {},
                round(rng.expovariate(1 / (org.size / 3 + 1)) * len(indices)),
            )
        )
    return rows


def _row(org: DemoOrg, period: str, measure: str, cell: dict[str, str], value: int | None) -> dict[str, str]:
    row = {"organisation": org.code, "period": period, "measure": measure, **cell}
    row["value"] = "" if value is None else str(value)
    return row


ALL_MEASURES = {
    "PERS_NEW",
    "PERS_ACTIVE",
    "PERS_STOCK_END",
    "DEPENDANTS_NEW",
    "SERVICE_PERS",
    "CONTACTS_ANON",
}
YEAR_ONLY = {
    "PERS_ACTIVE",
    "SERVICE_PERS",
}  # non-additive: a half-yearly member sends them for the year


def rows_for_year(org: DemoOrg, people: list[Person], year: int, rng: random.Random) -> list[dict[str, str]]:
    if org.cadence == "Y":
        return _rows_for_period(org, people, half_index(year, 1), str(year), ALL_MEASURES, rng)
    rows = []
    for half in (1, 2):
        rows += _rows_for_period(org, people, half_index(year, half), f"{year}H{half}", ALL_MEASURES - YEAR_ONLY, rng)
    if org.detail == "full":
        rows += _rows_for_period(org, people, half_index(year, 1), str(year), YEAR_ONLY, rng)
    return rows
