"""Exports of a saved search's mentions as CSV or XLSX: every row, streamed, no cap.

CSV streams as it is read; XLSX is written in openpyxl's write-only mode to a temporary file
(memory stays flat however many rows) and then streamed.
"""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Iterator
from datetime import datetime

from django.db.models import QuerySet
from django.http import FileResponse, Http404, StreamingHttpResponse
from django.utils.text import slugify

from commsdesk.monitoring.models import Mention, SavedSearch

COLUMNS = (
    "published",
    "outlet",
    "title",
    "url",
    "language",
    "country",
    "story",
    "terms",
    "state",
    "tags",
    "note",
    "sentiment_override",
    "matched_at",
)
# What a spreadsheet's first row says: times are UTC (spreadsheets have no time zones).
HEADER = ("published (UTC)", *COLUMNS[1:-1], "matched_at (UTC)")


def rows(mentions: QuerySet) -> Iterator[list]:
    ordered = mentions.select_related("article", "article__outlet").order_by("-sort_at", "-id")
    for mention in ordered.iterator(chunk_size=2000):
        yield row(mention)


def row(mention: Mention) -> list:
    """One mention as a spreadsheet row, in the order of COLUMNS (campaign reports reuse it)."""
    article = mention.article
    return [
        _naive(mention.sort_at),
        article.outlet.name if article.outlet_id else "",
        article.title,
        article.canonical_url or article.url,
        article.language,
        article.country,
        article.story_id or "",
        ", ".join(dict.fromkeys(hit["term"] for hit in mention.hits)),
        mention.state,
        ", ".join(mention.tags),
        mention.note,
        mention.sentiment_override,
        _naive(mention.matched_at),
    ]


def _naive(moment: datetime | None):
    # Spreadsheets have no time zones: UTC, said in the header.
    return moment.replace(tzinfo=None) if moment else ""


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv(mentions: QuerySet) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff"  # so Excel opens UTF-8 (Arabic, Japanese...) correctly
    yield writer.writerow(HEADER)
    for row in rows(mentions):
        yield writer.writerow(
            [value.isoformat(sep=" ") if isinstance(value, datetime) else value for value in row]
        )


def _xlsx(mentions: QuerySet):
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title="Mentions")
    sheet.append(HEADER)
    for row in rows(mentions):
        sheet.append(row)
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it when sent
    book.save(handle)
    handle.seek(0)
    return handle


def response(saved: SavedSearch, mentions: QuerySet[Mention], fmt: str):
    name = slugify(saved.name) or f"search-{saved.pk}"
    if fmt == "csv":
        reply = StreamingHttpResponse(_csv(mentions), content_type="text/csv; charset=utf-8")
        reply["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return reply
    if fmt == "xlsx":
        return FileResponse(
            _xlsx(mentions),
            as_attachment=True,
            filename=f"{name}.xlsx",
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    raise Http404("Export as csv or xlsx")
