"""Reporting-round reminders by e-mail, received by a real SMTP server (aiosmtpd) on this machine."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import date
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller

from bench.harness.server import free_port
from etl.errors import InputError
from etl.i18n import t
from etl.services import rounds
from etl.services.access import AccessDenied, Caller, Role
from tests.accounts.helpers import audit_rows

STAFF = Caller("test-coordinator", Role.COORDINATOR)


class Inbox:
    def __init__(self) -> None:
        self.messages: list[tuple[list[str], EmailMessage]] = []

    async def handle_DATA(self, server, session, envelope) -> str:  # aiosmtpd calls it by this name
        self.messages.append((list(envelope.rcpt_tos), message_from_bytes(envelope.content, policy=policy.default)))
        return "250 OK"


@pytest.fixture
def inbox() -> Iterator[tuple[Inbox, int]]:
    box, port = Inbox(), free_port()
    server = Controller(box, hostname="127.0.0.1", port=port)
    server.start()
    yield box, port
    server.stop()


def test_each_address_gets_its_own_reminder_in_the_chosen_language(tiny_settings, inbox):
    box, port = inbox
    mail = dataclasses.replace(
        tiny_settings, smtp_host="127.0.0.1", smtp_port=port, smtp_starttls=False, smtp_sender="ikv@example.fi"
    )
    chosen = rounds.open_round(mail, STAFF, "2025H2", date(2026, 1, 31), ["PERS_NEW"])
    sent = rounds.send_reminders(mail, STAFF, chosen, ["b@example.fi", "a@example.fi", "a@example.fi"], "sv")
    assert sent == 2
    assert [to for to, _ in box.messages] == [["a@example.fi"], ["b@example.fi"]]  # nobody sees another's address
    _, first = box.messages[0]
    assert (first["From"], first["To"]) == ("ikv@example.fi", "a@example.fi")
    assert first["Subject"] == t("rounds.reminder_subject", "sv", period="2025H2")
    assert (
        first.get_content().replace("\r\n", "\n").strip() == rounds.reminder_text(chosen, "sv").strip()
    )  # SMTP lines end in CRLF
    assert audit_rows(mail, "round_remind") == [("test-coordinator", "round_remind", "ok")]


def test_without_a_mail_server_nothing_is_sent(tiny_settings):
    chosen = rounds.open_round(tiny_settings, STAFF, "2025H2", date(2026, 1, 31), ["PERS_NEW"])
    with pytest.raises(InputError) as off:
        rounds.send_reminders(tiny_settings, STAFF, chosen, ["a@example.fi"], "fi")
    assert off.value.key == "rounds.mail_off"
    with pytest.raises(AccessDenied):
        rounds.send_reminders(tiny_settings, Caller("m", Role.MEMBER, "alfa"), chosen, ["a@example.fi"], "fi")


def test_a_server_that_does_not_answer_is_said_so_and_logged(tiny_settings):
    mail = dataclasses.replace(
        tiny_settings, smtp_host="127.0.0.1", smtp_port=free_port(), smtp_starttls=False, smtp_sender="ikv@example.fi"
    )  # nothing listens there
    chosen = rounds.open_round(mail, STAFF, "2025H2", date(2026, 1, 31), ["PERS_NEW"])
    with pytest.raises(rounds.MailFailed) as failed:
        rounds.send_reminders(mail, STAFF, chosen, ["a@example.fi"], "en")
    assert failed.value.key == "rounds.mail_failed"
    assert "0" in failed.value.message("en")
    assert audit_rows(mail, "round_remind") == [("test-coordinator", "round_remind", "failed")]
