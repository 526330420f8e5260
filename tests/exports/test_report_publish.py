"""Publishing the situation report on the demo: each figure at the data version served, in three languages,
as PDF and DOCX; the numbers are the published cells, small counts stay hidden; an edition never changes."""

from __future__ import annotations

import io
import json
import re

import pytest
from docx import Document
from pypdf import PdfReader

from dashboard.exports import report
from dashboard.reading import gate
from etl.errors import InputError
from etl.publish import public_figures, snapshots
from etl.publish import reports as editions
from etl.services import reports
from etl.services.access import Caller, Role
from tests.accounts.helpers import audit_rows

pytestmark = pytest.mark.slow
COORDINATOR = Caller("test-coordinator", Role.COORDINATOR)
FIGURES = (
    "http://localhost:8501/overview?fig=overview.new_clients_by_year",
    "http://localhost:8501/trends?b=sex&fig=trends.chart",
)


def _three(text: str) -> dict[str, str]:
    return {"fi": f"{text} (fi)", "sv": f"{text} (sv)", "en": f"{text} (en)"}


def _draft() -> reports.Draft:
    sections = (
        reports.Section(
            _three("Uudet asiakkaat"), _three("Verkoston jäsenet auttoivat & tukivat <uusia> asiakkaita."), FIGURES[:1]
        ),
        reports.Section(_three("Keitä he ovat"), _three("Sukupuoli."), FIGURES[1:]),
    )
    return reports.Draft("2025", _three("Tilannekatsaus 2025"), sections)


def _integers(cell: str) -> int | None:
    digits = cell.replace("\u00a0", "").replace(" ", "")
    return int(digits) if re.fullmatch(r"\d+", digits) else None


@pytest.fixture(scope="module")
def published(demo_with_accounts_dir, tmp_path_factory):
    from tests.helpers import use_data_dir

    monkeypatch = pytest.MonkeyPatch()
    settings = use_data_dir(tmp_path_factory.mktemp("report") / "data", monkeypatch, copy_of=demo_with_accounts_dir)
    reports.save(settings, COORDINATOR, _draft())
    with pytest.raises(InputError):  # a draft nobody reviewed is not published
        report.publish(settings, "test-coordinator", "2025")
    reports.submit(settings, COORDINATOR, "2025")
    kept = report.publish(settings, "test-admin", "2025")
    yield settings, kept
    monkeypatch.undo()


def test_the_edition_is_kept_audited_and_the_draft_marked_published(published):
    settings, kept = published
    served = snapshots.current(settings)
    assert (kept.period, kept.number, kept.version) == ("2025", 1, served.version)
    assert editions.editions(settings) == [kept]
    assert reports.get(settings, COORDINATOR, "2025").status == "published"
    assert audit_rows(settings, "report_publish") == [("test-admin", "report_publish", "ok")]
    names = sorted(p.relative_to(kept.folder).as_posix() for p in kept.folder.rglob("*") if p.is_file())
    assert names == sorted(
        ["report.json"]
        + [f"report.{lang}.{kind}" for lang in ("fi", "sv", "en") for kind in ("pdf", "docx")]
        + [f"figures/{n}.{lang}.{kind}" for n in (1, 2) for lang in ("fi", "sv", "en") for kind in ("png", "json")]
    )


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_each_figure_is_the_published_cells_of_the_editions_version(published, lang):
    settings, kept = published
    meta = json.loads(editions.file_bytes(kept, f"figures/1.{lang}.json"))
    assert meta["version"] == kept.version and f"v={kept.version}" in meta["permalink"]
    assert public_figures.is_public(settings, meta["code"], lang)  # the citation's public link opens
    ref = snapshots.get(settings, kept.version)
    cells = gate.network(ref, gate.View("PERS_NEW"))
    shown = dict(zip(cells["period"], gate.display(cells, lang), strict=True))
    table = {row[0]: row[1] for row in meta["rows"]}
    assert table and all(table[period] == text for period, text in shown.items() if period in table)
    assert set(shown) <= set(table)


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_no_figure_shows_a_small_count(published, lang):
    settings, kept = published
    for number in (1, 2):
        meta = json.loads(editions.file_bytes(kept, f"figures/{number}.{lang}.json"))
        for row in meta["rows"]:
            for cell in row[1:]:
                value = _integers(str(cell))
                assert value is None or value == 0 or value >= settings.disclosure_threshold, (number, row)


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_the_pdf_and_docx_hold_the_text_the_figures_their_tables_and_citations(published, lang):
    _, kept = published
    pdf_text = "\n".join(
        page.extract_text() for page in PdfReader(io.BytesIO(editions.file_bytes(kept, f"report.{lang}.pdf"))).pages
    )
    word = Document(io.BytesIO(editions.file_bytes(kept, f"report.{lang}.docx")))
    word_text = "\n".join(p.text for p in word.paragraphs)
    for number in (1, 2):
        meta = json.loads(editions.file_bytes(kept, f"figures/{number}.{lang}.json"))
        assert meta["title"] in " ".join(pdf_text.split()) and meta["title"] in word_text
        assert meta["citation"].split(".")[0] in " ".join(pdf_text.split())
    assert f"Uudet asiakkaat ({lang})" in pdf_text and f"Uudet asiakkaat ({lang})" in word_text
    assert "& tukivat <uusia>" in word_text and "& tukivat <uusia>" in " ".join(pdf_text.split())
    table_cells = {cell.text for table in word.tables for row in table.rows for cell in row.cells}
    first = json.loads(editions.file_bytes(kept, f"figures/1.{lang}.json"))
    assert {str(cell) for row in first["rows"] for cell in row} <= table_cells


def test_a_second_publication_is_a_new_edition_and_the_first_stays_as_it_was(published, tmp_path):
    settings, kept = published
    before = editions.file_bytes(kept, "report.en.pdf")
    reports.save(settings, COORDINATOR, _draft())
    reports.submit(settings, COORDINATOR, "2025")
    second = report.publish(settings, "test-coordinator", "2025")
    assert second.number == 2 and [e.number for e in editions.editions(settings, "2025")] == [2, 1]
    assert editions.file_bytes(editions.read(settings, "2025", 1), "report.en.pdf") == before


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_an_observer_reads_the_report_with_its_figures_and_downloads(published, lang):
    from etl.i18n import t
    from tests.workspace.helpers import app, open_page

    settings, kept = published
    at = open_page(app(settings, Role.OBSERVER, lang), "report")
    assert [h.value for h in at.header] == [kept.content["title"][lang]]
    assert [s.value for s in at.subheader] == [f"Uudet asiakkaat ({lang})", f"Keitä he ovat ({lang})"]
    assert len(at.image) == 2
    assert [a.alt for image in at.image for a in image.proto.imgs] == [
        json.loads(editions.file_bytes(kept, f"figures/{n}.{lang}.json"))["summary"] for n in (1, 2)
    ]
    labels = {b.label for b in at.get("download_button")}
    assert labels == {t("reports.download_pdf", lang), t("reports.download_docx", lang)}
    figure_one = json.loads(editions.file_bytes(kept, f"figures/1.{lang}.json"))
    assert at.dataframe[0].value.values.tolist() == figure_one["rows"]
