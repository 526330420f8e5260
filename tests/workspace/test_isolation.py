"""Isolation: a preview of an unpublished upload lives in the coordinator's session only, and restricted
results never enter a cache that sessions share."""

import inspect
import pickle
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from streamlit.runtime.caching.cache_data_api import _data_caches

from dashboard.app_pages.helpers import workspace
from dashboard.app_pages.helpers.workspace import Wizard
from dashboard.reading import data, gate
from etl.i18n import t
from etl.publish import preview, snapshots
from etl.services import workflow
from etl.services.access import Role
from etl.warehouse import staff
from tests.helpers import corrected_cells, corrected_csv
from tests.workspace.helpers import app, long_file, open_page

# Numbers found nowhere in the demo: the unpublished upload's exact figures.
SECRET = (98765, 90000, 8765)
ORG, PERIOD, LAB = "demo-tuki", "2025H1", ("PERS_NEW", "exploitation_form", "LAB", "_T", "_T")


def _extra(settings) -> int:
    """How many more new clients make the member's total the secret one."""
    return SECRET[0] - corrected_cells(settings, ORG, PERIOD, extra=0)[("PERS_NEW", "_T", "_T", "_T", "_T")]


def _cached_values() -> list[object]:
    """Every value st.cache_data holds now, in every cache of every function (unpickled)."""
    values = []
    for caches in list(_data_caches._function_caches.values()):
        for cache in list(caches.values()):
            memory = getattr(cache.storage, "_mem_cache", {})
            for key in list(memory.keys()):
                values.append(pickle.loads(memory[key]))
    return values


def _numbers(value: object) -> set[int]:
    """The whole numbers in a cached value (DataFrames and Series cell by cell)."""
    found: set[int] = set()
    frames = [value] if isinstance(value, pd.DataFrame) else [value.to_frame()] if isinstance(value, pd.Series) else []
    for frame in frames:
        for column in frame.columns:
            numeric = pd.to_numeric(frame[column], errors="coerce").dropna()
            found |= {int(v) for v in numeric if float(v).is_integer()}
    return found


def _texts(value: object) -> str:
    return value.to_csv() if isinstance(value, pd.DataFrame | pd.Series) else repr(value)


@pytest.fixture
def shared_cache_calls(monkeypatch):
    """Every path the shared connection cache and the shared query cache are asked for."""
    asked: list[str] = []
    connection, shared = data._connection, data._shared_query

    def spy_connection(path):
        asked.append(str(path))
        return connection(path)

    def spy_shared(path, name, params):
        asked.append(str(path))
        return shared(path, name, params)

    monkeypatch.setattr(data, "_connection", spy_connection)
    monkeypatch.setattr(data, "_shared_query", spy_shared)
    return asked


def _coordinator_previews(settings):
    at = open_page(app(settings, Role.COORDINATOR), "upload")
    at.selectbox(key="upload_org").set_value("demo-tuki").run()
    at.selectbox(key="upload_period").set_value("2025H1").run()
    # All the member reported, its new clients raised to the secret total: a correction, so its tables stay
    sent, total = corrected_csv(settings, ORG, PERIOD, extra=_extra(settings))
    assert total == SECRET[0]
    at.file_uploader[0].set_value(("salainen.csv", sent, "text/csv"))
    at.run()
    at.button(key="upload_check").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    wizard = at.session_state["_workspace_upload"]
    assert isinstance(wizard, Wizard) and list(wizard.previews) == ["2025H1"]
    assert wizard.previews["2025H1"][0].after is not None
    return at, wizard


def test_a_coordinators_preview_is_never_visible_to_a_members_session(ws, shared_cache_calls):
    published = snapshots.current(ws)
    coordinator, wizard = _coordinator_previews(ws)
    built, network = wizard.previews["2025H1"]
    after_path = built.after.path
    assert after_path.is_file() and preview.is_preview(ws, after_path)
    total = network[
        (network[t("workspace.preview.period", "en")] == "2025H1")
        & (network[t("workspace.preview.category", "en")] == t("workspace.total", "en"))
        & (network[t("workspace.preview.measure", "en")] == workspace.measure_label("PERS_NEW", "en"))
    ].iloc[0]
    network_before = total[t("workspace.preview.before", "en")]
    # The preview is protected anew (not the published cells copied): some network figure changes. A cell
    # hidden in the published version stays hidden in the preview too (DATA-CONTRACT 8.2), so the changed
    # figure looked at is one that was visible before and is visible after.
    before, after = t("workspace.preview.before", "en"), t("workspace.preview.after", "en")
    numeric = (
        network[before].str.replace("\u00a0", "").str.isdigit() & network[after].str.replace("\u00a0", "").str.isdigit()
    )
    changed = network[numeric & (network[before] != network[after])]
    assert not changed.empty, network
    network_after = changed.iloc[0][after]

    # A member of the very organisation, in another session, meanwhile: the published figures only.
    member = open_page(app(ws, Role.MEMBER), "my_organisation")
    member.toggle(key="myorg_halves").set_value(True).run()
    table = member.dataframe[0].value
    row = table[table[t("workspace.history.period", "en")] == "2025H1"].iloc[0]
    assert row[t("workspace.my_org.network", "en")] == network_before
    assert row[t("workspace.my_org.own", "en")] != "98\u00a0765"
    history = member.dataframe[-1].value
    assert "salainen.csv" in set(history[t("workspace.history.file_name", "en")])  # the draft is listed, as a draft
    shown = " ".join(_texts(frame.value) for frame in member.dataframe)
    assert "98\u00a0765" not in shown and "98765" not in shown and network_after not in shown.split(",")
    assert "_workspace_upload" not in member.session_state
    for page in ("overview", "data_download"):
        other = open_page(app(ws, Role.MEMBER), page)
        texts = " ".join([m.value for m in other.metric] + [_texts(f.value) for f in other.dataframe])
        assert "98\u00a0765" not in texts
    assert snapshots.current(ws) == published  # nothing was published

    # No shared cache was asked about the preview file, and none holds the upload's figures.
    assert not [p for p in shared_cache_calls if Path(p).resolve().is_relative_to(preview.preview_dir(ws).resolve())]
    values = _cached_values()
    assert values  # the pages did cache public answers: the check below looks at real entries
    lab = corrected_cells(ws, ORG, PERIOD, extra=_extra(ws))[LAB]
    unpublished = {SECRET[0], lab, int(network_after.replace("\u00a0", ""))}  # exact, and the network's after
    for value in values:
        assert str(after_path.parent) not in _texts(value)
        assert not _numbers(value) & unpublished

    # Starting again deletes the preview file.
    coordinator.button(key="upload_again").click().run()
    assert not after_path.exists()


def test_restricted_and_preview_functions_are_plain_functions_not_cached():
    """st.cache_data / st.cache_resource wrap a function in an object with .clear(); none of these is wrapped."""
    functions = [
        preview.build,
        preview.exact_changes,
        preview.published_cells,
        gate.restricted,
        gate.network,
        workspace.network_changes,
        workspace.exact_table,
        staff.submissions,
        staff.audit_log,
        staff.organisations,
        workflow.upload,
        data.run_query,
    ]
    for function in functions:
        assert inspect.isfunction(function) and not hasattr(function, "clear"), function
    assert hasattr(data._shared_query, "clear")  # what a cached function looks like, for contrast


def test_the_preview_file_is_private_and_swept(tiny_ws):
    from etl.services.access import Caller

    ws = tiny_ws  # the preview's files, not the demo's protection, are the point

    coordinator = Caller("k", Role.COORDINATOR)
    done = workflow.upload(ws, coordinator, long_file("demo-tuki", "2025H1", *SECRET), "s.csv", "demo-tuki", "2025H1")
    shown = preview.build(
        ws, coordinator, "demo-tuki", "2025H1", done.parts["2025H1"].cells, done.parts["2025H1"].version
    )
    assert shown.folder is not None and shown.folder.stat().st_mode & 0o077 == 0
    assert shown.after is not None and shown.after.path.stat().st_mode & 0o077 == 0
    assert preview.sweep(ws, hours=1) == 0
    assert preview.sweep(ws, hours=-1) == 1 and not shown.folder.exists()
    assert np.array_equal(
        shown.exact.loc[shown.exact["measure"] == "PERS_NEW", "after"].dropna().sort_values(), [8765, 90000, 98765]
    )
