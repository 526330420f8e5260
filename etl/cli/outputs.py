"""Commands about what a published version shows: `protection` (its information loss) and `dataset` (its file)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from etl.codebook import TOTAL, load_codebook
from etl.config import Settings
from etl.disclosure.loss import SHOWN, by_reason, summary
from etl.errors import NotFoundError
from etl.i18n import LANGUAGES, format_int, t
from etl.publish import dataset, snapshots

FAMILY = ["measure", "dim1", "dim2", "period"]


def register(commands: Any) -> None:
    protection = commands.add_parser(
        "protection", help="what protection hides in a published version: cells and persons by reason (staff only)"
    )
    protection.add_argument("--version", type=int, default=None, help="data version (default: the one served)")
    protection.add_argument("--json", action="store_true", help="machine-readable output")
    protection.set_defaults(func=cmd_protection)

    data = commands.add_parser("dataset", help="write the published dataset, as the Download page gives it")
    data.add_argument("--version", type=int, default=None, help="data version (default: the one served)")
    data.add_argument("--lang", dest="sub_lang", choices=LANGUAGES, default=None, help="language of the labels")
    data.add_argument("--format", choices=["csv", "sdmx"], default="csv", help="plain CSV or SDMX-CSV 1.0")
    data.add_argument("-o", "--output", required=True, type=Path, help="file to write")
    data.set_defaults(func=cmd_dataset)


def _snapshot(settings: Settings, version: int | None) -> snapshots.SnapshotRef:
    if version is not None:
        return snapshots.get(settings, version)
    served = snapshots.current(settings)
    if served is None:
        raise NotFoundError("snapshot.none_published")
    return served


def cmd_dataset(args: argparse.Namespace, settings: Settings) -> int:
    ref = _snapshot(settings, args.version)
    cells = dataset.published_cells(ref.path, settings.disclosure_threshold, snapshots.earlier(settings, ref.version))
    data = dataset.to_csv(cells, ref.version, args.lang) if args.format == "csv" else dataset.to_sdmx_csv(cells)
    args.output.write_bytes(data)
    print(t("cli.dataset_written", args.lang, path=str(args.output), cells=format_int(len(cells), args.lang)))
    return 0


def read_loss(ref: snapshots.SnapshotRef) -> pd.DataFrame:
    with snapshots.open_snapshot(ref.path) as con:
        try:
            return con.execute("SELECT * FROM protection_loss").df()
        except duckdb.CatalogException:
            raise NotFoundError("snapshot.no_loss", version=ref.version) from None


def report(loss: pd.DataFrame) -> dict[str, Any]:
    """The information loss as plain data: overall, per kind of period and per table family."""
    network = loss[loss["group"] == "network"]
    reasons = by_reason(loss, ["group", *FAMILY])
    tables = []
    for (group, measure, dim1, dim2, period), rows in reasons.groupby(["group", *FAMILY], sort=False):
        tables.append(
            {
                "group": group,
                "measure": measure,
                "breakdown": [d for d in (dim1, dim2) if d != TOTAL],
                "period": period,
                "cells": dict(zip(rows["reason"], rows["cells"].astype(int), strict=True)),
                "persons": dict(zip(rows["reason"], rows["persons"].astype(int), strict=True)),
            }
        )
    return {
        "network": _records(summary(network, ["period"]), "period"),
        "like_for_like": _records(summary(loss[loss["group"] != "network"], ["period"]), "period"),
        "tables": tables,
    }


def _records(frame: pd.DataFrame, key: str) -> dict[str, dict[str, float]]:
    out = {}
    for row in frame.to_dict(orient="records"):
        name = str(row.pop(key))
        out[name] = {k: (float(v) if "share" in k else int(v)) for k, v in row.items()}
    return out


def cmd_protection(args: argparse.Namespace, settings: Settings) -> int:
    ref = _snapshot(settings, args.version)
    found = report(read_loss(ref))
    if args.json:
        print(json.dumps({"version": ref.version, **found}, ensure_ascii=False, indent=2, sort_keys=True))
        return 0
    lang = args.lang
    print(t("cli.protection_title", lang, version=ref.version))
    for period, figures in found["network"].items():
        print(_share_line(lang, period, figures))
    print()
    print(t("cli.protection_tables", lang))
    book = load_codebook()
    for table in found["tables"]:
        if table["group"] != "network":
            continue
        name = book.measures[table["measure"]].label.get(lang)
        breakdown = " × ".join(book.dimensions[d].label.get(lang) for d in table["breakdown"])
        cells = ", ".join(f"{reason} {format_int(n, lang)}" for reason, n in sorted(table["cells"].items()))
        persons = table["persons"].get(SHOWN, 0)
        hidden = sum(n for reason, n in table["persons"].items() if reason != SHOWN)
        period = t(f"cli.protection_{table['period']}", lang)
        print(f"  {name}{' – ' + breakdown if breakdown else ''} ({period}): {cells}")
        print(
            "    " + t("cli.protection_persons", lang, shown=format_int(persons, lang), hidden=format_int(hidden, lang))
        )
    return 0


def _share_line(lang: str, period: str, figures: dict[str, float]) -> str:
    return t(
        "cli.protection_share",
        lang,
        period=t(f"cli.protection_{period}", lang),
        shown=format_int(int(figures["cells_shown"]), lang),
        cells=format_int(int(figures["cells"] - figures["cells_small"]), lang),
        share=_percent(figures["share_cells"]),
        persons=_percent(figures["share_persons"]),
        withheld=format_int(int(figures["withheld_cells"]), lang),
    )


def _percent(share: float) -> str:
    return "–" if pd.isna(share) else f"{share * 100:.1f}".replace(".", ",") + " %"
