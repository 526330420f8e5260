"""A file that leaves out tables its organisation sent before for the same period: a warning per table."""

from __future__ import annotations

from etl.intake.problems import Problem
from etl.warehouse import load
from etl.warehouse.writer import writer
from tests.helpers import add_org, long_csv

FULL = [
    "testi;2024;PERS_NEW;;;12;",
    "testi;2024;PERS_NEW;LAB;;9;",
    "testi;2024;PERS_NEW;SEX;;3;",
    "testi;2024;PERS_NEW;;F;7;",
    "testi;2024;PERS_NEW;;M;5;",
    "testi;2024;PERS_NEW;LAB;F;4;",
    "testi;2024;PERS_NEW;LAB;M;5;",
    "testi;2024;PERS_NEW;SEX;F;3;",
    "testi;2024;PERS_NEW;SEX;M;0;",
    "testi;2024;REF_TO_NAS;;;4;",
]
WHERE = {"org": "testi", "period": "2024", "measure": "PERS_NEW"}


def _loaded(settings) -> None:
    with writer(settings) as con:
        add_org(con)
    assert load.load_bytes(long_csv(FULL), "testi-2024.csv", "tester", settings).outcome == "loaded"


def _left_out(problems: list[Problem]) -> list[tuple[str, str, dict]]:
    return [(p.code, p.severity, p.params) for p in problems if p.code.endswith("_left_out")]


def test_a_file_with_every_table_sent_before_leaves_nothing_out(settings):
    _loaded(settings)
    again = [row.replace(";12;", ";13;").replace("LAB;;9", "LAB;;10").replace(";;F;7", ";;F;8") for row in FULL]
    again[5] = "testi;2024;PERS_NEW;LAB;F;5;"
    result = load.load_bytes(long_csv(again), "again.csv", "tester", settings, dry_run=True)
    assert result.ok, result.problems
    assert _left_out(result.problems) == []


def test_each_table_and_measure_left_out_is_named_and_the_file_can_still_be_loaded(settings):
    _loaded(settings)
    only_forms = long_csv(FULL[:3])  # the correction of one table, without the rest of the period
    result = load.load_bytes(only_forms, "forms.csv", "tester", settings)
    assert result.outcome == "loaded"
    assert _left_out(result.problems) == [
        ("breakdown_left_out", "warning", {**WHERE, "dimension": "exploitation_form × sex"}),
        ("breakdown_left_out", "warning", {**WHERE, "dimension": "sex"}),
        ("measure_left_out", "warning", {**WHERE, "measure": "REF_TO_NAS"}),  # once, not per table
    ]
    cross = Problem("breakdown_left_out", params={**WHERE, "dimension": "exploitation_form × sex"})
    assert cross.message("en") == (
        "Check: the file has no New clients (PERS_NEW) by Form of exploitation (exploitation_form) × Sex (sex) "
        "for 2024, which testi sent before. The file replaces the figures sent before, so this table would no "
        "longer be counted; if its figures still hold, add them to the file. The file can still be loaded."
    )
    assert "vaikka testi on lähettänyt sen aiemmin" in cross.message("fi")
    assert "som testi har skickat tidigare" in cross.message("sv")


def test_only_the_same_organisation_and_period_count(settings):
    _loaded(settings)
    other_period = long_csv([row.replace(";2024;", ";2024H1;") for row in FULL[:3]])
    result = load.load_bytes(other_period, "h1.csv", "tester", settings, dry_run=True)
    assert result.ok and _left_out(result.problems) == []


def test_an_upload_refused_for_another_period_does_not_warn_about_that_period(settings):
    _loaded(settings)
    with writer(settings) as con:
        result = load.load_into(con, settings, long_csv(FULL[:3]), "forms.csv", "tester", scope=("testi", "2025"))
    assert [p.code for p in result.problems] == ["outside_upload_scope"]
    with writer(settings) as con:
        chosen = load.load_into(con, settings, long_csv(FULL[:3]), "forms.csv", "tester", scope=("testi", "2024"))
    assert [p.code for p in chosen.problems] == ["breakdown_left_out", "breakdown_left_out", "measure_left_out"]
