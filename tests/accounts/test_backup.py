"""Backup and restore: the drill (load, back up, delete everything, restore, same answers) and its refusals."""

import json
import shutil
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from dashboard.reading.data import QUERIES_DIR
from etl.cli.main import main
from etl.errors import BusyError, InputError, NotFoundError
from etl.ops import backup
from etl.publish import snapshots
from etl.services import account_store, accounts, signin
from etl.services.access import Caller, Role
from etl.sqlfiles import read_sql
from etl.warehouse import audit
from etl.warehouse.writer import writer_lock
from tests.signin import PASSWORD, make_account

# `loaded` (tests/accounts/conftest.py): the demo data with an account of every role, the drill's starting point

ADMIN = Caller("boss", Role.ADMIN)
# Parameter values for the dashboard's queries: the Overview's and the gate's, and a narrower view.
PARAMETER_SETS = [
    {"measure": "PERS_NEW", "dim1": "_T", "dim2": "_T", "kinds": ["Y"], "first_year": 2000, "last_year": 2099, "orgs": None,
     "dim": "sex", "series": "NAS_NEW_ADMITTED", "subset": "all", "margins": False},
    {"measure": "PERS_NEW", "dim1": "sex", "dim2": "age_group", "kinds": ["H1", "H2"], "first_year": 2018,
     "last_year": 2024, "orgs": ["demo-tuki", "demo-tyo"], "dim": "age_group", "series": "NAS_NEW_ADMITTED",
     "subset": "all", "margins": True},
    {"measure": "SERVICE_PERS", "dim1": "service_type", "dim2": "_T", "kinds": ["Y"], "first_year": 2016,
     "last_year": 2025, "orgs": None, "dim": "service_type", "series": "NAS_NEW_ADMITTED", "subset": "all",
     "margins": False},
]  # fmt: skip


def _parameters(sql: str) -> set[str]:
    return {name for statement in duckdb.extract_statements(sql) for name in statement.named_parameters}


def dashboard_answers(settings) -> dict[tuple[int, str, str], pd.DataFrame]:
    """Every query of dashboard/reading/queries on every retained snapshot, with each parameter set it takes."""
    answers = {}
    for version in snapshots.list_versions(settings):
        con = snapshots.open_snapshot(snapshots.snapshot_path(settings, version))
        try:
            for path in sorted(QUERIES_DIR.glob("*.sql")):
                sql = read_sql(path)
                wanted = _parameters(sql)
                missing = wanted - set(PARAMETER_SETS[0])
                assert not missing, f"add sample values for {missing} of {path.name} to PARAMETER_SETS"
                for params in {json.dumps({k: p[k] for k in sorted(wanted)}) for p in PARAMETER_SETS}:
                    answers[(version, path.stem, params)] = con.execute(sql, json.loads(params)).df()
        finally:
            con.close()
    return answers


def _audit_log(settings) -> list[tuple]:
    con = duckdb.connect(str(settings.warehouse_path), read_only=True)
    try:
        assert audit.verify(con) == []
        return con.execute("SELECT id, actor, action, outcome, row_hash FROM audit_log ORDER BY id").fetchall()
    finally:
        con.close()


def test_the_drill_back_up_delete_everything_restore_same_answers(loaded, tmp_path):
    answers = dashboard_answers(loaded)
    users = accounts.list_users(loaded, ADMIN)
    log = _audit_log(loaded)
    assert len(answers) >= 10 * 5 and len(users) == 4

    folder = backup.backup(loaded, tmp_path / "backups", actor="drill")
    assert folder.parent == tmp_path / "backups" and (folder / backup.MANIFEST).is_file()
    assert backup.verify(folder).data_version == 10
    shutil.rmtree(loaded.data_dir)  # the disaster

    restored = backup.restore(loaded, folder, actor="drill")
    assert restored.replaced is None and restored.seconds > 0
    after = dashboard_answers(loaded)
    assert after.keys() == answers.keys()
    for key, frame in answers.items():
        pd.testing.assert_frame_equal(after[key], frame, obj=str(key))
    assert accounts.list_users(loaded, ADMIN) == users
    assert signin.authenticate(loaded, "test-member", PASSWORD).caller() == Caller(
        "test-member", Role.MEMBER, "demo-tuki"
    )
    restored_log = _audit_log(loaded)
    assert restored_log[: len(log)] == log  # the log up to the backup, sealed chain intact
    assert ("drill", "restore", "ok") in [(a, b, c) for _, a, b, c, _ in restored_log[len(log) :]]
    assert snapshots.current(loaded).version == 10


def test_the_restored_dashboard_serves_the_same_overview(loaded, tmp_path):
    from streamlit.testing.v1 import AppTest

    from tests.signin import signed_in

    app = str(Path(__file__).resolve().parents[2] / "dashboard" / "app.py")
    expected = dashboard_answers(loaded)
    folder = backup.backup(loaded, tmp_path / "backups")
    shutil.rmtree(loaded.data_dir)
    backup.restore(loaded, folder)
    at = signed_in(AppTest.from_file(app, default_timeout=60), loaded, Role.MEMBER, "demo-tuki")
    at.query_params["lang"] = "en"
    at.run()
    assert not at.exception
    yearly = next(
        frame
        for (version, name, _), frame in expected.items()
        if version == 10 and name == "network_new_clients_by_year"
    )
    assert at.metric[0].value == f"{int(yearly['value'].iloc[-1])}"


def test_a_backup_holds_everything_with_its_hash(loaded, tmp_path):
    edition = loaded.reports_dir / "2025" / "e001"  # a published situation report: files, kept like snapshots
    edition.mkdir(parents=True)
    (edition / "report.json").write_text("{}", encoding="utf-8")
    folder = backup.backup(loaded, tmp_path / "backups")
    manifest = backup.read_manifest(folder)
    paths = {e.path for e in manifest.files}
    assert {"processed/warehouse.duckdb", "processed/CURRENT.json", "processed/accounts.sqlite3"} <= paths
    assert {p.name for p in loaded.raw_dir.iterdir()} == {Path(p).name for p in paths if p.startswith("raw/")}
    assert {f"v{v:05d}" for v in snapshots.list_versions(loaded)} == {
        p.split("/")[2] for p in paths if "snapshots/" in p
    }
    assert not any("logs/" in p or p.endswith(".writer.lock") for p in paths)
    assert "processed/reports/2025/e001/report.json" in paths
    entry = next(e for e in manifest.files if e.path.startswith("raw/"))
    assert Path(entry.path).stem == entry.sha256  # raw files are named by their hash, and the manifest agrees
    assert [p.name for p in (tmp_path / "backups").iterdir()] == [folder.name]  # no .partial left


def test_a_backup_records_itself_in_the_audit_log(loaded, tmp_path):
    backup.backup(loaded, tmp_path / "backups", actor="cli:ops")
    assert [(a, b, c) for _, a, b, c, _ in _audit_log(loaded)][-1] == ("cli:ops", "backup", "ok")


def test_a_backup_waits_for_no_one_and_refuses_while_a_write_runs(loaded, tmp_path):
    with writer_lock(loaded, "a load"), pytest.raises(BusyError):
        backup.backup(loaded, tmp_path / "backups")
    assert list((tmp_path / "backups").iterdir()) == []


def test_an_empty_data_folder_has_nothing_to_back_up(settings, tmp_path):
    with pytest.raises(NotFoundError):
        backup.backup(settings, tmp_path / "backups")


def test_an_interrupted_backup_leaves_no_backup(loaded, tmp_path, monkeypatch):
    monkeypatch.setattr(backup, "_copy_accounts", lambda *_: (_ for _ in ()).throw(OSError("disk full")))
    with pytest.raises(OSError):
        backup.backup(loaded, tmp_path / "backups")
    assert list((tmp_path / "backups").iterdir()) == []


def test_a_damaged_backup_is_refused_before_anything_changes(loaded, tmp_path):
    folder = backup.backup(loaded, tmp_path / "backups")
    victim = next(folder.glob("raw/*"))
    victim.write_bytes(victim.read_bytes() + b" ")
    before = sorted(p.relative_to(loaded.data_dir) for p in loaded.data_dir.rglob("*") if "logs" not in p.parts)
    with pytest.raises(InputError) as refused:
        backup.restore(loaded, folder, force=True, actor="ops")
    assert refused.value.key == "backup.damaged" and victim.name in refused.value.message("en")
    after = sorted(p.relative_to(loaded.data_dir) for p in loaded.data_dir.rglob("*") if "logs" not in p.parts)
    assert [p for p in after if "audit-spool" not in str(p)] == [p for p in before if "audit-spool" not in str(p)]
    assert [(a, b, c) for _, a, b, c, _ in _audit_log(loaded)][-1] == ("ops", "restore", "refused")
    assert not list(loaded.data_dir.parent.glob(".data.restoring-*"))


@pytest.mark.parametrize("damage", ["no manifest", "bad format", "escaping path", "missing file"])
def test_what_is_not_a_complete_backup_is_refused(settings, tmp_path, loaded, damage):
    folder = backup.backup(loaded, tmp_path / "backups")
    manifest = json.loads((folder / backup.MANIFEST).read_text())
    if damage == "no manifest":
        (folder / backup.MANIFEST).unlink()
    elif damage == "bad format":
        manifest["format"] = "something else"
    elif damage == "escaping path":
        manifest["files"][0]["path"] = "../../etc/passwd"
    else:
        next(folder.glob("raw/*")).unlink()
    if damage in ("bad format", "escaping path"):
        (folder / backup.MANIFEST).write_text(json.dumps(manifest))
    empty = type(loaded)(data_dir=tmp_path / "empty")
    with pytest.raises(InputError) as refused:
        backup.restore(empty, folder)
    assert refused.value.key == ("backup.damaged" if damage == "missing file" else "backup.not_a_backup")
    assert not empty.data_dir.exists()


def test_a_folder_with_data_is_replaced_only_with_force_and_kept_aside(loaded, tmp_path):
    folder = backup.backup(loaded, tmp_path / "backups")
    make_account(loaded, Role.ADMIN, username="after-the-backup")
    with pytest.raises(InputError) as refused:
        backup.restore(loaded, folder)
    assert refused.value.key == "backup.target_not_empty"
    assert account_store.get_account(loaded, "after-the-backup") is not None
    restored = backup.restore(loaded, folder, force=True)
    assert account_store.get_account(loaded, "after-the-backup") is None
    assert restored.replaced is not None and restored.replaced.name.startswith("data.before-restore-")
    kept = type(loaded)(data_dir=restored.replaced)
    assert account_store.get_account(kept, "after-the-backup") is not None


def test_a_failed_restore_leaves_the_old_folder_whole_and_no_half_copy(loaded, tmp_path, monkeypatch):
    folder = backup.backup(loaded, tmp_path / "backups")
    answers = dashboard_answers(loaded)
    copied = []
    real_copy = backup._copy_hashing

    def failing_copy(source, target):
        if len(copied) == 50:
            raise OSError("disk full")
        copied.append(target)
        return real_copy(source, target)

    monkeypatch.setattr(backup, "_copy_hashing", failing_copy)
    with pytest.raises(OSError):
        backup.restore(loaded, folder, force=True)
    assert copied and not list(loaded.data_dir.parent.glob(".data.restoring-*"))
    assert not list(loaded.data_dir.parent.glob("data.before-restore-*"))
    after = dashboard_answers(loaded)
    for key, frame in answers.items():
        pd.testing.assert_frame_equal(after[key], frame)


def test_a_fresh_clone_folder_counts_as_empty(loaded, tmp_path):
    folder = backup.backup(loaded, tmp_path / "backups")
    fresh = type(loaded)(data_dir=tmp_path / "clone" / "data")
    for placeholder in ("raw/.gitkeep", "processed/.gitkeep", "logs/tilannekuva.log"):
        (fresh.data_dir / placeholder).parent.mkdir(parents=True, exist_ok=True)
        (fresh.data_dir / placeholder).write_text("")
    restored = backup.restore(fresh, folder)
    assert restored.replaced is None
    assert (fresh.data_dir / "raw" / ".gitkeep").is_file() and (fresh.data_dir / "logs" / "tilannekuva.log").is_file()
    assert not list(fresh.data_dir.parent.glob("data.before-restore-*"))


def test_backup_and_restore_from_the_command_line(loaded, tmp_path, capsys):
    assert main(["--lang", "fi", "backup", "-o", str(tmp_path / "backups")]) == 0
    (folder,) = (tmp_path / "backups").iterdir()
    assert str(folder) in capsys.readouterr().out
    assert main(["--lang", "en", "restore", str(folder)]) == 2
    assert "already holds data" in capsys.readouterr().err
    shutil.rmtree(loaded.data_dir)
    assert main(["--lang", "sv", "restore", str(folder)]) == 0
    out = capsys.readouterr().out
    assert "Återställde" in out and "dataversion 10" in out
    assert account_store.get_account(loaded, "test-admin") is not None
