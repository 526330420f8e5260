"""Published figure links: `/f/<code>` shows a figure to anyone, without sign-in (issue 16).

- `/f/<code>?lang=fi|sv|en`: one plain page: title, the image, the table as the export
  shows it, notes and notation, citation, data version, and the files; in the asked
  language where the figure was made public in it, else the first one it was.
- `/f/<code>/figure.png|figure.svg|table.csv`: the export's own bytes.

Only what an export already made public is served (etl.publish.public_figures); with the
links switched off (Users page) every address answers 404 with one line saying so.
"""

from __future__ import annotations

from datetime import date
from html import escape
from typing import Any

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from etl.config import Settings, get_settings
from etl.i18n import format_date, t
from etl.publish import public_figures

MEDIA = {"figure.png": "image/png", "figure.svg": "image/svg+xml", "table.csv": "text/csv; charset=utf-8"}
CACHE = "public, max-age=86400"  # a code's files never change
STYLE = """body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a}
img{max-width:100%;height:auto;border:1px solid #ddd}table{border-collapse:collapse;margin:1rem 0}
th,td{border:1px solid #ccc;padding:.3rem .6rem;text-align:left}td.n{text-align:right}
.small{color:#444;font-size:.9rem}pre{white-space:pre-wrap;background:#f4f4f4;padding:.6rem}"""


def _lang_asked(request: Request, settings: Settings) -> str:
    lang = request.query_params.get("lang", settings.default_lang)
    return lang if lang in public_figures.LANGS else settings.default_lang


def _message(key: str, lang: str) -> HTMLResponse:
    text = escape(t(key, lang))
    body = (
        f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><title>Tilannekuva</title>'
        f"<style>{STYLE}</style></head><body><main><p>{text}</p></main></body></html>"
    )
    return HTMLResponse(body, status_code=404, headers={"Cache-Control": "no-store"})


def figure_page(request: Request) -> Response:
    settings = get_settings()
    code = request.path_params["code"]
    asked = _lang_asked(request, settings)
    if not public_figures.enabled(settings):
        return _message("exports.public.off", asked)
    langs = public_figures.languages(settings, code)
    if not langs:
        return _message("exports.public.missing", asked)
    lang = asked if asked in langs else langs[0]
    meta = public_figures.read_meta(settings, code, lang)
    assert meta is not None  # listed in `langs` just above
    others = [other for other in langs if other != lang]
    return HTMLResponse(_html(meta, code, lang, others), headers={"Cache-Control": CACHE})


def _table(meta: dict[str, Any]) -> str:
    head = "".join(f"<th scope='col'>{escape(column)}</th>" for column in meta["columns"])
    rows = []
    for row in meta["rows"]:
        cells = [f"<th scope='row'>{escape(row[0])}</th>"] if row else []
        cells += [f"<td class='n'>{escape(value)}</td>" for value in row[1:]]
        rows.append(f"<tr>{''.join(cells)}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _html(meta: dict[str, Any], code: str, lang: str, others: list[str]) -> str:
    published = format_date(date.fromisoformat(meta["published"]), lang)
    files = "".join(
        f"<li><a href='/f/{code}/{name}?lang={lang}' download>{escape(t(f'exports.public.{kind}', lang))}</a></li>"
        for name, kind in (("figure.png", "png"), ("figure.svg", "svg"), ("table.csv", "csv"))
    )
    notes = "".join(f"<li>{escape(note)}</li>" for note in meta["notes"])
    languages = ""
    if others:
        links = " · ".join(
            f"<a href='/f/{code}?lang={o}' lang='{o}'>{t(f'exports.public.lang_{o}', o)}</a>" for o in others
        )
        languages = f"<p class='small'>{escape(t('exports.public.languages', lang))} {links}</p>"
    return f"""<!doctype html>
<html lang="{lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(t("exports.public.page_title", lang, title=meta["title"]))}</title><style>{STYLE}</style></head>
<body><main>
<h1>{escape(meta["title"])}</h1>
<p>{escape(meta["subtitle"])}</p>
<p class="small">{escape(t("exports.public.version", lang, version=meta["version"], published=published))}</p>
<img src="/f/{code}/figure.png?lang={lang}" alt="{escape(meta["summary"])}">
<h2>{escape(t("exports.public.numbers", lang))}</h2>
{_table(meta)}
{f"<h2>{escape(t('exports.public.notes', lang))}</h2><ul>{notes}</ul>" if notes else ""}
<h2>{escape(t("exports.public.cite", lang))}</h2>
<pre>{escape(meta["citation"])}</pre>
<p class="small">{escape(meta["source"])}</p>
<h2>{escape(t("exports.public.files", lang))}</h2>
<ul>{files}</ul>
<p class="small"><a href="{escape(meta["permalink"])}">{escape(t("exports.public.open", lang))}</a></p>
<p class="small">{escape(t("exports.public.licence", lang, licence=meta["licence"], code=code))}</p>
{languages}
</main></body></html>
"""


def figure_file(request: Request) -> Response:
    settings = get_settings()
    code, name = request.path_params["code"], request.path_params["name"]
    lang = _lang_asked(request, settings)
    if not public_figures.enabled(settings):
        return _message("exports.public.off", lang)
    langs = public_figures.languages(settings, code)
    data = public_figures.read_file(settings, code, lang if lang in langs else (langs or [lang])[0], name)
    if data is None:
        return _message("exports.public.missing", lang)
    return Response(data, media_type=MEDIA[name], headers={"Cache-Control": CACHE})


ROUTES = [
    Route("/f/{code}", figure_page, methods=["GET", "HEAD"]),
    Route("/f/{code}/{name}", figure_file, methods=["GET", "HEAD"]),
]
