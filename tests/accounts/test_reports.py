"""The situation report's draft: staff write it in three languages, send it for review, get it back."""

from __future__ import annotations

import pytest

from etl.errors import InputError, NotFoundError
from etl.services import reports
from etl.services.access import AccessDenied, Caller, Role
from tests.accounts.helpers import audit_rows

STAFF = Caller("test-coordinator", Role.COORDINATOR)
OTHER = Caller("test-admin", Role.ADMIN)
ADDRESS = "http://localhost:8501/overview?fig=overview.new_clients_by_year"


def three(text: str) -> dict[str, str]:
    return {"fi": f"{text} fi", "sv": f"{text} sv", "en": f"{text} en"}


def draft(period: str = "2025", figures: tuple[str, ...] = (ADDRESS,)) -> reports.Draft:
    return reports.Draft(period, three("Tilannekuva"), (reports.Section(three("Johdanto"), three("Teksti"), figures),))


def test_a_draft_is_saved_read_back_sent_for_review_returned_and_resent(tiny_settings):
    saved = reports.save(tiny_settings, STAFF, draft("2025-H1"))
    assert (saved.period, saved.status, saved.updated_by) == ("2025H1", "draft", "test-coordinator")
    assert saved.sections[0].heading == three("Johdanto") and saved.figures == (ADDRESS,)
    assert reports.periods(tiny_settings, STAFF) == ["2025H1"]

    reports.submit(tiny_settings, STAFF, "2025H1")
    assert reports.get(tiny_settings, OTHER, "2025H1").status == "review"
    with pytest.raises(InputError) as twice:
        reports.submit(tiny_settings, STAFF, "2025H1")
    assert twice.value.key == "reports.errors.not_submit"
    reports.send_back(tiny_settings, OTHER, "2025H1", "Lisää lähteet.")
    back = reports.get(tiny_settings, STAFF, "2025H1")
    assert (back.status, back.comment, back.updated_by) == ("draft", "Lisää lähteet.", "test-admin")
    reports.save(tiny_settings, STAFF, draft("2025H1"))  # the fix clears the comment
    assert reports.get(tiny_settings, STAFF, "2025H1").comment is None
    rows = audit_rows(tiny_settings, "report_save", "report_submit", "report_return")
    assert sorted(rows) == sorted(
        [("test-coordinator", "report_save", "ok")] * 2
        + [("test-coordinator", "report_submit", "ok"), ("test-admin", "report_return", "ok")]
    )


@pytest.mark.parametrize(
    ("broken", "key"),
    [
        (reports.Draft("2025H3", three("T"), draft().sections), "reports.errors.period"),
        (reports.Draft("2025", {"fi": "T", "sv": "T", "en": ""}, draft().sections), "reports.errors.title_missing"),
        (reports.Draft("2025", three("T"), ()), "reports.errors.sections"),
        (draft(figures=("https://example.org/not-a-figure",)), "reports.errors.address"),
        (
            reports.Draft("2025", three("T"), (reports.Section(three("H"), {"fi": "x" * 20_001}),)),
            "reports.errors.text_long",
        ),
    ],
)
def test_a_draft_that_cannot_be_is_refused_and_nothing_is_stored(tiny_settings, broken, key):
    with pytest.raises(InputError) as refused:
        reports.save(tiny_settings, STAFF, broken)
    assert refused.value.key == key
    assert refused.value.message("sv") != refused.value.message("en")
    assert reports.periods(tiny_settings, STAFF) == []


def test_only_staff_write_or_read_drafts(tiny_settings):
    reports.save(tiny_settings, STAFF, draft())
    for caller in (Caller("m", Role.MEMBER, "alfa"), Caller("o", Role.OBSERVER), None):
        with pytest.raises(AccessDenied):
            reports.save(tiny_settings, caller, draft())
        with pytest.raises(AccessDenied):
            reports.get(tiny_settings, caller, "2025")
        with pytest.raises(AccessDenied):
            reports.submit(tiny_settings, caller, "2025")
    assert reports.get(tiny_settings, STAFF, "2025").status == "draft"


def test_a_report_without_a_draft_and_a_send_back_without_a_comment_are_refused(tiny_settings):
    with pytest.raises(NotFoundError):
        reports.get(tiny_settings, STAFF, "2024")
    reports.save(tiny_settings, STAFF, draft())
    with pytest.raises(InputError) as not_reviewed:
        reports.mark_published(tiny_settings, STAFF, "2025", 1, 1)
    assert not_reviewed.value.key == "reports.errors.not_publish"
    reports.submit(tiny_settings, STAFF, "2025")
    with pytest.raises(InputError) as empty:
        reports.send_back(tiny_settings, OTHER, "2025", "  ")
    assert empty.value.key == "reports.errors.comment"
