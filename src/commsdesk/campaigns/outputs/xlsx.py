"""A campaign report as an XLSX workbook: a Summary sheet of every figure, one sheet per table and
a Mentions sheet with every raw mention row (no cap).

openpyxl's write-only mode streams rows to a temporary file, so memory stays flat at 100k+
mentions. Text is always stored as text: a title starting with "=" never becomes a formula.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterable
from typing import IO

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from commsdesk.campaigns.outputs import FIGURE_COLUMNS, cells, figure_rows, mention_rows
from commsdesk.campaigns.report import Report

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BOLD = Font(bold=True)


def render_xlsx(report: Report) -> IO[bytes]:
    """The workbook in a temporary file, rewound; the caller sends and closes it."""
    book = Workbook(write_only=True)
    names: set[str] = set()
    _sheet(book, names, "Summary", FIGURE_COLUMNS, figure_rows(report))
    for section in report.sections:
        for table in section.tables:
            _sheet(book, names, table.title, table.columns, table.rows)
    columns, rows = mention_rows(report)
    _sheet(book, names, "Mentions", columns, rows)
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - returned open, closed by the caller
    book.save(handle)
    handle.seek(0)
    return handle


def _sheet(book: Workbook, names: set[str], title: str, columns, rows: Iterable) -> None:
    sheet = book.create_sheet(title=sheet_name(title, names))
    if columns:
        sheet.append([_cell(sheet, column, bold=True) for column in columns])
    for row in rows:
        # Plain values are much faster to write; only text openpyxl would take for a formula
        # needs a cell of its own.
        sheet.append([_cell(sheet, v) if _formula_like(v) else v for v in cells(row)])


def _formula_like(value: object) -> bool:
    return isinstance(value, str) and value.startswith("=")


def _cell(sheet, value: object, *, bold: bool = False) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    if cell.data_type == "f":
        cell.data_type = "s"  # text that starts with "=" stays text
    if bold:
        cell.font = BOLD
    return cell


def sheet_name(title: str, taken: set[str]) -> str:
    """A valid, unique sheet name: no []:*?/\\ characters, at most 31 characters."""
    base = re.sub(r"[\[\]:*?/\\]", " ", title).strip(" '") or "Table"
    name, n = base[:31], 1
    while name.lower() in taken:
        n += 1
        suffix = f" ({n})"
        name = base[: 31 - len(suffix)] + suffix
    taken.add(name.lower())
    return name
