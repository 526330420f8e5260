"""Command line: `python -m etl --help`."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Sequence

from etl.cli import accounts as cli_accounts
from etl.cli import contrib as cli_contrib
from etl.cli import outputs as cli_outputs
from etl.config import Settings, get_settings
from etl.errors import TilannekuvaError
from etl.i18n import LANGUAGES, format_date, format_int, t
from etl.logs import configure
from etl.publish import snapshots

log = logging.getLogger(__name__)
Command = Callable[[argparse.Namespace, Settings], int]


def cmd_demo(args: argparse.Namespace, settings: Settings) -> int:
    from etl.demo.build import build_demo

    if args.if_absent and snapshots.current(settings) is not None:
        print(t("cli.demo_present", args.lang))
        cli_accounts.print_demo_accounts(settings, args.lang)
        return 0
    print(t("cli.demo_start", args.lang, seed=str(settings.demo_seed)))
    version = build_demo(
        settings,
        progress=lambda year, files: print(t("cli.demo_round", args.lang, year=str(year), files=files), flush=True),
    )
    print(t("cli.demo_done", args.lang, version=version))
    cli_accounts.print_demo_accounts(settings, args.lang)
    return 0


def cmd_publish(args: argparse.Namespace, settings: Settings) -> int:
    from etl.publish.versions import publish_drafts
    from etl.warehouse.writer import writer

    with writer(settings, what="publish") as con:
        version = publish_drafts(con, settings, args.by, note=args.note)
    if version is None:
        print(t("cli.nothing_to_publish", args.lang))
        return 0
    print(t("cli.published", args.lang, version=version))
    return 0


def cmd_status(args: argparse.Namespace, settings: Settings) -> int:
    from etl.publish.status import read_status

    status = read_status(settings)
    lang = args.lang
    if status.version is None or status.published_at is None:
        print(t("cli.status_empty", lang))
        return 0
    print(
        t(
            "cli.status_version",
            lang,
            version=status.version,
            date=format_date(status.published_at, lang),
        )
    )
    print(
        t(
            "cli.status_counts",
            lang,
            orgs=status.organisations,
            periods=status.periods,
            cells=format_int(status.cells, lang),
        )
    )
    if status.last_load:
        print(t("cli.status_last_load", lang, **status.last_load))
    if status.drafts:
        print(t("cli.status_drafts", lang, count=status.drafts))
    return 0


def cmd_check(args: argparse.Namespace, settings: Settings) -> int:
    """For a monitoring job: one line per finding; exit 1 when any alert is due."""
    from etl.ops.monitor import check

    findings = check(settings)
    for finding in findings:
        print(t(finding.key, args.lang, **finding.params), file=sys.stderr if finding.alert else sys.stdout)
    return 1 if any(f.alert for f in findings) else 0


def cmd_docs(args: argparse.Namespace, settings: Settings) -> int:
    from etl.contract_doc import write

    print(t("cli.docs_written", args.lang, path=str(write())))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m etl", description="Tilannekuva ETL")
    parser.add_argument("--lang", choices=LANGUAGES, default=None, help="language of messages (fi, sv, en)")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    demo = commands.add_parser("demo", help="build the synthetic demo data and publish it")
    demo.add_argument("--if-absent", action="store_true", help="do nothing if data is already published")
    demo.set_defaults(func=cmd_demo)

    publish = commands.add_parser("publish", help="publish the newest draft of every organisation and period")
    publish.add_argument("--by", default="coordinator", help="who publishes (for the audit log)")
    publish.add_argument("--note", default=None, help="what changed, in a sentence")
    publish.set_defaults(func=cmd_publish)

    status = commands.add_parser("status", help="data version, counts and the last load")
    status.set_defaults(func=cmd_status)

    check = commands.add_parser("check", help="for monitoring: served version against the newest, audit spool")
    check.set_defaults(func=cmd_check)

    docs = commands.add_parser("docs", help="regenerate docs/data-contract.md from the codebook")
    docs.set_defaults(func=cmd_docs)
    cli_accounts.register(commands)  # users, backup, restore
    cli_contrib.register(commands)  # validate, load, template, history, withdraw, orgs, rebuild
    cli_outputs.register(commands)  # protection, dataset
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = get_settings()
    except TilannekuvaError as error:
        print(error.message(args.lang or "fi"), file=sys.stderr)
        return error.exit_code
    # A command's own --lang wins over the global one; a template's language is its messages' too.
    args.lang = (
        getattr(args, "sub_lang", None) or args.lang or getattr(args, "template_lang", None) or settings.default_lang
    )
    configure(settings)
    func: Command = args.func
    try:
        return func(args, settings)
    except TilannekuvaError as error:
        log.info("%s: %s", args.command, error.key)
        print(error.message(args.lang), file=sys.stderr)
        return error.exit_code
    except Exception:
        log.exception("command %s failed", args.command)
        print(t("cli.unexpected", args.lang, log=str(settings.log_path)), file=sys.stderr)
        return 1
