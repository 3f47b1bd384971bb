"""A campaign `Report` as files people open: PDF (`pdf`), XLSX (`xlsx`), a zip of CSVs (`csvzip`)
and the scheduled email (`email`). One module per format; this one holds what they share:
how numbers read, file names, and the raw mention rows. Nothing here queries coverage itself.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, date, datetime
from decimal import Decimal
from itertools import chain

from django.conf import settings
from django.db.models import QuerySet
from django.db.models.query import ModelIterable
from django.utils.text import slugify

from commsdesk.campaigns.report import Figure, Report
from commsdesk.monitoring import export
from commsdesk.monitoring.models import Mention


def number(value: float | int | None, unit: str = "") -> str:
    """A figure as people read it: 12,345 · 41.5% · 0.25; "n/a" when it cannot be computed."""
    if value is None:
        return "n/a"
    if isinstance(value, float) and not value.is_integer():
        text = f"{value:,.2f}" if abs(value) < 1 else f"{value:,.1f}"
    else:
        text = f"{int(value):,}"
    if not unit:
        return text
    return f"{text}{unit}" if unit == "%" else f"{text} {unit}"


def change(figure: Figure) -> str:
    """The change against the previous period: "+12 (+25%)", "no change" or "" when unknown."""
    if figure.value is None or figure.previous is None:
        return ""
    delta = figure.value - figure.previous
    if delta == 0:
        return "no change"
    points = " points" if figure.unit == "%" else ""
    text = f"{'+' if delta > 0 else '−'}{number(abs(delta))}{points}"
    if figure.previous and figure.unit != "%":
        text += f" ({delta / abs(figure.previous):+.0%})".replace("-", "−")
    return text


def filename(campaign_name: str, report: Report, extension: str) -> str:
    """campaign-slug_2026-11-01_2026-11-30.pdf: sorts by campaign, then period."""
    slug = slugify(campaign_name) or f"campaign-{report.campaign_id}"
    return f"{slug}_{report.period_start.isoformat()}_{report.period_end.isoformat()}.{extension}"


def absolute(path: str) -> str:
    """A link that works outside commsdesk (files and mail are read elsewhere)."""
    if not path or path.startswith(("http://", "https://")):
        return path
    return settings.COMMSDESK_BASE_URL + path


def figure_rows(report: Report) -> Iterator[list]:
    """Every figure of every section, one row each, in FIGURE_COLUMNS order."""
    for section in report.sections:
        for figure in section.figures:
            yield [
                section.title,
                figure.label,
                figure.value,
                figure.unit,
                figure.previous,
                figure.target,
                figure.explanation,
                absolute(figure.drill_url),
            ]


FIGURE_COLUMNS = ("section", "label", "value", "unit", "previous", "target", "explanation", "link")


def mention_rows(report: Report) -> tuple[tuple[str, ...], Iterator[Sequence]]:
    """The raw mention rows of `report.extra["mentions"]` with their column names.

    The report's builder may hand a queryset of mentions (read in chunks, never all at once), a
    `.values()` queryset or any iterable of dicts, Mention objects, or sequences (then
    `extra["mention_columns"]` names the columns).
    """
    source = report.extra.get("mentions")
    if source is None:
        return (), iter(())
    if (
        isinstance(source, QuerySet)
        and source.model is Mention
        and issubclass(source._iterable_class, ModelIterable)  # not a .values() queryset
    ):
        return export.HEADER, export.rows(source)
    items = iter(source.iterator(chunk_size=2000) if isinstance(source, QuerySet) else source)
    first = next(items, None)
    if first is None:
        return tuple(report.extra.get("mention_columns", export.HEADER)), iter(())
    rest = chain([first], items)
    if isinstance(first, Mention):
        return export.HEADER, (export.row(mention) for mention in rest)
    if isinstance(first, dict):
        columns = tuple(first)
        return columns, ([row.get(column) for column in columns] for row in rest)
    return tuple(report.extra.get("mention_columns", ())), (list(row) for row in rest)


def cell(value: object) -> object:
    """A value a spreadsheet cell can hold: times in UTC without a zone (said in the header),
    lists joined, anything else as text."""
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(UTC).replace(tzinfo=None)
    if value is None or isinstance(value, bool | int | float | str | date | Decimal):
        return value
    if isinstance(value, list | tuple | set):
        return ", ".join(str(item) for item in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def cells(row: Iterable) -> list:
    return [cell(value) for value in row]
