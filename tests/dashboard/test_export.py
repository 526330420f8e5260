"""`python -m dashboard.export`: a page's address or permalink gives the page's own download, audited."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import openpyxl
import pytest
from streamlit.testing.v1 import AppTest

from dashboard import auth
from dashboard.export import main, parse_address
from dashboard.navigation import PAGES
from etl.config import get_settings
from etl.demo.accounts import DEMO_ORG
from etl.publish import public_figures, snapshots
from etl.services.access import Role
from tests.helpers import APP_FILE
from tests.signin import make_account
from tests.workspace.helpers import audit_rows, captured_downloads, last_audit_id, warehouse_rows

ROOT = "http://localhost:8501"  # the address AppTest's pages name themselves by
VIEW = "lang=fi&b=exploitation_form&y=2020,2025&s=LAB,SEX,MIL"


def test_an_address_names_the_page_the_view_and_the_app():
    link = parse_address("https://tk.example.fi/trends?lang=sv&b=sex&fig=trends.chart&v=9")
    assert (link.root, link.page.url_path, link.lang) == ("https://tk.example.fi", "trends", "sv")
    assert link.params == {"lang": "sv", "b": "sex", "fig": "trends.chart", "v": "9"}
    assert parse_address("https://host/tilannekuva/who?year=2024").root == "https://host/tilannekuva"  # a prefix
    assert parse_address("https://tk.example.fi/").page == PAGES[0]  # the app's root is its first page
    assert parse_address("/pathways?u=n").root == ROOT  # a path alone: the default address
    with pytest.raises(Exception, match="whoo") as raised:
        parse_address("https://tk.example.fi/whoo")
    assert "trends" in raised.value.message("en")  # the message lists the pages


@pytest.fixture(scope="module")
def member(demo_env):
    return make_account(get_settings(), Role.MEMBER, DEMO_ORG, username="advocate").username


def _page_downloads(member: str, monkeypatch) -> dict:
    """The Trends page's download buttons for the view, as the member's browser would get them."""
    app = AppTest.from_file(str(Path(__file__).resolve().parents[2] / APP_FILE), default_timeout=120)
    app.session_state[auth.SESSION_KEY] = auth.Session(member, "password", auth.now(), auth.now())
    for key, value in (pair.split("=") for pair in VIEW.split("&")):
        app.query_params[key] = value
    with captured_downloads(monkeypatch) as found:
        app.switch_page("app_pages/trends.py").run()
    assert not app.exception
    return found


def _cli(*args: str) -> int:
    return main([f"{ROOT}/trends?{VIEW}", *args])


def _cells(xlsx: bytes) -> list[list]:
    """Every sheet's values (the file's own timestamps aside)."""
    book = openpyxl.load_workbook(io.BytesIO(xlsx))
    return [[list(row) for row in sheet.iter_rows(values_only=True)] for sheet in book]


def test_the_command_line_gives_the_pages_files_and_audits_each(demo_env, member, monkeypatch, tmp_path, capsys):
    settings = get_settings()
    downloads = _page_downloads(member, monkeypatch)
    first = last_audit_id(settings)
    for fmt in ("csv", "xlsx", "png"):
        name, make = next((n, m) for n, m in downloads.items() if n.endswith(f".{fmt}") and ".excel." not in n)
        start = last_audit_id(settings)
        assert _cli("--format", fmt, "--user", member, "-o", str(tmp_path / name)) == 0
        assert audit_rows(settings, start, "export") == [(member, "export", "ok")]  # the command line's one row
        detail = json.loads(warehouse_rows(settings, "SELECT detail FROM audit_log WHERE id > ?", [start])[0][0])
        assert detail["kind"] == fmt and detail["via"] == "command line" and detail["file_name"] == name
        made, shown = (tmp_path / name).read_bytes(), make()
        if fmt == "xlsx":
            assert _cells(made) == _cells(shown)
        else:
            assert made == shown, fmt
    assert "trends.chart" in capsys.readouterr().out
    # As the page's download does, the first export keeps the figure at the public link its citation names.
    assert audit_rows(settings, first, "figure_public") == [(member, "figure_public", "ok")]
    xlsx = next(path for path in tmp_path.iterdir() if path.suffix == ".xlsx")
    texts = [str(value) for sheet in _cells(xlsx.read_bytes()) for row in sheet for value in row]
    codes = {code for text in texts for code in re.findall(rf"{ROOT}/f/(TK-\d+-[0-9a-f]+)", text)}
    assert len(codes) == 1 and sum("/f/TK-" in text for text in texts) == 3  # the two citations and Sources
    assert public_figures.is_public(settings, codes.pop(), "fi")


def test_the_latest_version_instead_of_the_address_and_a_version_not_kept(demo_env, member, tmp_path, capsys):
    current = snapshots.current(get_settings())
    assert current is not None
    version = current.version
    out = tmp_path / "latest.csv"
    assert _cli("--format", "csv", "--user", member, "--latest", "-o", str(out)) == 0
    assert main([f"{ROOT}/trends?{VIEW}&v=999", "--format", "csv", "--user", member, "-o", str(out)]) == 3
    said = capsys.readouterr()
    assert f"tietoversio {version}" in said.out  # the message is in the address's language
    assert "--latest" in said.err and "999" in said.err


@pytest.mark.parametrize(
    ("address", "user", "code", "words"),
    [
        (f"{ROOT}/who?lang=sv", "advocate", 2, ["--figure", "who.countries"]),  # several figures: name one
        (f"{ROOT}/who?lang=en", "advocate", None, ["who.nothing"]),  # a figure the page does not show
        (f"{ROOT}/who?lang=en", "nobody", 3, ["nobody", "users list"]),
        (f"{ROOT}/users?lang=en", "advocate", 2, ["advocate", "users"]),  # a page the account does not see
    ],
)
def test_what_cannot_be_exported_is_said(demo_env, member, tmp_path, capsys, address, user, code, words):
    args = [address, "--format", "csv", "--user", user, "-o", str(tmp_path / "x.csv")]
    if code is None:
        args += ["--figure", "who.nothing"]
    assert main(args) == (code or 3)
    err = capsys.readouterr().err
    assert all(word in err for word in words), err
    assert "Traceback" not in err and not (tmp_path / "x.csv").exists()
