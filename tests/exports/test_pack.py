"""The statement pack: exactly the listed files, each the same as its single download."""

from __future__ import annotations

import io
import zipfile

import pytest
from PIL import Image

from dashboard.exports.pack import build_pack, pack_files
from etl.i18n import t
from tests.exports.conftest import sample_exports

ALT = "Muokattu kuvaus: uudet asiakkaat 1 234 vuonna 2023."


@pytest.mark.slow
def test_the_pack_holds_exactly_the_listed_files(export_server):
    exports = sample_exports("fi")
    steps: list[float] = []
    zipped = build_pack(exports, ALT, export_server, "social", lambda fraction, label: steps.append(fraction))
    archive = zipfile.ZipFile(io.BytesIO(zipped))
    stem = "test.sample-" + exports.ctx.figure_code
    assert archive.namelist() == [
        f"{stem}.png",
        f"{stem}.svg",
        f"{stem}.pdf",
        f"{stem}.csv",
        f"{stem}.excel.csv",
        f"{stem}.xlsx",
        "citation.txt",
        "alt-text.txt",
        "README.txt",
    ]
    assert archive.namelist() == list(pack_files(exports))
    assert archive.testzip() is None
    assert Image.open(io.BytesIO(archive.read(f"{stem}.png"))).size == (1200, 675)
    assert archive.read(f"{stem}.svg").lstrip().startswith(b"<svg")
    assert archive.read(f"{stem}.pdf").startswith(b"%PDF-")
    assert archive.read(f"{stem}.csv") == exports.csv()
    assert archive.read(f"{stem}.excel.csv") == exports.excel_csv()
    assert archive.read(f"{stem}.xlsx")[:2] == b"PK"
    assert archive.read("alt-text.txt").decode("utf-8") == ALT + "\n"  # the edited text, not the draft
    assert archive.read("citation.txt").decode("utf-8") == exports.citation_text()
    assert steps == sorted(steps) and steps[-1] == 1.0  # progress only moves forward and ends


def test_the_readme_explains_the_figure(monkeypatch):
    exports = sample_exports("en")
    archive = zipfile.ZipFile(io.BytesIO(build_pack(exports, "An edited description.", None, "social")))
    readme = archive.read("README.txt").decode("utf-8")
    assert readme.startswith(exports.spec.title + "\n" + exports.spec.subtitle)
    assert "An edited description." in readme
    # definitions of the measure and the breakdown come from the codebook
    assert "New clients (PERS_NEW): Persons whose first contact with the organisation was in the period." in readme
    assert "Form of exploitation (exploitation_form): LAB = Forced labour / labour exploitation" in readme
    assert (
        "Small counts. A count is shown only when it is 0 or at least 5. A count from 1 to 4 is shown as <5." in readme
    )
    # one line per symbol, with the one meaning pages and charts give it (DATA-CONTRACT 8.9), listed once
    assert "- <5 (c): 1–4 persons (hidden: a small count)\n" in readme
    assert "- x (d): hidden so that another hidden figure or one member's figures cannot be worked out" in readme
    assert readme.count("1–4 persons") == 1
    # plain text for any reader: no Markdown, no notes on how the project tests itself
    assert not any(mark in readme for mark in ("**", "`", "###", "| --- |"))
    assert "How this is tested" not in readme and "test suite" not in readme
    assert max(len(line) for line in readme.splitlines() if "http" not in line) <= 100
    assert exports.ctx.permalink in readme and "CC BY 4.0" in readme
    assert f"Public link (opens without sign-in): https://tilannekuva.example.fi/f/{exports.ctx.figure_code}" in readme
    for name in archive.namelist():
        assert f"{name}: " in readme


def test_without_a_browser_the_pack_has_everything_but_the_images():
    exports = sample_exports("sv")
    archive = zipfile.ZipFile(io.BytesIO(build_pack(exports, "Beskrivning.", None, "social")))
    assert archive.namelist() == list(pack_files(exports, with_images=False))
    assert not any(name.endswith((".png", ".svg", ".pdf")) for name in archive.namelist())
    assert t("exports.readme.no_images", "sv") in archive.read("README.txt").decode("utf-8")
