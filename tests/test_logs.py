"""The log file lives in the data folder; a record after that folder is gone is dropped quietly."""

import logging
import shutil

from etl import logs
from etl.config import Settings


def test_a_record_after_the_data_folder_is_removed_is_dropped_without_an_error(tmp_path, capsys):
    folder = tmp_path / "data"
    logs.configure(Settings(data_dir=folder))
    logging.getLogger("tests.logs").info("first")
    assert "first" in (folder / "logs" / "tilannekuva.log").read_text(encoding="utf-8")
    handler = logs._handler
    assert handler is not None
    handler.close()  # as when the folder's handler is replaced and a finaliser logs afterwards
    shutil.rmtree(folder)
    logging.getLogger("tests.logs").info("after the folder is gone")
    assert not folder.exists()  # not recreated
    assert "Traceback" not in capsys.readouterr().err
    logs.configure(Settings(data_dir=tmp_path / "other"))  # a new folder gets the records again
    logging.getLogger("tests.logs").info("second")
    assert "second" in (tmp_path / "other" / "logs" / "tilannekuva.log").read_text(encoding="utf-8")
