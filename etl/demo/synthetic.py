"""Consistent synthetic long-format cells, fast: for the template fixtures and the load benchmark.

Unlike the demo (which draws fictional persons), this draws the counts directly
with numpy, many (organisation, period) pairs at once, so that a million valid
rows take a few seconds. Every rule of DATA-CONTRACT 5 holds by construction:
crosses are split first and their margins summed from them, labour sectors split
the LAB cell, parts are binomial draws from their wholes.
"""

from __future__ import annotations

import io

import numpy as np
import pandas as pd

from etl.codebook import TOTAL, load_codebook

LONG_COLUMNS = [
    "organisation", "period", "measure",
    "exploitation_form", "exploitation_place", "legal_status", "sex", "age_group",
    "citizenship_group", "citizenship", "residence_status", "referral_source",
    "nas_status", "police_status", "labour_sector", "service_type", "value", "flag",
]  # fmt: skip


def _weights(rng: np.random.Generator, size: int) -> np.ndarray:
    weights = rng.gamma(0.7, size=size) + 0.02
    return weights / weights.sum()


class Draw:
    """Counts for k (organisation, period) pairs at once, collected as cells."""

    def __init__(self, rng: np.random.Generator, keys: list[tuple[str, str]]) -> None:
        self.rng, self.keys = rng, keys
        self.book = load_codebook()
        self.parts: list[pd.DataFrame] = []

    def codes(self, dimension: str) -> list[str]:
        return list(self.book.codes[dimension])

    def split(self, totals: np.ndarray, dimension: str) -> np.ndarray:
        """Each pair's total split over the dimension's codes: shape (k, codes)."""
        return self.rng.multinomial(totals, _weights(self.rng, len(self.codes(dimension))))

    def add(self, measure: str, values: np.ndarray, dim1: str = TOTAL, dim2: str = TOTAL) -> None:
        """Cells of shape (k,), (k, codes1) or (k, codes1, codes2)."""
        k = len(self.keys)
        codes1 = self.codes(dim1) if dim1 != TOTAL else [TOTAL]
        codes2 = self.codes(dim2) if dim2 != TOTAL else [TOTAL]
        grid = values.reshape(k, len(codes1), len(codes2))
        n1, n2 = len(codes1), len(codes2)
        orgs = np.repeat(np.array([o for o, _ in self.keys], dtype=object), n1 * n2)
        periods = np.repeat(np.array([p for _, p in self.keys], dtype=object), n1 * n2)
        self.parts.append(
            pd.DataFrame(
                {
                    "org_code": orgs,
                    "period": periods,
                    "measure": measure,
                    "dim1": dim1,
                    "code1": np.tile(np.repeat(np.array(codes1, dtype=object), n2), k),
                    "dim2": dim2,
                    "code2": np.tile(np.array(codes2, dtype=object), k * n1),
                    "value": grid.reshape(-1).astype(np.int64),
                }
            )
        )

    def cells(self) -> pd.DataFrame:
        return pd.concat(self.parts, ignore_index=True)


def consistent_cells(keys: list[tuple[str, str]], seed: int = 1, size: float = 60.0) -> pd.DataFrame:
    """Every table family of the contract for each (organisation, period), all rules holding."""
    rng = np.random.default_rng(seed)
    draw = Draw(rng, keys)
    k = len(keys)
    new = rng.poisson(size, size=k) + 1
    draw.add("PERS_NEW", new)
    form_sex = rng.multinomial(new, np.outer(_weights(rng, 11), _weights(rng, 4)).reshape(-1)).reshape(k, 11, 4)
    form, sex = form_sex.sum(axis=2), form_sex.sum(axis=1)
    draw.add("PERS_NEW", form, "exploitation_form")
    place = np.stack([draw.split(form[:, i], "exploitation_place") for i in range(11)], axis=1)
    draw.add("PERS_NEW", place, "exploitation_form", "exploitation_place")
    draw.add("PERS_NEW", form_sex, "exploitation_form", "sex")
    draw.add("PERS_NEW", draw.split(new, "legal_status"), "legal_status")
    draw.add("PERS_NEW", sex, "sex")
    sex_age = np.stack([draw.split(sex[:, i], "age_group") for i in range(4)], axis=1)
    age = sex_age.sum(axis=1)
    draw.add("PERS_NEW", age, "age_group")
    draw.add("PERS_NEW", sex_age, "sex", "age_group")
    for dimension in ("citizenship_group", "citizenship", "residence_status", "referral_source"):
        draw.add("PERS_NEW", draw.split(new, dimension), dimension)
    draw.add("PERS_NEW", draw.split(new, "nas_status"), "nas_status")
    draw.add("PERS_NEW", draw.split(new, "police_status"), "police_status")
    lab = form[:, draw.codes("exploitation_form").index("LAB")]
    draw.add("PERS_NEW", draw.split(lab, "labour_sector"), "labour_sector")
    active = new + rng.poisson(size / 2, size=k)
    draw.add("PERS_ACTIVE", active)
    draw.add("PERS_ACTIVE", form + draw.split(active - new, "exploitation_form"), "exploitation_form")
    draw.add("PERS_ACTIVE", sex + draw.split(active - new, "sex"), "sex")
    draw.add("PERS_ACTIVE", age + draw.split(active - new, "age_group"), "age_group")
    draw.add("PERS_STOCK_END", rng.binomial(active, 0.5))
    draw.add("DEPENDANTS_NEW", rng.poisson(new * 0.1))
    referred = rng.binomial(new, 0.3)
    draw.add("REF_TO_NAS", referred)
    draw.add("REF_TO_NAS", draw.split(referred, "nas_status"), "nas_status")
    draw.add("REPORTED_POLICE", rng.binomial(new, 0.3))
    draw.add("FIRST_CONTACT_BEFORE_AUTH", rng.binomial(new, 0.4))
    services = len(draw.codes("service_type"))
    draw.add("SERVICE_PERS", rng.binomial(np.repeat(active, services).reshape(k, services), 0.3), "service_type")
    draw.add("CONTACTS_ANON", rng.poisson(size / 3, size=k))
    return draw.cells()


def to_long(cells: pd.DataFrame, flag: str = "") -> pd.DataFrame:
    """Cells as the long format's columns (text, '' where a dimension is not used)."""
    n = len(cells)
    out = {name: np.full(n, "", dtype=object) for name in LONG_COLUMNS}
    out["organisation"] = cells["org_code"].to_numpy(dtype=object)
    out["period"] = cells["period"].to_numpy(dtype=object)
    out["measure"] = cells["measure"].to_numpy(dtype=object)
    for dim, code in (("dim1", "code1"), ("dim2", "code2")):
        dims, codes = cells[dim].to_numpy(dtype=object), cells[code].to_numpy(dtype=object)
        for name in np.unique(dims):
            if name != TOTAL:
                mask = dims == name
                out[name][mask] = codes[mask]
    out["value"] = cells["value"].astype("Int64").astype(str).replace("<NA>", "").to_numpy(dtype=object)
    out["flag"] = np.full(n, flag, dtype=object)
    return pd.DataFrame(out, columns=LONG_COLUMNS)


def long_csv_bytes(cells: pd.DataFrame, delimiter: str = ";") -> bytes:
    buffer = io.StringIO()
    to_long(cells).to_csv(buffer, sep=delimiter, index=False, lineterminator="\n")
    return buffer.getvalue().encode("utf-8")
