"""The coordinator's commands: validate, load, template, history, withdraw, orgs, rebuild.

Registered on the parser by etl.cli.main. Every text goes through t(); problems are
printed as a table (sheet, row, column, value, message) and optionally as JSON.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import duckdb

from etl.config import Settings
from etl.errors import BusyError, InputError, NotFoundError
from etl.i18n import LANGUAGES, format_date, t
from etl.intake.problems import ERROR, Problem, errors, grouped, row_ranges

VALUE_WIDTH = 30


def _width(text: str) -> int:
    return sum(0 if unicodedata.combining(c) else 1 for c in text)


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def problem_table(problems: list[Problem], lang: str) -> str:
    """The problems as an aligned text table a person can read in a terminal or an e-mail, each distinct
    problem once with all its rows."""
    heads = [t(f"contrib.column_{name}", lang) for name in ("severity", "sheet", "row", "column", "value", "message")]
    rows = [
        [
            t(f"contrib.severity_{'error' if group.severity == ERROR else 'warning'}", lang),
            group.sheet or "",
            _cut(row_ranges(group.rows), VALUE_WIDTH),
            group.column or "",
            _cut(group.value(), VALUE_WIDTH),
            group.message,
        ]
        for group in grouped(problems, lang)
    ]
    widths = [max([_width(h)] + [_width(r[i]) for r in rows]) for i, h in enumerate(heads[:-1])]

    def line(cells: list[str]) -> str:
        padded = [c + " " * (w - _width(c)) for c, w in zip(cells[:-1], widths, strict=True)]
        return "  ".join([*padded, cells[-1]]).rstrip()

    return "\n".join([line(heads), line(["-" * w for w in widths] + ["-" * 7]), *map(line, rows)])


def _print_problems(problems: list[Problem], lang: str) -> None:
    if problems:
        print(problem_table(problems, lang))


@contextmanager
def warehouse_reader(settings: Settings) -> Iterator[duckdb.DuckDBPyConnection]:
    """The warehouse read-only (register and history), or an empty one in memory before the first load."""
    if settings.warehouse_path.is_file():
        try:
            con = duckdb.connect(str(settings.warehouse_path), read_only=True)
        except duckdb.IOException as exc:
            raise BusyError(holder="?") from exc
    else:
        from etl.warehouse.writer import ensure_schema

        con = duckdb.connect()
        ensure_schema(con)
    try:
        yield con
    finally:
        con.close()


def cmd_validate(args: argparse.Namespace, settings: Settings) -> int:
    from etl.warehouse.load import check

    path = Path(args.file)
    data = _read_file(path)
    with warehouse_reader(settings) as con:
        cells, problems, _ = check(con, data, settings)
    failed = errors(problems)
    if args.json:
        report = {
            "file": path.name,
            "rows": len(cells),
            "errors": len(failed),
            "warnings": len(problems) - len(failed),
            "problems": [p.as_dict(args.lang) for p in problems],
        }
        print(json.dumps(report, ensure_ascii=False, indent=2))
        return 1 if failed else 0
    if not problems:
        print(t("contrib.validate_clean", args.lang, file=path.name, rows=len(cells)))
        return 0
    print(
        t(
            "contrib.validate_problems",
            args.lang,
            file=path.name,
            errors=len(failed),
            warnings=len(problems) - len(failed),
        )
    )
    _print_problems(problems, args.lang)
    return 1 if failed else 0


def _read_file(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError:
        raise NotFoundError("cli.no_such_file", path=str(path)) from None


def cmd_load(args: argparse.Namespace, settings: Settings) -> int:
    from etl.warehouse.load import load_bytes

    path = Path(args.file)
    data = _read_file(path)
    started = time.perf_counter()

    def progress(stage: str, **info: Any) -> None:
        if stage == "done":
            info = {"seconds": f"{time.perf_counter() - started:.1f}"}
        print(t(f"contrib.stage_{stage}", args.lang, **info), file=sys.stderr, flush=True)

    result = load_bytes(
        data, path.name, args.by, settings, publish_now=args.publish, dry_run=args.dry_run, progress=progress
    )
    lang = args.lang
    if result.outcome == "rejected":
        print(t("contrib.outcome_rejected", lang, file=path.name, count=len(errors(result.problems))))
        if result.personal_data:
            print(t("contrib.outcome_personal", lang))
        _print_problems(result.problems, lang)
        return 1
    if result.outcome == "checked":
        print(t("contrib.outcome_checked", lang, file=path.name, rows=result.rows))
    elif result.outcome == "unchanged":
        print(t("contrib.outcome_unchanged", lang, file=path.name))
    elif result.published_version is not None:
        count = len(result.submissions)
        print(
            t(
                "contrib.outcome_loaded_published",
                lang,
                file=path.name,
                count=count,
                version=result.published_version,
            )
        )
    else:
        print(t("contrib.outcome_loaded", lang, file=path.name, count=len(result.submissions)))
    for new in result.submissions:
        pair = {"org": new["org_code"], "period": new["period"]}
        print(t("contrib.new_version", lang, **pair, version=new["version"], rows=new["rows"]))
    for org, period in result.unchanged:
        print(t("contrib.same_version", lang, org=org, period=period))
    if result.warnings:
        print(t("contrib.warnings", lang, count=len(result.warnings)))
        _print_problems(result.warnings, lang)
    return 0


def cmd_template(args: argparse.Namespace, settings: Settings) -> int:
    from etl.intake.template import write_template
    from etl.warehouse import organisations

    with warehouse_reader(settings) as con:
        known = {org.code: org for org in organisations.list_all(con)}
    org = known.get(args.org)
    if org is None:
        raise NotFoundError("orgs.not_found", org=args.org)
    lang = args.template_lang or args.lang
    path = write_template(org.code, args.period, lang, Path(args.output), org.name(lang))
    print(t("contrib.template_written", args.lang, org=org.code, period=args.period, language=lang, path=str(path)))
    return 0


def cmd_history(args: argparse.Namespace, settings: Settings) -> int:
    from etl.warehouse.history import submissions

    with warehouse_reader(settings) as con:
        entries = submissions(con, args.org)
    if not entries:
        print(t("contrib.history_empty", args.lang))
        return 0
    print(t("contrib.history_header", args.lang))
    for e in entries:
        published = "" if e.published_version is None else f"v{e.published_version}"
        if e.ended_version is not None:
            published += f"–v{e.ended_version - 1}"
        print(
            " | ".join(
                [
                    e.org_code,
                    e.period,
                    str(e.version),
                    e.status,
                    e.loaded_at.strftime("%Y-%m-%d %H:%M"),
                    e.loaded_by,
                    str(e.rows),
                    published,
                ]
            )
            + f"  ({e.file_name})"
        )
    return 0


def cmd_withdraw(args: argparse.Namespace, settings: Settings) -> int:
    """The same door as the workspace's withdraw button (etl.services.workflow), as an admin at the server."""
    from etl.periods import parse_period
    from etl.services import workflow
    from etl.services.access import Caller, Role

    period = parse_period(args.period)
    if period is None:
        raise InputError("template.bad_period", period=args.period)
    version = workflow.withdraw(settings, Caller(args.by, Role.ADMIN), args.org, period.code, args.note)
    print(t("contrib.withdrawn", args.lang, org=args.org, period=period.code, version=version))
    return 0


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(text) from None


def cmd_orgs(args: argparse.Namespace, settings: Settings) -> int:
    from etl.warehouse import organisations
    from etl.warehouse.writer import writer

    if args.orgs_command == "list":
        with warehouse_reader(settings) as con:
            found = organisations.list_all(con)
        if not found:
            print(t("contrib.orgs_empty", args.lang))
        for org in found:
            until = format_date(org.active_to, args.lang) if org.active_to else "…"
            print(
                t(
                    "contrib.org_line",
                    args.lang,
                    code=org.code,
                    name=org.name(args.lang),
                    org_type=org.org_type,
                    since=format_date(org.active_from, args.lang),
                    until=until,
                )
            )
        return 0
    with writer(settings, what=f"orgs {args.orgs_command}") as con:
        if args.orgs_command == "add":
            org = organisations.Organisation(
                args.code, args.name_fi, args.name_sv, args.name_en, args.type, args.since, args.until
            )
            organisations.add(con, org, args.by)
            print(t("contrib.org_added", args.lang, org=args.code))
        else:
            organisations.deactivate(con, args.code, args.until, args.by)
            print(t("contrib.org_deactivated", args.lang, org=args.code, date=format_date(args.until, args.lang)))
    return 0


def cmd_rebuild(args: argparse.Namespace, settings: Settings) -> int:
    from etl.ops.rebuild import rebuild

    with warehouse_reader(settings) as con:
        count = con.execute("SELECT count(*) FROM audit_log").fetchall()[0]
    print(t("contrib.rebuild_start", args.lang, count=int(count[0]) if count else 0), flush=True)

    def progress(done: int, total: int) -> None:
        print(t("contrib.rebuild_step", args.lang, done=done, count=total), file=sys.stderr, flush=True)

    report = rebuild(settings, Path(args.into) if args.into else None, replace=args.replace, progress=progress)
    if report.identical:
        print(t("contrib.rebuild_same", args.lang, versions=report.versions, tables=report.tables))
    else:
        print(t("contrib.rebuild_differs", args.lang, details="; ".join(report.differences[:10])))
    if report.replaced_by:
        print(t("contrib.rebuild_replaced", args.lang, path=str(report.replaced_by)))
    else:
        print(t("contrib.rebuild_kept", args.lang, path=str(report.folder)))
    return 0 if report.identical else 1


def _lang_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--lang", dest="sub_lang", choices=LANGUAGES, default=None, help="language of messages")


def register(commands: Any) -> None:
    """Add the coordinator's commands to the `python -m etl` parser."""
    validate = commands.add_parser("validate", help="check a file against the data contract (changes nothing)")
    validate.add_argument("file")
    validate.add_argument("--json", action="store_true", help="print the problems as JSON")
    _lang_option(validate)
    validate.set_defaults(func=cmd_validate)

    load = commands.add_parser("load", help="load a member's file as draft versions")
    load.add_argument("file")
    load.add_argument("--by", required=True, help="who loads (for the audit log)")
    load.add_argument("--publish", action="store_true", help="publish the new versions at once")
    load.add_argument("--dry-run", action="store_true", help="check only; nothing but the audit log changes")
    _lang_option(load)
    load.set_defaults(func=cmd_load)

    template = commands.add_parser("template", help="write the workbook template for a member and period")
    template.add_argument("--org", required=True)
    template.add_argument("--period", required=True, help="e.g. 2025H1 or 2025")
    template.add_argument("--lang", dest="template_lang", choices=LANGUAGES, default=None, help="template language")
    template.add_argument("-o", "--output", required=True, help="the .xlsx file to write")
    template.set_defaults(func=cmd_template)

    history = commands.add_parser("history", help="every version of every submission")
    history.add_argument("--org", default=None)
    _lang_option(history)
    history.set_defaults(func=cmd_history)

    withdraw = commands.add_parser("withdraw", help="take a member's period out of the published data")
    withdraw.add_argument("--org", required=True)
    withdraw.add_argument("--period", required=True)
    withdraw.add_argument("--by", required=True)
    withdraw.add_argument("--note", default=None)
    _lang_option(withdraw)
    withdraw.set_defaults(func=cmd_withdraw)

    orgs = commands.add_parser("orgs", help="the member register: add, list, deactivate")
    orgs_commands = orgs.add_subparsers(dest="orgs_command", required=True, metavar="ACTION")
    add = orgs_commands.add_parser("add", help="add a member organisation")
    add.add_argument("code")
    add.add_argument("--name-fi", required=True)
    add.add_argument("--name-sv", required=True)
    add.add_argument("--name-en", required=True)
    add.add_argument("--type", required=True, help="organisation type code (codebook org_types)")
    add.add_argument("--since", type=_date, required=True, help="member from (YYYY-MM-DD)")
    add.add_argument("--until", type=_date, default=None, help="member until (YYYY-MM-DD)")
    add.add_argument("--by", required=True)
    listing = orgs_commands.add_parser("list", help="list the register")
    deactivate = orgs_commands.add_parser("deactivate", help="end a membership")
    deactivate.add_argument("code")
    deactivate.add_argument("--until", type=_date, required=True, help="last day of membership (YYYY-MM-DD)")
    deactivate.add_argument("--by", required=True)
    for action in (add, listing, deactivate):
        _lang_option(action)
    orgs.set_defaults(func=cmd_orgs)

    rebuild = commands.add_parser("rebuild", help="rebuild the warehouse from data/raw and the audit log")
    rebuild.add_argument("--into", default=None, help="folder for the rebuilt data (default data/rebuilt/<time>)")
    rebuild.add_argument("--replace", action="store_true", help="put the rebuilt warehouse in place of the current")
    _lang_option(rebuild)
    rebuild.set_defaults(func=cmd_rebuild)
