"""Pure helpers of the report editor: an empty draft, where a draft stands, what the form holds."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from etl.i18n import format_date, t
from etl.publish.reports import Edition
from etl.services.reports import Draft, Section

EMPTY = Section({}, {}, ())


def blank(period: str) -> Draft:
    return Draft(period, {}, (), status="draft")


def section(draft: Draft, number: int) -> Section:
    """The draft's section `number` (from 0), or an empty one for a section just added."""
    return draft.sections[number] if number < len(draft.sections) else EMPTY


def status_line(draft: Draft, lang: str) -> str:
    if not draft.updated_by:
        return t("reports.status_new", lang, period=draft.period)
    return t(f"reports.status_{draft.status}", lang, period=draft.period, who=draft.updated_by)


@dataclass
class Typed:
    """What the form holds: language -> text for the title and each section; addresses as typed."""

    title: dict[str, str] = field(default_factory=dict)
    headings: dict[int, dict[str, str]] = field(default_factory=dict)
    texts: dict[int, dict[str, str]] = field(default_factory=dict)
    figures: dict[int, str] = field(default_factory=dict)

    def heading(self, number: int) -> dict[str, str]:
        return self.headings.setdefault(number, {})

    def text(self, number: int) -> dict[str, str]:
        return self.texts.setdefault(number, {})

    def draft(self, period: str, count: int) -> Draft:
        sections = tuple(
            Section(
                self.headings.get(n, {}),
                self.texts.get(n, {}),
                tuple(line.strip() for line in self.figures.get(n, "").splitlines() if line.strip()),
            )
            for n in range(count)
        )
        return Draft(period, dict(self.title), sections)


def draft_text(draft: Draft, lang: str) -> str:
    """The draft in one language as Markdown: title, numbered sections, each figure's address where it will stand."""
    parts = [f"## {draft.title.get(lang, '')}"]
    number = 0
    for n, part in enumerate(draft.sections, start=1):
        parts += [f"### {n} {part.heading.get(lang, '')}", part.text.get(lang, "")]
        for address in part.figures:
            number += 1
            parts.append(f"*{t('reports.figure', lang, number=str(number))}* <{address}>")
    return "\n\n".join(p for p in parts if p.strip())


def editions_table(kept: list[Edition], lang: str) -> pd.DataFrame:
    return pd.DataFrame(
        [(e.number, e.version, format_date(e.published_at, lang), e.published_by) for e in kept],
        columns=[t(f"reports.column_{c}", lang) for c in ("edition", "version", "published", "by")],
    )
