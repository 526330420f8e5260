"""The open data interface (dashboard/api.py, etl.publish.open_data) on the tiny warehouse, as Starlette calls it."""

from __future__ import annotations

import asyncio
import csv
import inspect
import io
import json
import re
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest
from starlette.requests import Request
from starlette.responses import Response

from dashboard import api
from etl.config import Settings
from etl.i18n import t
from etl.publish import dataset, open_data, snapshots
from etl.services import api_tokens, web_sessions
from etl.services.access import Caller, Role
from tests.signin import make_account


def _get(path: str, query: str = "", cookie: str = "", address: str = "10.0.0.1", bearer: str = "") -> Response:
    (route,) = [route for route in api.ROUTES if route.path == path]
    headers = [(b"cookie", f"{web_sessions.COOKIE}={cookie}".encode())] if cookie else []
    headers += [(b"authorization", f"Bearer {bearer}".encode())] if bearer else []
    scope = {"type": "http", "method": "GET", "path": path, "headers": headers, "query_string": query.encode()}
    scope |= {"scheme": "http", "server": ("127.0.0.1", 8501), "client": (address, 50000)}
    answer = route.endpoint(Request(scope))
    return asyncio.run(answer) if inspect.iscoroutine(answer) else answer


@pytest.fixture
def cookie(tiny_settings: Settings, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setattr(api, "_recent", type(api._recent)(api._recent.default_factory))  # a fresh rate window
    make_account(tiny_settings, Role.MEMBER, org_code="alfa")
    token = web_sessions.open_session(tiny_settings, web_sessions.grant(tiny_settings, "test-member"))
    assert token is not None
    return token


def _download_page_rows(settings: Settings, lang: str) -> list[dict[str, str]]:
    """The whole dataset CSV as the Download page writes it, read back."""
    ref = snapshots.current(settings)
    assert ref is not None
    cells = dataset.published_cells(ref.path, settings.disclosure_threshold, snapshots.earlier(settings, ref.version))
    return list(csv.DictReader(io.StringIO(dataset.to_csv(cells, ref.version, lang).decode())))


def test_the_catalogue_names_versions_measures_breakdowns_and_code_lists(tiny_settings, cookie):
    answer = _get("/api/v1/", cookie=cookie)
    assert answer.status_code == 200
    body = json.loads(bytes(answer.body))
    assert body["current_version"] == snapshots.current(tiny_settings).version
    assert body["versions"] == snapshots.list_versions(tiny_settings)
    new = next(m for m in body["measures"] if m["code"] == "PERS_NEW")
    assert new["label"]["sv"] and "" in new["breakdowns"] and "exploitation_form" in new["breakdowns"]
    assert {"fi", "sv", "en"} == set(body["code_lists"]["sex"][0]["label"])
    assert body["formats"] == ["csv", "json", "sdmx"]


@pytest.mark.parametrize("lang", ["fi", "en"])
def test_a_table_is_the_download_pages_rows_of_it_in_csv_and_json(tiny_settings, cookie, lang):
    answer = _get("/api/v1/data", f"measure=PERS_NEW&breakdown=exploitation_form&lang={lang}", cookie=cookie)
    assert answer.status_code == 200 and answer.media_type.startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(bytes(answer.body).decode())))
    expected = [
        row
        for row in _download_page_rows(tiny_settings, lang)
        if (row["measure"], row["dim1"], row["dim2"]) == ("PERS_NEW", "exploitation_form", "_T")
    ]
    assert rows == expected and len(rows) >= 2
    as_json = json.loads(
        bytes(
            _get(
                "/api/v1/data", f"measure=PERS_NEW&breakdown=exploitation_form&lang={lang}&format=json", cookie=cookie
            ).body
        )
    )
    assert [{k: "" if v is None else str(v) for k, v in cell.items()} for cell in as_json["cells"]] == expected
    threshold = tiny_settings.disclosure_threshold
    assert all(
        cell["value"] is None or not 0 < cell["value"] < threshold for cell in as_json["cells"]
    )  # no small count


def test_years_and_an_earlier_version(tiny_settings, cookie):
    first = snapshots.list_versions(tiny_settings)[0]
    answer = _get("/api/v1/data", f"measure=PERS_NEW&years=2023&version={first}&format=sdmx", cookie=cookie)
    assert answer.status_code == 200 and answer.headers["x-data-version"] == str(first)
    lines = bytes(answer.body).decode().splitlines()
    assert len(lines) > 1 and all("2023" in line for line in lines[1:])


@pytest.mark.parametrize(
    ("query", "name"),
    [
        ("measure=NOPE", "measure"),
        ("measure=PERS_NEW&breakdown=colour", "breakdown"),
        ("measure=PERS_NEW&format=xls", "format"),
        ("measure=PERS_NEW&years=last", "years"),
    ],
)
def test_a_wrong_parameter_is_named_in_the_readers_language(cookie, query, name):
    answer = _get("/api/v1/data", query + "&lang=sv", cookie=cookie)
    assert answer.status_code == 400
    message = json.loads(bytes(answer.body))["error"]
    value = dict(part.split("=") for part in query.split("&"))[name if name != "breakdown" else "breakdown"]
    assert message == t("api.bad_parameter", "sv", name=name, value=value)


def test_an_unknown_version_is_not_found(cookie):
    answer = _get("/api/v1/data", "measure=PERS_NEW&version=999&lang=en", cookie=cookie)
    assert answer.status_code == 404
    assert json.loads(bytes(answer.body))["error"] == t("snapshot.not_found", "en", version=999)


def test_without_a_session_only_public_mode_answers(tiny_settings, cookie, monkeypatch):
    assert _get("/api/v1/", "lang=en").status_code == 401
    assert _get("/api/v1/", cookie="forged-or-ended").status_code == 401
    web_sessions.close(tiny_settings, cookie)
    assert _get("/api/v1/", cookie=cookie).status_code == 401  # signed out
    monkeypatch.setenv("TILANNEKUVA_PUBLIC_MODE", "true")
    assert _get("/api/v1/data", "measure=PERS_NEW").status_code == 200


def test_too_many_requests_from_one_address_are_refused_for_a_minute(cookie, monkeypatch):
    monkeypatch.setenv("TILANNEKUVA_API_REQUESTS_PER_MINUTE", "3")  # the setting: 120 unless set
    assert [_get("/api/v1/", cookie=cookie).status_code for _ in range(4)] == [200, 200, 200, 429]
    assert _get("/api/v1/", cookie=cookie, address="10.0.0.2").status_code == 200  # another address


def test_every_example_in_docs_api_is_a_valid_question():
    text = (Path(__file__).resolve().parents[2] / "docs" / "api.md").read_text(encoding="utf-8")
    examples = re.findall(r"/api/v1/data\?[^\s\"'`]+", text)
    assert len(examples) >= 4
    for example in examples:
        open_data.parse(dict(parse_qsl(urlsplit(example).query)))  # raises BadRequest on a wrong one


def test_a_script_with_a_token_staff_issued_is_answered_until_it_is_revoked(tiny_settings, cookie):
    staff = Caller("test-coordinator", Role.COORDINATOR)
    make_account(tiny_settings, Role.COORDINATOR)
    made, token = api_tokens.issue(tiny_settings, staff, "a researcher's script")
    assert _get("/api/v1/data", "measure=PERS_NEW", bearer=token).status_code == 200
    assert _get("/api/v1/data", "measure=PERS_NEW", bearer="tk_made-up").status_code == 401
    api_tokens.revoke(tiny_settings, staff, made.id)
    assert _get("/api/v1/data", "measure=PERS_NEW", bearer=token).status_code == 401


def test_a_version_read_once_is_answered_from_memory_with_the_same_bytes(tiny_settings, cookie, monkeypatch):
    monkeypatch.setattr(open_data, "_cells", type(open_data._cells)())  # nothing read yet
    query = open_data.parse({"measure": "PERS_NEW", "format": "json"})
    assert not open_data.in_memory(open_data.source(tiny_settings, query))  # the first answer reads the snapshot
    first = _get("/api/v1/data", "measure=PERS_NEW&format=json", cookie=cookie)
    assert open_data.in_memory(open_data.source(tiny_settings, query))  # later ones are made inline from memory
    again = _get("/api/v1/data", "measure=PERS_NEW&format=json", cookie=cookie)
    assert first.status_code == again.status_code == 200 and bytes(first.body) == bytes(again.body)
    assert json.loads(bytes(again.body))["cells"]


def test_an_observer_gets_the_network_cells_only_never_an_organisations_own(tiny_settings, cookie):
    make_account(tiny_settings, Role.OBSERVER)
    observer = web_sessions.open_session(tiny_settings, web_sessions.grant(tiny_settings, "test-observer"))
    query = "measure=PERS_NEW&breakdown=exploitation_form&lang=en"
    answer = _get("/api/v1/data", query, cookie=observer)
    assert answer.status_code == 200
    rows = list(csv.DictReader(io.StringIO(bytes(answer.body).decode())))
    assert rows == list(csv.DictReader(io.StringIO(bytes(_get("/api/v1/data", query, cookie=cookie).body).decode())))
    assert not {"org", "org_code", "organisation"} & set(rows[0])  # the same network table a member gets
    asked = _get("/api/v1/data", query + "&org=alfa", cookie=observer)  # no parameter opens one member's figures
    assert bytes(asked.body) == bytes(answer.body)
