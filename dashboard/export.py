"""Exports from the command line: `python -m dashboard.export URL --format png -o FILE`.

URL is a page's address or a permalink as the dashboard prints it: its path names
the page, its query the view, the data version (v) and the figure (fig); its
scheme and host only name the app in the export's own links. The page script runs
headless (Streamlit's AppTest: the same scripts, gate and caches as a browser
session) for an account of the dashboard, and the figure it shows goes through
dashboard.exports exactly as the page's download does: the same bytes (PDF
metadata and image timestamps aside) and one audit row, with the account as actor.
Advocates use it to make every figure of a statement again after a revision
(--latest: the newest data version instead of the address's v).
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl, urlsplit

from dashboard.exports.furniture import DEFAULT_PRESET, PRESETS
from dashboard.exports.provenance import DEFAULT_BASE_URL, FIGURE_PARAM, LANGUAGE_PARAM, VERSION_PARAM
from dashboard.navigation import PAGES, PageDef, visible
from dashboard.presenting.figure_spec import FigureSpec
from etl.config import Settings, get_settings
from etl.durable import write_atomic
from etl.errors import InputError, NotFoundError, TilannekuvaError
from etl.i18n import LANGUAGES, t
from etl.logs import configure
from etl.services import account_store

if TYPE_CHECKING:
    from dashboard.exports.pack import Exports

log = logging.getLogger(__name__)
FORMATS = ("png", "svg", "pdf", "csv", "excel-csv", "xlsx", "pack")
APP_FILE = Path(__file__).parent / "app.py"


@dataclass(frozen=True)
class Address:
    root: str  # scheme, host and any path prefix: how the export's permalink names the app
    page: PageDef
    params: dict[str, str]

    @property
    def lang(self) -> str | None:
        return self.params.get(LANGUAGE_PARAM)


def parse_address(url: str) -> Address:
    """The page and view a copied address or permalink names (the default page for the app's root)."""
    parts = urlsplit(url.strip())
    segments = [s for s in parts.path.split("/") if s]
    by_path = {page.url_path: page for page in PAGES}
    if segments and segments[-1] not in by_path:
        raise NotFoundError("exports.cli.no_page", path=parts.path, pages=", ".join(by_path))
    page = by_path[segments[-1]] if segments else PAGES[0]
    prefix = segments[:-1]  # an app served under a path prefix
    root = f"{parts.scheme}://{parts.netloc}" + "".join(f"/{s}" for s in prefix) if parts.netloc else DEFAULT_BASE_URL
    return Address(root, page, dict(parse_qsl(parts.query, keep_blank_values=True)))


def page_figures(address: Address, username: str, settings: Settings, timeout: int = 120) -> list[FigureSpec]:
    """Run the page for the view as `username` would see it; the FigureSpecs it shows, in order."""
    from streamlit.testing.v1 import AppTest

    from dashboard import auth
    from dashboard.components import chart

    account = account_store.get_account(settings, username)
    if account is None or account.disabled:
        raise NotFoundError("exports.cli.no_user", user=username)
    if address.page not in visible(PAGES, account.caller()):
        raise InputError("exports.cli.not_allowed", user=username, page=address.page.url_path)
    app = AppTest.from_file(str(APP_FILE), default_timeout=timeout)
    app.session_state[auth.SESSION_KEY] = auth.Session(username, "cli", auth.now(), auth.now())
    for key, value in address.params.items():
        app.query_params[key] = value
    with chart.collecting() as shown:
        app.switch_page(f"app_pages/{address.page.file}").run()
    if app.exception:
        log.error("page %s failed for the command-line export: %s", address.page.url_path, app.exception[0].value)
        raise TilannekuvaError("exports.cli.page_failed", page=address.page.url_path, log=str(settings.log_path))
    return shown


def choose(shown: list[FigureSpec], figure_id: str | None, page: str) -> FigureSpec:
    """The figure the address or --figure names; the page's only one when it shows one."""
    listed = "; ".join(f"{spec.figure_id} ({spec.title})" for spec in shown)
    if not shown:
        raise NotFoundError("exports.cli.no_figure", page=page)
    if figure_id:
        for spec in shown:
            if spec.figure_id == figure_id:
                return spec
        raise NotFoundError("exports.cli.unknown_figure", page=page, figure=figure_id, figures=listed)
    if len(shown) > 1:
        raise InputError("exports.cli.choose_figure", page=page, count=str(len(shown)), figures=listed)
    return shown[0]


def export_file(
    spec: FigureSpec, root: str, fmt: str, preset: str, today: date
) -> tuple[str, str, Callable[[], bytes], dict[str, object], Exports]:
    """(audit kind, file name, maker of the bytes, audit detail, the figure's exports): what the page's
    download button gives."""
    from dashboard.components.downloads import about, exports_at
    from dashboard.exports import browser
    from dashboard.exports.alt_text import draft_alt_text
    from dashboard.exports.pack import build_pack

    exports = exports_at(spec, root, today)
    detail = {**about(exports), "via": "command line"}
    if fmt in ("png", "svg", "pdf"):

        def image() -> bytes:
            return exports.image(browser.shared_server(), fmt, preset)

        return fmt, exports.name(fmt, preset), image, detail, exports
    if fmt == "pack":
        server = browser.shared_server() if browser.find_browser() else None

        def pack() -> bytes:
            return build_pack(exports, draft_alt_text(spec, exports.table, exports.ctx), server, preset)

        return "pack", exports.name("zip"), pack, detail, exports
    kind = fmt.replace("-", "_")
    makers = {"csv": exports.csv, "excel_csv": exports.excel_csv, "xlsx": exports.xlsx}
    return kind, exports.name(fmt.replace("excel-csv", "excel.csv")), makers[kind], detail, exports


def run(args: argparse.Namespace, settings: Settings) -> str:
    """Export one figure; the line to print."""
    from dashboard.components.audited import record_export

    address = parse_address(args.url)
    if args.latest:
        address.params.pop(VERSION_PARAM, None)
    shown = page_figures(address, args.user, settings)
    spec = choose(shown, args.figure or address.params.get(FIGURE_PARAM), address.page.url_path)
    asked = address.params.get(VERSION_PARAM)
    if asked and asked != str(spec.snapshot.version):  # the page fell back to the current version
        raise NotFoundError("exports.cli.version_gone", version=asked, current=str(spec.snapshot.version))
    kind, name, make, detail, exports = export_file(spec, address.root, args.format, args.size, date.today())
    output = args.output or Path(name)
    payload = make()
    write_atomic(output, payload)
    record_export(settings, args.user, kind, name, detail)
    _share(exports, args.user)
    return t(
        "exports.cli.written", spec.lang, file=str(output), figure=spec.figure_id, version=str(spec.snapshot.version)
    )


def _share(exports: Exports, user: str) -> None:
    """Keep the figure at its public link as the page's download does: the file's citation names it."""
    from dashboard.components.downloads import public_share

    try:
        public_share(exports, user)()
    except Exception:  # the file is written and audited; the link is made by the next download
        log.exception("the public link of %s after a command-line export", exports.ctx.figure_code)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m dashboard.export",
        description="Export one figure of the dashboard as its page's download gives it (audited).",
    )
    parser.add_argument("url", help="the page's address or a permalink (path and query; the host names the app)")
    parser.add_argument("--format", choices=FORMATS, required=True, help="the file to make")
    parser.add_argument(
        "--size", choices=list(PRESETS), default=DEFAULT_PRESET, help="image size (png, svg, pdf, pack)"
    )
    parser.add_argument("--figure", default=None, help="which chart of the page (a permalink names it: fig=...)")
    parser.add_argument("--user", required=True, help="the dashboard account the export is made and audited for")
    parser.add_argument("--latest", action="store_true", help="the newest data version, whatever the address's v=")
    parser.add_argument("-o", "--output", type=Path, default=None, help="file to write (default: the export's name)")
    parser.add_argument("--lang", choices=LANGUAGES, default=None, help="language of messages (default: the address's)")
    return parser


def _quiet_streamlit() -> None:
    """A headless run's notes (no browser session, widgets seeded from the address) are not the user's."""
    from streamlit import config
    from streamlit import logger as streamlit_logger

    config.set_option("logger.level", "error")
    config.set_option("global.disableWidgetStateDuplicationWarning", True)
    streamlit_logger.set_log_level("error")


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    _quiet_streamlit()
    lang = args.lang or dict(parse_qsl(urlsplit(args.url).query)).get(LANGUAGE_PARAM) or "fi"
    try:
        settings = get_settings()
        configure(settings)
        lang = args.lang or dict(parse_qsl(urlsplit(args.url).query)).get(LANGUAGE_PARAM) or settings.default_lang
        print(run(args, settings))
        return 0
    except TilannekuvaError as error:
        log.info("export %s: %s", args.url, error.key)
        print(error.message(lang if lang in LANGUAGES else "fi"), file=sys.stderr)
        return error.exit_code
    except Exception:
        log.exception("command-line export of %s failed", args.url)
        print(
            t("cli.unexpected", lang if lang in LANGUAGES else "fi", log=str(get_settings().log_path)), file=sys.stderr
        )
        return 1


if __name__ == "__main__":
    sys.exit(main())
