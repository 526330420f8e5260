"""Reporting rounds: a period staff ask the members to report, by a deadline, with the measures expected.

Staff open and close rounds (each an audit row); every signed-in person sees the open ones.
Whether a member has reported comes from its submissions (the staff read model): a pure
function of the round, the versions and the register, for the workspace pages. With a mail
server set (TILANNEKUVA_SMTP_HOST) staff may e-mail the reminder; without one nothing is sent.
"""

from __future__ import annotations

import logging
import smtplib
import sqlite3
import ssl
from dataclasses import dataclass
from datetime import date
from email.message import EmailMessage

import pandas as pd

from etl.codebook import load_codebook
from etl.config import Settings
from etl.errors import InputError, NotFoundError, TilannekuvaError
from etl.i18n import format_date, t
from etl.periods import Period, parse_period
from etl.services.access import STAFF, Caller, require
from etl.services.account_store import connect, flush, record, transaction, utcnow
from etl.warehouse.staff import RECEIVED, pair_states

log = logging.getLogger(__name__)
# A member's place in a round: sent something; not yet (deadline ahead); late; reports by year only.
STATES = ("received", "waiting", "late", "yearly")


@dataclass(frozen=True)
class Round:
    period: str
    deadline: date
    measures: tuple[str, ...]
    opened_by: str

    @property
    def parsed(self) -> Period:
        found = parse_period(self.period)
        assert found is not None  # stored only after parsing
        return found


def open_round(settings: Settings, caller: Caller | None, period: str, deadline: date, measures: list[str]) -> Round:
    """Open the round of `period` (staff only), or change the deadline and measures of its round."""
    who = require(caller, *STAFF, action="round_open")
    parsed = parse_period(period)
    if parsed is None:
        raise InputError("rounds.bad_period", period=period)
    known = load_codebook().measures
    chosen = tuple(code for code in known if code in set(measures))  # codebook order
    if not chosen or len(chosen) != len(set(measures)):
        raise InputError("rounds.bad_measures", measures=", ".join(sorted(set(measures) - set(chosen))) or "-")
    if deadline <= parsed.end:
        raise InputError("rounds.deadline_too_early", period=parsed.code, end=parsed.end)
    with connect(settings) as con, transaction(con):
        con.execute(
            "INSERT INTO reporting_round (period, deadline, measures, opened_by, opened_at) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT (period) DO UPDATE SET deadline = excluded.deadline, measures = excluded.measures, "
            "opened_by = excluded.opened_by, opened_at = excluded.opened_at, closed_at = NULL",
            [parsed.code, deadline.isoformat(), ",".join(chosen), who.username, utcnow().isoformat()],
        )
        detail = {"period": parsed.code, "deadline": deadline.isoformat(), "measures": ",".join(chosen)}
        record(settings, who.username, "round_open", "ok", detail)
    flush(settings)
    return Round(parsed.code, deadline, chosen, who.username)


def close_round(settings: Settings, caller: Caller | None, period: str) -> None:
    """Close the open round of `period` (staff only): members no longer see it."""
    who = require(caller, *STAFF, action="round_close")
    with connect(settings) as con, transaction(con):
        done = con.execute(
            "UPDATE reporting_round SET closed_at = ? WHERE period = ? AND closed_at IS NULL",
            [utcnow().isoformat(), period],
        )
        if done.rowcount == 0:
            raise NotFoundError("rounds.not_open", period=period)
        record(settings, who.username, "round_close", "ok", {"period": period})
    flush(settings)


def open_rounds(settings: Settings) -> list[Round]:
    """The rounds open now, the nearest deadline first."""
    if not settings.accounts_path.is_file():
        return []
    with connect(settings) as con:
        rows = _open_rows(con)
    return [Round(p, date.fromisoformat(d), tuple(m.split(",")), by) for p, d, m, by in rows]


def _open_rows(con: sqlite3.Connection) -> list[tuple[str, str, str, str]]:
    query = (
        "SELECT period, deadline, measures, opened_by FROM reporting_round "
        "WHERE closed_at IS NULL ORDER BY deadline, period"
    )
    return [(str(p), str(d), str(m), str(by)) for p, d, m, by in con.execute(query).fetchall()]


def states(chosen: Round, versions: pd.DataFrame, register: pd.DataFrame, today: date) -> pd.DataFrame:
    """Each member of the register during the round's period: org_code, state (one of STATES)."""
    period = chosen.parsed
    pairs = pair_states(versions)
    got = {(o, p) for o, p, s in pairs[["org_code", "period", "state"]].itertuples(index=False) if s in RECEIVED}
    sends = versions.groupby("org_code")["kind"].agg(lambda kinds: {"Y" if k == "Y" else "H" for k in kinds})
    rows = []
    for code, since, until in register[["code", "active_from", "active_to"]].itertuples(index=False):
        ended = not pd.isna(until) and pd.Timestamp(until).date() < period.start
        if pd.Timestamp(since).date() > period.end or ended:
            continue  # not a member during the period
        rows.append((code, _state(code, period, got, sends.get(code, {"H", "Y"}), chosen.deadline, today)))
    return pd.DataFrame(rows, columns=["org_code", "state"])


def _state(org: str, period: Period, got: set[tuple[str, str]], kinds: set[str], deadline: date, today: date) -> str:
    if period.half and kinds == {"Y"}:
        return "yearly"  # asked for its year in the year's round
    if (org, period.code) in got:
        return "received"
    if period.half and (org, period.year_period.code) in got:
        return "received"  # its year covers the half
    if not period.half and all((org, half.code) in got for half in period.halves()):
        return "received"  # both halves make the year
    return "late" if today > deadline else "waiting"


def measures_text(chosen: Round, lang: str) -> str:
    """The measures a round expects, by their names in `lang`."""
    book = load_codebook()
    return ", ".join(book.measures[m].label.get(lang) for m in chosen.measures)


def reminder_text(chosen: Round, lang: str) -> str:
    deadline = format_date(chosen.deadline, lang)
    return t("rounds.reminder", lang, period=chosen.period, deadline=deadline, measures=measures_text(chosen, lang))


class MailFailed(TilannekuvaError):
    exit_code = 75  # EX_TEMPFAIL: the mail server may answer later


def send_reminders(settings: Settings, caller: Caller | None, chosen: Round, addresses: list[str], lang: str) -> int:
    """E-mail the round's reminder in `lang`, one message to each address (staff only); how many were sent.

    Each message has one recipient, so no member sees another's address. One audit row.
    """
    who = require(caller, *STAFF, action="round_remind")
    if settings.smtp_host is None or settings.smtp_sender is None:
        raise InputError("rounds.mail_off")
    subject = t("rounds.reminder_subject", lang, period=chosen.period)
    body = reminder_text(chosen, lang)
    sent = 0
    try:
        with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=30) as server:
            if settings.smtp_starttls:
                server.starttls(context=ssl.create_default_context())
            if settings.smtp_user:
                server.login(settings.smtp_user, settings.smtp_password or "")
            for address in sorted(set(addresses)):
                server.send_message(_message(settings.smtp_sender, address, subject, body))
                sent += 1
    except (OSError, smtplib.SMTPException) as error:
        log.exception("the reminders of round %s (%d sent)", chosen.period, sent)
        record(settings, who.username, "round_remind", "failed", {"period": chosen.period, "sent": sent})
        flush(settings)
        raise MailFailed("rounds.mail_failed", sent=sent, reason=type(error).__name__) from None
    record(settings, who.username, "round_remind", "ok", {"period": chosen.period, "sent": sent, "lang": lang})
    flush(settings)
    return sent


def _message(sender: str, address: str, subject: str, body: str) -> EmailMessage:
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = sender, address, subject
    message.set_content(body)
    return message
