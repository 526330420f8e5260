"""The command line: help, demo, status, publish, and plain-language errors."""

import subprocess
import sys

from etl.cli.main import main
from etl.errors import InputError
from etl.i18n import t


def _run(*args: str, env=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "etl", *args], capture_output=True, text=True, timeout=120, env=env)


def test_help_lists_the_commands():
    result = _run("--help")
    assert result.returncode == 0
    for command in ("demo", "publish", "status", "docs"):
        assert command in result.stdout


def test_status_on_an_empty_folder(settings, capsys):
    assert main(["--lang", "en", "status"]) == 0
    assert t("cli.status_empty", "en") in capsys.readouterr().out


def test_status_of_the_demo(demo_settings, capsys):
    assert main(["--lang", "sv", "status"]) == 0
    out = capsys.readouterr().out
    assert "Dataversion 10" in out
    assert "12 organisationer" in out
    assert "demo-" in out  # the last load names its file


def test_demo_if_absent_does_nothing_when_data_exists(demo_settings, capsys):
    before = sorted(p.name for p in demo_settings.snapshots_dir.iterdir())
    assert main(["--lang", "en", "demo", "--if-absent"]) == 0
    assert t("cli.demo_present", "en") in capsys.readouterr().out
    assert sorted(p.name for p in demo_settings.snapshots_dir.iterdir()) == before


def test_demo_refuses_to_mix_with_real_data(settings, capsys):
    from etl.warehouse import load
    from etl.warehouse.writer import writer
    from tests.helpers import add_org, long_csv

    with writer(settings) as con:
        add_org(con)
    assert load.load_bytes(long_csv(["testi;2024;PERS_NEW;;;12;"]), "real.csv", "tester", settings).outcome == "loaded"
    assert main(["--lang", "fi", "demo"]) == InputError.exit_code
    assert "demoaineistoa ei lisätty" in capsys.readouterr().err


def test_publish_with_nothing_to_publish(demo_settings, capsys):
    assert main(["--lang", "en", "publish"]) == 0
    assert t("cli.nothing_to_publish", "en") in capsys.readouterr().out


def test_bad_setting_is_explained_without_traceback(settings, monkeypatch):
    import os

    env = {**os.environ, "TILANNEKUVA_THRESHOLD": "2"}
    result = _run("status", env=env)
    assert result.returncode == 78
    assert "TILANNEKUVA_THRESHOLD" in result.stderr
    assert "Traceback" not in result.stderr


def test_unexpected_errors_go_to_the_log(settings, monkeypatch, capsys):
    import etl.publish.status

    def broken(_settings):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(etl.publish.status, "read_status", broken)
    assert main(["--lang", "en", "status"]) == 1
    err = capsys.readouterr().err
    assert "secret internals" not in err
    assert str(settings.log_path) in err
    assert "secret internals" in settings.log_path.read_text()
