"""Chart colours: every mark at least 3:1 against the white plot (WCAG 1.4.11), one colour per category."""

import pytest

from dashboard.presenting import theme

MARKS = {
    **{f"category {i + 1}": colour for i, colour in enumerate(theme.CATEGORY_COLOURS)},
    "network": theme.NETWORK,
    "reference": theme.REFERENCE,
    "unknown": theme.MUTED,
    "other": theme.OTHER,
    "hidden mark": theme.HIDDEN,
    "series break": theme.BREAK,
    "reported": theme.REPORTED,
}


def contrast(colour: str, background: str = "#FFFFFF") -> float:
    """WCAG 2 contrast ratio of two "#RRGGBB" colours (1 to 21)."""

    def luminance(hex_colour: str) -> float:
        channels = [int(hex_colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    lighter, darker = sorted((luminance(colour), luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def test_the_contrast_formula_matches_wcag():
    assert contrast("#000000") == pytest.approx(21.0)
    assert contrast("#767676") == pytest.approx(4.54, abs=0.01)  # the lightest grey for text on white
    assert contrast("#F0E442") == pytest.approx(1.32, abs=0.01)  # Okabe-Ito's yellow: why it was darkened


@pytest.mark.parametrize(("name", "colour"), MARKS.items())
def test_every_mark_colour_has_3_to_1_against_the_plot(name, colour):
    assert contrast(colour) >= 3.0, f"{name} {colour}: {contrast(colour):.2f}:1"


def test_every_category_has_its_own_colour_and_other_differs_from_unknown():
    assert len(set(theme.CATEGORY_COLOURS)) == len(theme.CATEGORY_COLOURS)
    assert theme.OTHER not in theme.CATEGORY_COLOURS and theme.MUTED not in theme.CATEGORY_COLOURS
    assert abs(contrast(theme.OTHER) - contrast(theme.MUTED)) > 1.5  # told apart by lightness too


def test_captions_are_drawn_dark_enough_for_small_text():
    assert contrast(theme.CAPTION_TEXT) >= 4.5  # WCAG 1.4.3 for text under 18 pt
