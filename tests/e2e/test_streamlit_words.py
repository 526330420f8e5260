"""Streamlit's own words on our pages follow the reader's language (issue 17, point 2).

The file uploader's button and size line are Streamlit's, in English only; the upload
page writes ours over them. Its other words, the table toolbar's and the page's `lang`
come from one script (dashboard/components/streamlit_words.py). What a sighted reader sees is the generated text, so the
test reads the computed style of the elements, as the browser draws them.
"""

from __future__ import annotations

import pytest

from bench.harness.browser import TIMEOUT_MS, idle, open_page, screenshot, sign_in, upload_file, wait_heading
from etl.config import get_settings
from etl.i18n import t
from tests.e2e.conftest import demo_account

pytestmark = pytest.mark.e2e
BUTTON = '[data-testid="stFileUploaderDropzone"] button p'
LIMIT = '[data-testid="stFileUploaderDropzoneInstructions"] span'


def _drawn(page, selector: str) -> tuple[str, str]:
    """(the element's own font size, the text its ::after draws)."""
    return tuple(
        page.locator(selector).first.evaluate(
            "el => [getComputedStyle(el).fontSize, getComputedStyle(el, '::after').content]"
        )
    )


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_the_file_uploader_speaks_the_readers_language(dashboard, page, lang):
    coordinator = demo_account("coordinator")
    open_page(page, f"{dashboard.url}/upload?lang={lang}")
    sign_in(page, coordinator.username, coordinator.password, lang)
    wait_heading(page, t("workspace.upload.title", lang))
    page.locator(BUTTON).first.wait_for()
    assert _drawn(page, BUTTON) == ("0px", f'"{t("workspace.upload.choose_file", lang)}"')
    limit = t("workspace.upload.limit", lang, mb=str(get_settings().max_upload_mb))
    assert _drawn(page, LIMIT) == ("0px", f'"{limit}"')
    screenshot(page, f"upload-words-{lang}")


def test_the_chart_toolbar_speaks_finnish(dashboard, page):
    member = demo_account("member")
    open_page(page, f"{dashboard.url}/?lang=fi")
    sign_in(page, member.username, member.password, "fi")
    wait_heading(page, t("overview.title", "fi"))
    zoom_in = page.locator('[data-testid="stPlotlyChart"] .modebar-btn[data-title="Lähennä"]')
    zoom_in.first.wait_for(state="attached")
    assert page.locator('[data-testid="stPlotlyChart"] .modebar-btn[data-title="Zoom in"]').count() == 0


@pytest.mark.parametrize(("lang", "instruction"), [("fi", "Lähetä lomake Enter-näppäimellä"), ("sv", "Tryck på Enter")])
def test_the_sign_in_forms_instruction_speaks_the_readers_language(dashboard, page, lang, instruction):
    open_page(page, f"{dashboard.url}/?lang={lang}")
    page.get_by_label(t("login.password", lang), exact=True).fill("abc")
    instructions = page.locator('[data-testid="InputInstructions"]')
    instructions.get_by_text(instruction, exact=False).wait_for()
    assert "Press Enter" not in instructions.all_inner_texts()[-1]


DROP = """() => {
    const files = new DataTransfer();
    files.items.add(new File(['a'], 'a.csv', {type: 'text/csv'}));
    const zone = document.querySelector('[data-testid="stFileUploaderDropzone"]');
    zone.dispatchEvent(new DragEvent('dragenter', {dataTransfer: files, bubbles: true}));
}"""


def test_streamlits_remove_button_drop_overlay_and_table_toolbar_speak_finnish(dashboard, page, tmp_path):
    coordinator = demo_account("coordinator")
    open_page(page, f"{dashboard.url}/upload?lang=fi")
    sign_in(page, coordinator.username, coordinator.password, "fi")
    wait_heading(page, t("workspace.upload.title", "fi"))
    assert page.evaluate("document.documentElement.lang") == "fi"

    # Dragging a file over the uploader: the overlay's words
    page.locator('[data-testid="stFileUploaderDropzone"]').first.wait_for()
    page.evaluate(DROP)
    page.locator('[data-testid="stFileUploaderDropzone"]').get_by_text("Pudota tiedosto tähän", exact=True).wait_for()
    assert page.locator('[data-testid="stFileUploaderDropzone"]').get_by_text("Drag and drop", exact=False).count() == 0

    # A chosen file: its remove button is named in Finnish for screen readers
    wrong = tmp_path / "virheellinen.csv"
    wrong.write_text("organisaatio;kausi\n", encoding="utf-8")
    upload_file(page, wrong)
    remove = page.locator('[data-testid="stFileChipDeleteBtn"] button')
    remove.first.wait_for()
    # "Cancel upload of ..." while the file travels, then "Remove ...": both in Finnish
    assert remove.first.get_attribute("aria-label") in (
        "Peruuta tiedoston virheellinen.csv lataus",
        "Poista virheellinen.csv",
    )
    page.wait_for_function(
        "(el) => el.getAttribute('aria-label') === 'Poista virheellinen.csv'", arg=remove.first.element_handle()
    )

    # The refused file's problems table: its toolbar's buttons and tooltips
    page.get_by_role("button", name=t("workspace.upload.check", "fi"), exact=True).click()
    table = page.locator('[data-testid="stMain"] [data-testid="stDataFrame"]').first
    table.wait_for(timeout=TIMEOUT_MS)
    idle(page)
    table.hover()
    buttons = page.locator('[data-testid="stElementToolbarButton"] button')
    buttons.first.wait_for()
    labels = [buttons.nth(i).get_attribute("aria-label") or "" for i in range(buttons.count())]
    assert "Hae" in labels and "Koko näyttö" in labels, labels
    assert not {"Search", "Fullscreen"} & set(labels)
    # Focus, not hover, shows the tooltip: hovering needs the mouse to stay over the table
    # (the toolbar moves off the table's edge only then), and a late layout shift moves it away.
    page.mouse.move(0, 0)
    buttons.first.focus()
    tooltip = page.locator('[role="tooltip"]').first
    tooltip.wait_for()
    assert tooltip.inner_text().strip() in ("Näytä tai piilota sarakkeita", "Hae", "Koko näyttö"), tooltip.inner_text()
    assert page.locator('[data-testid="stSkipToContent"]').inner_text() == "Siirry pääsisältöön"
    screenshot(page, "streamlit-words-fi")


def test_a_file_of_the_wrong_kind_is_refused_in_finnish_by_the_uploader(dashboard, page, tmp_path):
    coordinator = demo_account("coordinator")
    open_page(page, f"{dashboard.url}/upload?lang=fi")
    sign_in(page, coordinator.username, coordinator.password, "fi")
    wait_heading(page, t("workspace.upload.title", "fi"))
    notes = tmp_path / "muistio.txt"
    notes.write_text("ei lukuja", encoding="utf-8")
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(notes))
    chip = page.locator('[data-testid="stFileChip"]').filter(has_text="muistio.txt")
    alert = chip.locator('[role="alert"]')  # what a screen reader announces
    alert.wait_for(state="attached", timeout=TIMEOUT_MS)
    page.wait_for_function("(el) => !el.textContent.includes('Error')", arg=alert.element_handle())
    assert alert.text_content() == "Virhe: Tiedostotyyppiä text/plain ei hyväksytä."
    chip.locator('[data-testid="stFileChipName"]').hover()  # what a sighted reader sees, on pointing at the file
    tooltip = page.locator('[role="tooltip"]').filter(has_text="Tiedostotyyppiä text/plain ei hyväksytä.")
    tooltip.first.wait_for(timeout=TIMEOUT_MS)
