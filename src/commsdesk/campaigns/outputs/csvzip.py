"""A campaign report as CSV: a zip of `figures.csv` (every figure with its explanation), one CSV
per table and `mentions.csv` (every raw mention row, no cap).

Each CSV is UTF-8 with a byte-order mark, so Excel opens Arabic or Japanese names correctly.
Written straight into the zip in a temporary file: memory stays flat however many mentions.
"""

from __future__ import annotations

import csv
import io
import tempfile
import zipfile
from collections.abc import Iterable
from datetime import date, datetime
from typing import IO

from django.utils.text import slugify

from commsdesk.campaigns.outputs import FIGURE_COLUMNS, cells, figure_rows, mention_rows
from commsdesk.campaigns.report import Report

CONTENT_TYPE = "application/zip"
# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection); such text
# gets a leading apostrophe, which spreadsheets show as plain text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def render_csv_zip(report: Report) -> IO[bytes]:
    """The zip in a temporary file, rewound; the caller sends and closes it."""
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - returned open, closed by the caller
    taken: set[str] = set()
    with zipfile.ZipFile(handle, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        _write(archive, _name("figures", taken), FIGURE_COLUMNS, figure_rows(report))
        for section in report.sections:
            for table in section.tables:
                _write(archive, _name(table.title, taken), table.columns, table.rows)
        columns, rows = mention_rows(report)
        _write(archive, _name("mentions", taken), columns, rows)
    handle.seek(0)
    return handle


def _write(archive: zipfile.ZipFile, name: str, columns, rows: Iterable) -> None:
    with (
        archive.open(name, "w", force_zip64=True) as raw,
        io.TextIOWrapper(raw, encoding="utf-8-sig", newline="") as text,
    ):
        writer = csv.writer(text)
        if columns:
            writer.writerow(columns)
        for row in rows:
            writer.writerow([_text(value) for value in cells(row)])


def _text(value: object) -> object:
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _name(title: str, taken: set[str]) -> str:
    base = slugify(title, allow_unicode=True) or "table"
    name, n = f"{base}.csv", 1
    while name in taken:
        n += 1
        name = f"{base}-{n}.csv"
    taken.add(name)
    return name
