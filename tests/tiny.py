"""A tiny deterministic warehouse built through the real load path: 4 members, 3 rounds, then a withdrawal.

Three members report 2023, so the network's 2023 is published (two would be withheld).

    Versions: 1 (2023), 2 (2024), 3 (beeta's 2023 revised), 4 (gamma's 2024 withdrawn).

Tests use it where the demo is not the point: it publishes in a second, where the demo
takes minutes to protect again.
"""

from __future__ import annotations

from pathlib import Path

from tests.helpers import add_org, long_csv

TINY_HEADER = "organisation;period;measure;exploitation_form;sex;service_type;value;flag\n"
TINY_ROUNDS = [
    # round 1: 2023, yearly files
    [
        "alfa;2023;PERS_NEW;;;;12;",
        "alfa;2023;PERS_NEW;LAB;;;9;",
        "alfa;2023;PERS_NEW;SEX;;;3;",
        "alfa;2023;PERS_NEW;;F;;7;",
        "alfa;2023;PERS_NEW;;M;;5;",
        "alfa;2023;FIRST_CONTACT_BEFORE_AUTH;;;;4;",
        "alfa;2023;SERVICE_PERS;;;ADVICE;8;",
        "alfa;2023;SERVICE_PERS;;;LEGAL;2;",
        "beeta;2023;PERS_NEW;;;;20;",
        "beeta;2023;PERS_NEW;LAB;;;15;",
        "beeta;2023;PERS_NEW;SEX;;;5;",
        "beeta;2023;PERS_NEW;;F;;10;",
        "beeta;2023;PERS_NEW;;M;;10;",
        "delta;2023;PERS_NEW;;;;30;",
        "delta;2023;PERS_NEW;LAB;;;18;",
        "delta;2023;PERS_NEW;SEX;;;12;",
        "delta;2023;PERS_NEW;;F;;14;",
        "delta;2023;PERS_NEW;;M;;16;",
    ],
    # round 2: 2024, alfa by half-years, gamma new and provisional
    [
        "alfa;2024H1;PERS_NEW;;;;6;",
        "alfa;2024H2;PERS_NEW;;;;7;",
        "beeta;2024;PERS_NEW;;;;22;",
        "delta;2024;PERS_NEW;;;;26;",
        "gamma;2024;PERS_NEW;;;;3;P",
        "gamma;2024;CONTACTS_ANON;;;;11;P",
    ],
    # round 3: beeta corrects 2023
    [
        "beeta;2023;PERS_NEW;;;;21;R",
        "beeta;2023;PERS_NEW;LAB;;;16;R",
        "beeta;2023;PERS_NEW;SEX;;;5;R",
    ],
]


def build_tiny(data_dir: Path) -> None:
    """Build the tiny warehouse in `data_dir`."""
    from datetime import date

    from etl.config import Settings
    from etl.publish import versions as publish
    from etl.warehouse import load
    from etl.warehouse.writer import writer

    settings = Settings(data_dir=data_dir)
    with writer(settings) as con:
        for code in ("alfa", "beeta", "gamma", "delta"):
            add_org(con, code, since=date(2020, 1, 1))
    for number, rows in enumerate(TINY_ROUNDS, start=1):
        data = long_csv(rows, header=TINY_HEADER)
        result = load.load_bytes(
            data, f"round-{number}.csv", "tester", settings, publish_now=True, today=date(2025, 3, 1)
        )
        assert result.outcome == "loaded", [p.message("en") for p in result.problems]
    with writer(settings) as con:
        publish.withdraw(con, settings, "tester", "gamma", "2024", note="sent by mistake")
