"""`python -m etl users ...`, and the demo accounts that `python -m etl demo` prints."""

import getpass
import io
import subprocess
import sys

import pytest

from etl.cli.main import main
from etl.demo.accounts import DEMO_ACCOUNTS
from etl.i18n import t
from etl.services import account_store, signin
from etl.services.access import Role
from tests.accounts.helpers import audit_rows


def _stdin(monkeypatch, text):
    monkeypatch.setattr(sys, "stdin", io.StringIO(text))


def _add(monkeypatch, *args, password="a long enough password"):
    _stdin(monkeypatch, password + "\n")
    return main(["--lang", "en", "users", "add", *args, "--password-stdin"])


def test_help_lists_the_account_and_operations_commands():
    result = subprocess.run([sys.executable, "-m", "etl", "--help"], capture_output=True, text=True, timeout=60)
    for command in ("users", "backup", "restore"):
        assert command in result.stdout
    users = subprocess.run([sys.executable, "-m", "etl", "users", "--help"], capture_output=True, text=True, timeout=60)
    for action in ("add", "disable", "enable", "reset", "list"):
        assert action in users.stdout


def test_add_list_disable_enable_reset(demo_settings, monkeypatch, capsys):
    assert (
        _add(
            monkeypatch,
            "liisa",
            "--role",
            "reporter",
            "--org",
            "demo-tuki",
            "--name",
            "Liisa L",
            "--email",
            "liisa@example.fi",
        )
        == 0
    )
    assert t("accounts.cli.added", "en", username="liisa", role="reporter") in capsys.readouterr().out
    assert main(["--lang", "fi", "users", "list"]) == 0
    listing = capsys.readouterr().out
    assert "liisa" in listing and "raportoija" in listing and "demo-tuki" in listing and "käytössä" in listing
    assert "argon2" not in listing and "a long enough password" not in listing
    assert main(["--lang", "en", "users", "disable", "liisa"]) == 0
    assert main(["--lang", "en", "users", "list"]) == 0
    assert "disabled" in capsys.readouterr().out
    assert main(["--lang", "en", "users", "enable", "liisa"]) == 0
    _stdin(monkeypatch, "a different password\n")
    assert main(["--lang", "en", "users", "reset", "liisa", "--password-stdin"]) == 0
    assert signin.authenticate(demo_settings, "liisa", "a different password").role == Role.REPORTER
    operator = f"cli:{getpass.getuser()}"
    assert audit_rows(demo_settings, "user_add", "user_disable", "user_enable", "user_reset") == [
        (operator, "user_add", "ok"),
        (operator, "user_disable", "ok"),
        (operator, "user_enable", "ok"),
        (operator, "user_reset", "ok"),
    ]


def test_the_password_is_asked_twice_without_echo(settings, monkeypatch, capsys):
    answers = iter(["first long password", "second long password"])
    monkeypatch.setattr(getpass, "getpass", lambda prompt="": next(answers))
    assert main(["--lang", "en", "users", "add", "kaisa", "--role", "admin"]) == 2
    assert t("accounts.passwords_differ", "en") in capsys.readouterr().err
    assert account_store.get_account(settings, "kaisa") is None
    answers = iter(["the same long password"] * 2)
    assert main(["--lang", "en", "users", "add", "kaisa", "--role", "admin"]) == 0
    assert signin.authenticate(settings, "kaisa", "the same long password").role == Role.ADMIN


@pytest.mark.parametrize(
    ("args", "key", "params"),
    [
        (["kaisa", "--role", "member", "--org", "ei-ole"], "accounts.unknown_org", {"org": "ei-ole"}),
        (["kaisa", "--role", "member"], "accounts.org_required", {"role": "member"}),
    ],
)
def test_mistakes_are_explained_in_the_chosen_language(demo_settings, monkeypatch, capsys, args, key, params):
    _stdin(monkeypatch, "a long enough password\n")
    assert main(["--lang", "sv", "users", "add", *args, "--password-stdin"]) == 2
    assert t(key, "sv", **params) in capsys.readouterr().err


def test_a_short_password_is_refused_before_anything_is_written(settings, monkeypatch, capsys):
    assert _add(monkeypatch, "kaisa", "--role", "admin", password="short") == 2
    assert t("accounts.password_too_short", "en", minimum=12) in capsys.readouterr().err
    assert not settings.accounts_path.exists() or account_store.get_account(settings, "kaisa") is None


def test_reset_of_a_missing_account_says_so_before_asking(settings, capsys):
    assert main(["--lang", "en", "users", "reset", "nobody"]) == 3
    assert t("accounts.not_found", "en", username="nobody") in capsys.readouterr().err


def test_an_empty_list(settings, capsys):
    assert main(["--lang", "en", "users", "list"]) == 0
    assert t("accounts.cli.list_empty", "en") in capsys.readouterr().out


def test_the_demo_prints_its_accounts_and_they_sign_in(demo_settings, capsys):
    assert main(["--lang", "sv", "demo", "--if-absent"]) == 0
    out = capsys.readouterr().out
    assert t("accounts.demo.header", "sv") in out
    for demo in DEMO_ACCOUNTS:
        line = next(line for line in out.splitlines() if demo.username in line)
        assert demo.password in line and t(f"accounts.roles.{demo.role.value}", "sv") in line
        assert signin.authenticate(demo_settings, demo.username, demo.password).role == demo.role
    assert main(["--lang", "sv", "demo", "--if-absent"]) == 0  # a second `make run` prints them again
    assert capsys.readouterr().out.count("demo-coordinator-pw") == 1


def test_no_demo_accounts_beside_real_data(settings, capsys):
    from etl.publish import versions as publish
    from etl.warehouse import load
    from etl.warehouse.writer import writer
    from tests.helpers import add_org, long_csv

    with writer(settings) as con:
        add_org(con)
    load.load_bytes(long_csv(["testi;2024;PERS_NEW;;;12;"]), "real.csv", "tester", settings)
    with writer(settings) as con:
        publish.publish_drafts(con, settings, "tester")
    assert main(["--lang", "en", "demo", "--if-absent"]) == 0
    assert t("accounts.demo.header", "en") not in capsys.readouterr().out
    assert not settings.accounts_path.exists()
