"""What every export states beside the numbers: network, data version and its date, retrieval, permalink.

Pure: built from a FigureSpec, the app's address and today's date, so tests and
benchmarks build the same context the dashboard does.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime
from urllib.parse import urlencode

from dashboard.presenting.figure_spec import FigureSpec
from etl.config import Settings, get_settings
from etl.i18n import t

VERSION_PARAM = "v"  # dashboard.reading.data.view_snapshot() reads it
FIGURE_PARAM = "fig"  # which chart of the page a permalink is for (the command-line export reads it)
DEFAULT_BASE_URL = "http://localhost:8501"
LANGUAGE_PARAM = "lang"


@dataclass(frozen=True)
class ExportContext:
    lang: str
    network: str  # the network's name in `lang`
    version: int
    published: date  # when that data version was published
    retrieved: date  # when this export was made
    permalink: str
    figure_code: str  # printed small on every image, e.g. "TK-10-3f9a2c"
    licence: str
    threshold: int
    synthetic: bool = False  # the demo dataset: every export says so
    root: str = DEFAULT_BASE_URL  # the app's address: public figure links start with it
    public_links: bool = False  # the setting public_figure_links: a download keeps the figure at public_link

    @property
    def public_link(self) -> str:
        """The figure's address that opens without sign-in (etl.publish.public_figures)."""
        return f"{self.root.rstrip('/')}/f/{self.figure_code}"

    @property
    def cited_link(self) -> str:
        """The link a citation gives: the public one when the figure opens there (a reader of a statement
        has no account), else the dashboard's permalink."""
        return self.public_link if self.public_links else self.permalink


def figure_code(spec: FigureSpec) -> str:
    """A short id for this figure at this data version: the chart, its view (not its language), the version."""
    view = sorted((k, v) for k, v in spec.view.items() if k != LANGUAGE_PARAM)
    digest = hashlib.sha256(repr((spec.figure_id, view, spec.snapshot.version)).encode("utf-8")).hexdigest()
    return f"TK-{spec.snapshot.version}-{digest[:6]}"


def app_root(url: str | None, page: str) -> str:
    """The app's address without the page path that st.context.url carries."""
    if not url:
        return DEFAULT_BASE_URL
    url = url.split("?", 1)[0].split("#", 1)[0].rstrip("/")
    if page and url.endswith("/" + page):
        url = url[: -len(page) - 1]
    return url


def permalink(root: str, spec: FigureSpec) -> str:
    """A link that reopens this view at this data version (?v=N), in the same language, naming the figure."""
    params = {k: v for k, v in spec.view.items() if k != "page"}
    params.setdefault(LANGUAGE_PARAM, spec.lang)
    params[VERSION_PARAM] = str(spec.snapshot.version)
    params[FIGURE_PARAM] = spec.figure_id
    page = spec.view.get("page", "")
    return f"{root.rstrip('/')}/{page}?{urlencode(sorted(params.items()), safe=',')}"


def _day(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value


def build_context(
    spec: FigureSpec,
    root: str = DEFAULT_BASE_URL,
    today: date | None = None,
    settings: Settings | None = None,
    synthetic: bool = False,
) -> ExportContext:
    settings = settings or get_settings()
    return ExportContext(
        lang=spec.lang,
        network=t("exports.network", spec.lang),
        version=spec.snapshot.version,
        published=_day(spec.snapshot.published_at),
        retrieved=today or date.today(),
        permalink=permalink(root, spec),
        figure_code=figure_code(spec),
        licence=settings.licence,
        threshold=settings.disclosure_threshold,
        synthetic=synthetic,
        root=root,
        public_links=settings.public_figure_links,
    )


def source_line(spec: FigureSpec, ctx: ExportContext) -> str:
    """Source: network, who reported, data version and its date, retrieval date."""
    members = f" ({spec.members_reported})" if spec.members_reported else ""
    text = t(
        "exports.source_line",
        ctx.lang,
        network=ctx.network,
        members=members,
        version=str(ctx.version),
        published=ctx.published,
        retrieved=ctx.retrieved,
    )
    return text + (" " + t("exports.synthetic", ctx.lang) if ctx.synthetic else "")


def licence_line(ctx: ExportContext) -> str:
    return t("exports.licence_line", ctx.lang, licence=ctx.licence, code=ctx.figure_code)


def members_text(members: list[int], lang: str) -> str:
    """ "9–11 members reported" from the members count of each period shown (for FigureSpec.members_reported)."""
    counts = [int(m) for m in members if m is not None]
    if not counts:
        return ""
    low, high = min(counts), max(counts)
    if low == high:
        return t("exports.members_reported", lang, count=low)
    return t("exports.members_reported_range", lang, low=low, high=high)
