"""Publish a situation report: each figure as the dashboard exports it, at one data version, typeset.

A draft names its figures by dashboard address (dashboard.export.parse_address). Publishing
fixes the data version to the one served now, runs each figure's page headless for that
version and each language (the same scripts, gate and exports as a download: a hidden cell
is hidden here too), and typesets the report as PDF and DOCX (report_document). The edition is
kept by etl.publish.reports; the draft is then marked published (one audit row). Runs in its own
process (`python -m dashboard.exports.report PERIOD --user NAME`): the page runs are AppTest's.
"""

from __future__ import annotations

import argparse
import json
import logging
import shutil
import sys
from collections.abc import Callable
from datetime import date
from typing import Any

import plotly.graph_objects as go

from dashboard.export import Address, choose, page_figures, parse_address
from dashboard.exports import browser, public
from dashboard.exports.furniture import PRESETS
from dashboard.exports.provenance import FIGURE_PARAM, LANGUAGE_PARAM, VERSION_PARAM
from dashboard.exports.report_document import ReportDocument, ReportFigure, ReportSection, docx, pdf
from etl.config import Settings, get_settings
from etl.errors import InputError, NotFoundError, TilannekuvaError
from etl.i18n import LANGUAGES, format_date, platform_names, t
from etl.logs import configure
from etl.publish import reports as editions
from etl.publish import snapshots
from etl.services import account_store, reports
from etl.services.access import STAFF, require

log = logging.getLogger(__name__)
Parts = tuple[bytes, dict[str, Any]]  # a figure's PNG and its text (dashboard.exports.public.meta)


def figure_parts(settings: Settings, username: str, version: int, today: date) -> Callable[[str, str], Parts]:
    """address, lang -> the figure's parts at `version`; a page run serves every figure of its view."""
    runs: dict[tuple[str, str, str], list[Any]] = {}

    def parts(address: str, lang: str) -> Parts:
        from dashboard.components.downloads import exports_at, public_share

        named = parse_address(address)
        params = {**named.params, VERSION_PARAM: str(version), LANGUAGE_PARAM: lang}
        view = {k: v for k, v in params.items() if k != FIGURE_PARAM}
        key = (named.page.url_path, json.dumps(view, sort_keys=True), lang)
        if key not in runs:
            runs[key] = page_figures(Address(named.root, named.page, params), username, settings)
        spec = choose(runs[key], params.get(FIGURE_PARAM), named.page.url_path)
        exports = exports_at(spec, named.root, today)
        public_share(exports, username)()  # the citation names the figure's public link: it must open
        return chart_png(exports.spec.figure), public.meta(exports)

    return parts


def chart_png(figure: go.Figure) -> bytes:
    """The chart alone at A4 text width and 300 dpi. The report sets its title, table, notes and citation as
    text beside it (a download's image burns them in; here they would be said twice)."""
    paper = PRESETS["print"]
    height = int(figure.layout.height or paper.height)
    chart = go.Figure(figure)
    chart.update_yaxes(automargin=True)  # room for the members strip's label, which the page's wide plot has
    return browser.shared_server().render(chart, "png", paper.width, height, paper.scale)


def _figure(number: int, image: bytes, meta: dict[str, Any]) -> ReportFigure:
    return ReportFigure(
        number=number,
        title=str(meta["title"]),
        subtitle=str(meta["subtitle"]),
        png=image,
        alt=str(meta["summary"]),
        columns=list(meta["columns"]),
        rows=[list(row) for row in meta["rows"]],
        notes=list(meta["notes"]),
        citation=str(meta["citation"]),
        permalink=str(meta["permalink"]),
    )


def document(draft: reports.Draft, lang: str, version: int, today: date, figures: list[ReportFigure]) -> ReportDocument:
    """The report in one language; `figures` in report order."""
    names = platform_names(lang)
    numbered = iter(figures)
    sections = [
        ReportSection(
            heading=s.heading[lang],
            paragraphs=[p.strip() for p in s.text[lang].split("\n\n") if p.strip()],
            figures=[next(numbered) for _ in s.figures],
        )
        for s in draft.sections
    ]
    when = format_date(today, lang)
    cite = t("reports.cite", lang, title=draft.title[lang], period=draft.period, version=str(version), date=when)
    return ReportDocument(
        lang=lang,
        title=draft.title[lang],
        subtitle=names["platform"],
        period=draft.period,
        version=version,
        published=today,
        author=names["platform"],
        sections=sections,
        colophon=[cite, t("reports.protection", lang), t("reports.licence", lang, licence=get_settings().licence)],
    )


def build(settings: Settings, username: str, draft: reports.Draft, version: int, today: date) -> dict[str, bytes]:
    """Every file of the edition: each language's PDF and DOCX, each figure's PNG and text."""
    parts = figure_parts(settings, username, version, today)
    files: dict[str, bytes] = {}
    for lang in LANGUAGES:
        figures = []
        for number, address in enumerate(draft.figures, start=1):
            image, meta = parts(address, lang)
            files[f"figures/{number}.{lang}.png"] = image
            files[f"figures/{number}.{lang}.json"] = json.dumps(meta, ensure_ascii=False, indent=1).encode("utf-8")
            figures.append(_figure(number, image, meta))
        made = document(draft, lang, version, today, figures)
        files[f"report.{lang}.pdf"], files[f"report.{lang}.docx"] = pdf(made), docx(made)
    return files


def publish(settings: Settings, username: str, period: str, today: date | None = None) -> editions.Edition:
    """Publish the period's report under review as a new edition, at the data version served now."""
    account = account_store.get_account(settings, username)
    if account is None or account.disabled:
        raise NotFoundError("exports.cli.no_user", user=username)
    caller = require(account.caller(), *STAFF, action="report_publish")
    draft = reports.get(settings, caller, period)
    if draft.status != "review":
        raise InputError("reports.errors.not_publish", period=period)
    served = snapshots.current(settings)
    if served is None:
        raise NotFoundError("reports.errors.nothing_published")
    today = today or date.today()
    files = build(settings, username, draft, served.version, today)
    kept = editions.keep(settings, period, draft.content(), served.version, username, files)
    try:
        reports.mark_published(settings, caller, period, kept.number, served.version)
    except BaseException:  # the draft changed meanwhile: no edition without its audit row
        shutil.rmtree(kept.folder, ignore_errors=True)
        raise
    return kept


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m dashboard.exports.report", description=__doc__)
    parser.add_argument("period")
    parser.add_argument("--user", required=True)
    parser.add_argument("--lang", default="en", choices=LANGUAGES)
    args = parser.parse_args(argv)
    settings = get_settings()
    configure(settings)
    try:
        kept = publish(settings, args.user, args.period)
    except TilannekuvaError as error:
        print(error.message(args.lang), file=sys.stderr)
        return error.exit_code
    except Exception:  # the traceback goes to the log; the person reads what happened and where to look
        log.exception("publishing the report %s failed", args.period)
        print(t("reports.failed", args.lang), file=sys.stderr)
        return 1
    print(t("reports.published", args.lang, period=kept.period, edition=str(kept.number), version=str(kept.version)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
