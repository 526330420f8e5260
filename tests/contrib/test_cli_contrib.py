"""The coordinator's commands, through etl.cli.main.main as `python -m etl` runs them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import openpyxl

from etl.cli.main import main
from etl.i18n import t

HEADER = "organisation;period;measure;exploitation_form;sex;value;flag\n"
GOOD = HEADER + "testi;2024H1;PERS_NEW;;;12;\ntesti;2024H1;PERS_NEW;LAB;;9;\ntesti;2024H1;PERS_NEW;SEX;;3;\n"
BAD = HEADER + "testi;2024H1;PERS_NEW;;;12;\ntesti;2024H1;PERS_NEW;LAB;;<5;\nmuu;2024H1;PERS_NEW;;;1;\n"


def _file(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_help_lists_every_command():
    result = subprocess.run([sys.executable, "-m", "etl", "--help"], capture_output=True, text=True, timeout=60)
    for command in ("validate", "load", "template", "publish", "history", "withdraw", "orgs", "rebuild"):
        assert command in result.stdout


def test_validate_a_clean_file(prepared, tmp_path, capsys):
    assert main(["validate", _file(tmp_path, "hyva.csv", GOOD), "--lang", "en"]) == 0
    assert capsys.readouterr().out.strip() == "hyva.csv: no problems (3 cells)."


def test_validate_prints_a_table_of_problems_and_exits_1(prepared, tmp_path, capsys):
    assert main(["validate", _file(tmp_path, "huono.csv", BAD), "--lang", "fi"]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "huono.csv: 2 virhettä, 0 varoitusta."
    assert lines[1].split() == ["laji", "välilehti", "rivi", "sarake", "arvo", "viesti"]
    assert lines[3].split()[:4] == ["virhe", "3", "value", "<5"]
    assert lines[3].endswith(t("problem.suppressed_value", "fi", value="<5"))
    assert lines[4].split()[:4] == ["virhe", "4", "organisation", "muu"]


def test_one_mistake_on_many_rows_is_one_line_naming_the_rows(prepared, tmp_path, capsys):
    copied = HEADER + "".join(f"testi;2024H1;PERS_NEW;LAB;;{value};\n" for value in ("<5",) * 29)
    assert main(["validate", _file(tmp_path, "kopioitu.csv", copied), "--lang", "en"]) == 1
    lines = capsys.readouterr().out.splitlines()
    problems = [line for line in lines[3:] if line.startswith("error")]
    assert len(problems) == len({line.split("  ")[-1] for line in problems})  # each distinct problem once
    copied_down = next(line for line in problems if "<5" in line)
    assert copied_down.split()[:4] == ["error", "2–30", "value", "<5"]


def test_formula_text_and_validation_problems_are_reported_together(prepared, tmp_path, capsys):
    text = HEADER + 'testi;2024H1;PERS_NEW;;;12;=HYPERLINK("x")\ntesti;2024H1;PERS_NEW;XYZ;;9;\n'
    assert main(["validate", _file(tmp_path, "kaava.csv", text), "--json", "--lang", "en"]) == 1
    found = [(p["code"], p["row"], p["column"]) for p in json.loads(capsys.readouterr().out)["problems"]]
    assert ("formula_text", 2, "flag") in found and ("unknown_code", 3, "exploitation_form") in found
    assert [place for _, *place in found].count([2, "flag"]) == 1  # the formula's cell is named once


def test_validate_as_json(prepared, tmp_path, capsys):
    assert main(["validate", _file(tmp_path, "huono.csv", BAD), "--json", "--lang", "sv"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert (report["errors"], report["warnings"]) == (2, 0)
    assert [(p["code"], p["row"], p["column"], p["value"]) for p in report["problems"]] == [
        ("suppressed_value", 3, "value", "<5"),
        ("unknown_organisation", 4, "organisation", "muu"),
    ]
    assert report["problems"][0]["message"] == t("problem.suppressed_value", "sv", value="<5")


def test_validate_writes_nothing(prepared, tmp_path, capsys):
    before = prepared.warehouse_path.read_bytes()
    main(["validate", _file(tmp_path, "hyva.csv", GOOD)])
    assert prepared.warehouse_path.read_bytes() == before


def test_load_dry_run_publish_and_again(prepared, tmp_path, capsys):
    path = _file(tmp_path, "hyva.csv", GOOD)
    assert main(["load", path, "--by", "maija", "--dry-run", "--lang", "en"]) == 0
    assert capsys.readouterr().out.startswith("Dry run: hyva.csv could be loaded (3 cells).")
    assert main(["load", path, "--by", "maija", "--publish", "--lang", "en"]) == 0
    captured = capsys.readouterr()
    assert captured.out.splitlines() == [
        "Loaded hyva.csv: 1 new versions, published as data version 2.",
        "  testi 2024H1: version 1 (3 cells)",
    ]
    assert "Writing 3 cells…" in captured.err and "Publishing…" in captured.err  # progress
    assert main(["load", path, "--by", "maija", "--lang", "en"]) == 0
    assert capsys.readouterr().out.splitlines()[0].startswith("Nothing new in hyva.csv")


def test_load_of_a_bad_file_exits_1_with_the_table(prepared, tmp_path, capsys):
    assert main(["load", _file(tmp_path, "huono.csv", BAD), "--by", "maija", "--lang", "en"]) == 1
    out = capsys.readouterr().out
    assert out.startswith("huono.csv was not loaded: 2 errors. Nothing was changed.")
    assert "<5" in out


def test_template_for_a_member(prepared, tmp_path, capsys):
    target = tmp_path / "pohja.xlsx"
    code = main(["template", "--org", "testi", "--period", "2025H1", "--lang", "sv", "-o", str(target)])
    assert code == 0
    assert capsys.readouterr().out.strip() == f"Mallen för testi 2025H1 (sv) sparades i {target}."
    workbook = openpyxl.load_workbook(target)
    assert workbook["Anvisningar"]["A2"].value == "Organisation: testi rf (testi)"
    assert main(["template", "--org", "olematon", "--period", "2025H1", "-o", str(target)]) == 3


def test_history_withdraw_and_orgs(prepared, tmp_path, capsys):
    main(["load", _file(tmp_path, "hyva.csv", GOOD), "--by", "maija", "--publish"])
    capsys.readouterr()
    assert main(["history", "--org", "testi", "--lang", "en"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == t("contrib.history_header", "en")
    assert lines[1].split(" | ")[:4] == ["testi", "2024H1", "1", "published"] and lines[1].endswith("(hyva.csv)")
    assert main(["withdraw", "--org", "testi", "--period", "2024-H1", "--by", "pekka", "--lang", "en"]) == 0
    assert capsys.readouterr().out.strip() == "Withdrew testi 2024H1: published as data version 3."
    assert main(["withdraw", "--org", "testi", "--period", "2024H1", "--by", "pekka"]) == 3  # nothing left to withdraw
    capsys.readouterr()
    add = ["orgs", "add", "uusi", "--name-fi", "Uusi ry", "--name-sv", "Ny rf", "--name-en", "New", "--type", "LEGAL"]
    assert main([*add, "--since", "2024-01-01", "--by", "pekka", "--lang", "en"]) == 0
    assert main(["orgs", "deactivate", "uusi", "--until", "2025-12-31", "--by", "pekka", "--lang", "en"]) == 0
    assert main(["orgs", "list", "--lang", "en"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[:2] == ["Added organisation uusi.", "Organisation uusi is a member until 31 December 2025."]
    assert "uusi | New | LEGAL | 1 January 2024 – 31 December 2025" in out


def test_rebuild_command(prepared, tmp_path, capsys):
    main(["load", _file(tmp_path, "hyva.csv", GOOD), "--by", "maija", "--publish"])
    capsys.readouterr()
    assert main(["rebuild", "--into", str(tmp_path / "uusi"), "--lang", "en"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[1].startswith("Rebuilt warehouse gives identical answers: 2 data versions")
