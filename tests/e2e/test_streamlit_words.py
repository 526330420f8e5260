"""Streamlit's own words on our pages follow the reader's language (issue 17, point 2).

The file uploader's button and size line are Streamlit's, in English only; the upload
page writes ours over them. What a sighted reader sees is the generated text, so the
test reads the computed style of the elements, as the browser draws them.
"""

from __future__ import annotations

import pytest

from bench.harness.browser import open_page, screenshot, sign_in, wait_heading
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
