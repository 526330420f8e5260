"""A command-line load while the coordinator's upload page writes is told "busy", and nothing is corrupted.

The page writes twice: it checks and loads the file (a draft), then publishes it. For
each, the test waits until the dashboard process holds the writer lock for that step
(/proc/locks and the lock's stamp) and stops it there with SIGSTOP, so the command
released at that moment meets the lock every time, not only when it is quick enough.
The command is told busy, naming the page's step; the page then goes on and
finishes; the served version is the page's publication, whole; the command kept
nothing of its file; its retry succeeds and the audit chain verifies.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from bench.harness.browser import PROTECTION_TIMEOUT_MS, open_page, sign_in, wait_heading
from bench.harness.expected import reported_new_clients
from bench.harness.server import DashboardServer
from bench.harness.updates import update_files
from etl.config import Settings
from etl.i18n import t
from etl.publish import snapshots
from etl.warehouse import audit
from etl.warehouse.writer import writer
from tests.e2e import upload
from tests.e2e.conftest import demo_account
from tests.helpers import corrected_template
from tests.reliability.processes import HeldCommand, paused_while_writing, run_etl

pytestmark = [pytest.mark.e2e, pytest.mark.reliability]
BUSY_EXIT = 75  # etl.errors.BusyError.exit_code (EX_TEMPFAIL)


def _audit_outcomes(settings: Settings, actor: str) -> list[str]:
    with writer(settings) as con:
        assert audit.verify(con) == []
        rows = con.execute("SELECT outcome FROM audit_log WHERE actor = ? AND action = 'load' ORDER BY id", [actor])
        return [outcome for (outcome,) in rows.fetchall()]


def test_a_cli_load_while_the_upload_page_loads_and_publishes_is_told_busy(e2e_data_dir: Path, tmp_path, page):
    data_dir = tmp_path / "data"
    shutil.copytree(e2e_data_dir, data_dir)  # the demo and its accounts: the coordinator signs in
    settings = Settings(data_dir=data_dir)
    (cli_file,) = update_files(data_dir, tmp_path / "files", 1)
    before = snapshots.current(settings)
    assert before is not None
    lang, org, period = "en", "demo-tuki", "2025H1"
    with DashboardServer(data_dir, tmp_path / "streamlit.log") as server:
        coordinator = demo_account("coordinator")
        open_page(page, f"{server.url}/upload?lang={lang}")
        sign_in(page, coordinator.username, coordinator.password, lang)
        wait_heading(page, t("workspace.upload.title", lang))
        _, template = upload.template(page, f"Anti-Trafficking Support Centre (demo) ({org})", period, lang)
        corrected, total = corrected_template(template, settings, org, period)
        (tmp_path / "lomake.xlsx").write_bytes(corrected)
        attempts = [HeldCommand(data_dir, "load", str(cli_file), "--by", "second", "--publish") for _ in range(2)]

        upload.check(page, tmp_path / "lomake.xlsx", lang)
        with paused_while_writing(server.pid, settings.lock_path, "upload lomake.xlsx"):
            attempts[0].go()
            checking = attempts[0].result()
        confirm = page.get_by_text(t("workspace.upload.confirm", lang, org=org, period=period), exact=True)
        confirm.click(timeout=PROTECTION_TIMEOUT_MS)  # the confirmation comes with the preview
        publish = page.get_by_role("button", name=t("workspace.upload.publish", lang), exact=True)
        publish.click(timeout=PROTECTION_TIMEOUT_MS)
        with paused_while_writing(server.pid, settings.lock_path, "publish"):
            attempts[1].go()
            publishing = attempts[1].result()
        done = t("workspace.upload.published", lang, org=org, period=period, version=str(before.version + 1))
        page.get_by_text(done, exact=True).wait_for(timeout=PROTECTION_TIMEOUT_MS)

    busy = t("busy.writer", "en", holder="\x00").split("\x00")[0]
    for (code, _out, err), what in ((checking, "upload lomake.xlsx"), (publishing, "publish")):
        assert code == BUSY_EXIT and err.strip().startswith(busy), err
        assert f"{what} (pid {server.pid}," in err  # it names the dashboard's step that holds the lock
    served = snapshots.current(settings)
    assert served is not None and served.version == before.version + 1  # the page's publication, whole
    assert reported_new_clients(served.path)[(org, period)] == total
    sha = hashlib.sha256(cli_file.read_bytes()).hexdigest()
    assert not list(settings.raw_dir.glob(f"{sha}.*"))  # a busy attempt keeps nothing of its file

    retry = run_etl(data_dir, "load", str(cli_file), "--by", "second", "--publish")
    assert retry.returncode == 0, retry.stderr
    assert _audit_outcomes(settings, "second") == ["busy", "busy", "loaded"]  # and the chain verifies
    assert list(settings.audit_spool_dir.glob("*.json")) == []
    final = snapshots.current(settings)
    assert final is not None and final.version == before.version + 2
    assert reported_new_clients(final.path) != reported_new_clients(served.path)
