"""The checker of the load tests catches what it must: a mix of versions, numbers of another version, errors."""

from __future__ import annotations

from bench.harness.expected import Seen, caption_versions, page_problems, versions_shown
from bench.harness.streamlit_client import PageRun
from etl.i18n import t

EXPECTED = {10: {2024: 348, 2025: 363}, 11: {2024: 348, 2025: 371}}


def _run(*texts: str) -> PageRun:
    return PageRun("", "", texts=list(texts))


def _seen(versions: set[int], points: dict[int, int] | None, errors: tuple[str, ...] = ()) -> Seen:
    return Seen("", 1.0, frozenset(versions), points, errors)


def test_the_version_caption_is_read_in_every_language():
    captions = [t("common.data_version", lang, version="11", date="1. joulukuuta 2026") for lang in ("fi", "sv", "en")]
    assert caption_versions([*captions, "Data version eleven", "Some other caption 12"]) == [11, 11, 11]


def test_permalinks_and_figure_ids_name_versions_too():
    run = _run(
        t("common.data_version", "en", version="10", date="28 November 2026"),
        "http://127.0.0.1:8501/overview?lang=en&v=11",
        "Figure id: TK-10-b48f5d",
    )
    assert versions_shown(run) == {10, 11}


def test_a_consistent_page_has_no_problems():
    assert page_problems(_seen({11}, {2024: 348, 2025: 371}), EXPECTED) == []
    assert page_problems(_seen({10}, None), EXPECTED) == []  # a page without the chart: the version alone


def test_a_page_naming_two_versions_is_a_mix():
    assert page_problems(_seen({10, 11}, {2024: 348, 2025: 371}), EXPECTED) == [
        "names versions [10, 11] (exactly one expected)"
    ]


def test_numbers_of_another_version_under_this_versions_caption_are_caught():
    (problem,) = page_problems(_seen({11}, {2024: 348, 2025: 363}), EXPECTED)
    assert problem.startswith("version 11: the chart shows")


def test_a_missing_latest_year_and_an_unknown_version_are_caught():
    assert page_problems(_seen({11}, {2024: 348}), EXPECTED)
    assert page_problems(_seen({12}, None), EXPECTED) == ["names version 12, which has no complete snapshot"]
    assert page_problems(_seen(set(), None), EXPECTED) == ["names versions [] (exactly one expected)"]


def test_errors_are_problems():
    assert page_problems(_seen({10}, None, ("exception: KeyError: 'x'",)), EXPECTED) == ["exception: KeyError: 'x'"]
