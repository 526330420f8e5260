"""Small hand-made member tables for the disclosure tests."""

from __future__ import annotations

import pandas as pd

from etl.codebook import load_codebook
from etl.disclosure.engine import protect
from etl.disclosure.tables import ALL, Batch, MeasureInfo, Subset

T = "_T"
COLUMNS = ["org_code", "measure", "year", "kind", "dim1", "code1", "dim2", "code2", "value", "flag", "derived"]


def member_cells(rows: list[tuple], measure: str = "PERS_NEW", year: int = 2024) -> pd.DataFrame:
    """Rows (org, kind, dim1, code1, dim2, code2, value[, derived]) as member facts."""
    out = []
    for row in rows:
        org, kind, dim1, code1, dim2, code2, value, *rest = row
        derived = bool(rest[0]) if rest else False
        out.append((org, measure, year, kind, dim1, code1, dim2, code2, value, "", derived))
    frame = pd.DataFrame(out, columns=COLUMNS)
    frame["value"] = frame["value"].astype(float)
    return frame


def one_d(org: str, dim: str, counts: dict[str, int], kind: str = "Y", derived: bool = False) -> list[tuple]:
    """A member's total and one breakdown that sums to it."""
    rows = [(org, kind, T, T, T, T, sum(counts.values()), derived)]
    rows += [(org, kind, dim, code, T, T, value, derived) for code, value in counts.items()]
    return rows


def cross(org: str, dims: tuple[str, str], counts: dict[tuple[str, str], int], kind: str = "Y") -> list[tuple]:
    """A member's cross table, with both one-dimension margins and the total."""
    first, second = dims
    rows = [(org, kind, first, a, second, b, value) for (a, b), value in counts.items()]
    for axis, dim in ((0, first), (1, second)):
        sums: dict[str, int] = {}
        for key, value in counts.items():
            sums[key[axis]] = sums.get(key[axis], 0) + value
        rows += [(org, kind, dim, code, T, T, value) for code, value in sums.items()]
    rows.append((org, kind, T, T, T, T, sum(counts.values())))
    return rows


def measures() -> dict[str, MeasureInfo]:
    return {code: MeasureInfo(m.nature, m.multi_response) for code, m in load_codebook().measures.items()}


def run(
    rows: list[tuple],
    threshold: int = 5,
    subsets: list[Subset] | None = None,
    member_flags: dict[str, str] | None = None,
    **batch: object,
) -> pd.DataFrame:
    facts = member_cells(rows)
    if member_flags:
        facts["flag"] = facts["org_code"].map(member_flags).fillna("")
    return protect(Batch(facts, measures(), subsets or [Subset(ALL)], **batch), threshold)  # type: ignore[arg-type]


def shown(out: pd.DataFrame, subset: str = ALL, kind: str = "Y", dim1: str = T, dim2: str = T) -> dict:
    """{code: value or flag} of one table: a number when shown, the flag letters when hidden."""
    table = out[(out["subset"] == subset) & (out["kind"] == kind) & (out["dim1"] == dim1) & (out["dim2"] == dim2)]
    key = ["code1"] if dim2 == T else ["code1", "code2"]
    return {
        (row[key[0]] if len(key) == 1 else (row["code1"], row["code2"])): (
            int(row["value"]) if pd.notna(row["value"]) else row["flag"]
        )
        for _, row in table.iterrows()
    }


SMALL_HEADER = "organisation;period;measure;exploitation_form;sex;value;flag\n"


def small_counts_data(settings, members: int = 6, years: tuple[int, ...] = (2023, 2024, 2025), seed: int = 7) -> int:  # type: ignore[no-untyped-def]
    """A published warehouse whose member counts are almost all 1-4 (a scan of any output must find none).

    Each member sends, per year, a total, a breakdown by form of exploitation and one by
    sex, every cell 0-4; in the year before those, three members send one person
    each (a network total of 3). Returns the published data version.
    """
    import random
    from datetime import date

    from etl.publish import versions as publish
    from etl.warehouse import load
    from etl.warehouse.writer import writer
    from tests.helpers import add_org

    rng = random.Random(seed)
    sparse = min(years) - 1
    lines = [
        line
        for number in range(3)
        for line in (f"small-{number};{sparse};PERS_NEW;;;1;", f"small-{number};{sparse};PERS_NEW;LAB;;1;")
    ]
    for number in range(members):
        org = f"small-{number}"
        for year in years:
            forms = {"LAB": rng.randint(1, 4), "SEX": rng.randint(0, 3), "MAR": rng.randint(0, 2)}
            total = sum(forms.values())
            women = rng.randint(0, total)
            lines.append(f"{org};{year};PERS_NEW;;;{total};")
            lines += [f"{org};{year};PERS_NEW;{code};;{value};" for code, value in forms.items()]
            lines += [f"{org};{year};PERS_NEW;;F;{women};", f"{org};{year};PERS_NEW;;M;{total - women};"]
    with writer(settings, what="test") as con:
        for number in range(members):
            add_org(con, f"small-{number}", since=date(2016, 1, 1))
        data = (SMALL_HEADER + "\n".join(lines) + "\n").encode("utf-8")
        result = load.load_into(con, settings, data, "small.csv", "test", today=date(max(years) + 1, 2, 1))
        assert result.ok, [p.message("en") for p in result.problems]
        version = publish.publish_drafts(con, settings, "test")
    assert version is not None
    return version
