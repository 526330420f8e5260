"""Pure helpers of the Coverage and methods page: the coverage table, versions, breaks, notes, code lists."""

from __future__ import annotations

import json
from collections import defaultdict

import duckdb
import pandas as pd

from dashboard.presenting import theme
from dashboard.reading import data
from dashboard.reading.vocabulary import Vocabulary, measure_definition
from etl.i18n import t
from etl.publish.snapshots import SnapshotRef


def coverage_table(
    reported: pd.DataFrame, members: pd.DataFrame, periods: list[str], labels: list[str], lang: str
) -> pd.DataFrame:
    """Member x period: "reported" or "not reported" (organisation names only, never figures)."""
    done = set(zip(reported["org_code"], reported["period"], strict=True))
    yes, no = t("figures.reported", lang), t("figures.not_reported", lang)
    table = pd.DataFrame({t("methods.member", lang): members["name"].tolist()})
    for period, label in zip(periods, labels, strict=True):
        table[label] = [yes if (code, period) in done else no for code in members["code"]]
    return table


def measures_text(vocab: Vocabulary, lang: str) -> str:
    """The measures and their definitions as a Markdown list (reads well on a phone, unlike a wide table)."""
    lines = []
    for measure in vocab.measure_codes():
        about = [f"`{measure}`", t(f"methods.unit_{vocab.unit(measure)}", lang)]
        if vocab.is_multi_response(measure):
            about.append(t("methods.multi_response", lang).lower())
        label = vocab.measure_label(measure, lang)
        lines.append(f"- **{label}** ({', '.join(about)}): {measure_definition(measure, lang)}")
    return "\n".join(lines)


def codes_table(vocab: Vocabulary, dimension: str, lang: str) -> pd.DataFrame:
    labels = vocab.code_labels(dimension, lang)
    return pd.DataFrame({t("methods.code", lang): list(labels), t("methods.label", lang): list(labels.values())})


def breaks_table(period_notes: pd.DataFrame, vocab: Vocabulary, lang: str) -> pd.DataFrame:
    return _period_notes_table(period_notes, "break", t("methods.what_changed", lang), vocab, lang)


def remarks_table(period_notes: pd.DataFrame, vocab: Vocabulary, lang: str) -> pd.DataFrame:
    """The coordinator's notes on periods (kind 'note'), as the breaks: year, what they apply to, the note."""
    return _period_notes_table(period_notes, "note", t("methods.note", lang), vocab, lang)


def _period_notes_table(
    period_notes: pd.DataFrame, kind: str, text_header: str, vocab: Vocabulary, lang: str
) -> pd.DataFrame:
    rows = period_notes[period_notes["kind"] == kind]
    return pd.DataFrame(
        {
            t("common.year", lang): rows["year"].astype(int).astype(str).tolist(),
            t("methods.applies_to", lang): [
                vocab.measure_label(m, lang) if isinstance(m, str) else t("methods.every_measure", lang)
                for m in rows["measure"]
            ],
            text_header: rows[f"label_{lang}"].tolist(),
        }
    )


def changes(summary: str | None, org_names: dict[str, str], lang: str) -> str:
    """What a data version changed, in words: new reports, revised ones (by member), withdrawn ones."""
    try:
        parsed = json.loads(summary) if summary else {}
    except ValueError:
        parsed = {}
    new: set[str] = set()
    revised: dict[str, list[str]] = defaultdict(list)
    for item in parsed.get("published", []):
        if int(item.get("version", 1)) > 1:
            revised[org_names.get(item["org_code"], item["org_code"])].append(item["period"])
        else:
            new.add(item["org_code"])
    parts = []
    if new:
        parts.append(t("methods.changes_new", lang, count=len(new)))
    for name, periods in sorted(revised.items()):
        parts.append(t("methods.changes_revised", lang, member=name, periods=", ".join(sorted(periods))))
    for item in parsed.get("withdrawn", []):
        name = org_names.get(item["org_code"], item["org_code"])
        parts.append(t("methods.changes_withdrawn", lang, member=name, periods=item["period"]))
    return "; ".join(parts) if parts else t("methods.changes_none", lang)


def versions_table(versions: pd.DataFrame, org_names: dict[str, str], lang: str) -> pd.DataFrame:
    return pd.DataFrame(
        {
            t("methods.version", lang): versions["version"].astype(int).astype(str).tolist(),
            t("methods.published", lang): [theme.format_date(d, lang) for d in versions["published_at"]],
            t("methods.what_changed", lang): [changes(s, org_names, lang) for s in versions["summary"]],
            t("methods.note", lang): [n if isinstance(n, str) else "" for n in versions["note"]],
        }
    )


def protection_shares(snapshot: SnapshotRef, lang: str, threshold: int) -> list[str]:
    """One line per kind of period: the share of the network's figures shown and of the persons they count.

    Measured when the version was published: nothing is said when the threshold has changed since.
    """
    try:
        shares = data.public_query(snapshot, "protection_shares")
        stored = data.public_query(snapshot, "disclosure_meta")
    except duckdb.CatalogException:  # a version published before information loss was recorded
        return []
    if stored.empty or int(stored["threshold"].iloc[0]) != threshold:
        return []
    return [
        t(
            "methods.protection_shares",
            lang,
            period=t(f"methods.period_{row.period}", lang),
            threshold=str(threshold),
            cells=theme.format_percent_value(float(row.cells), lang),
            persons=theme.format_percent_value(float(row.persons), lang),
        )
        for row in shares.itertuples(index=False)
        if pd.notna(row.cells) and pd.notna(row.persons)
    ]
