"""A campaign report as a PDF: an HTML page laid out for print (A4, numbered pages) turned into
PDF by WeasyPrint, charts drawn as inline SVG by `commsdesk.charts`.

Tables show their top rows; every row is in the XLSX and CSV files. It fetches nothing: the page
has no external resources, and fonts are the machine's (Noto/DejaVu cover Arabic, CJK falls back
to Droid Sans Fallback; see docs/deployment.md).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.template.loader import render_to_string

from commsdesk import charts
from commsdesk.campaigns.outputs import absolute, change, number
from commsdesk.campaigns.report import Figure, Report, Section, Table

TABLE_ROWS = 25  # rows of each table in print; the spreadsheet has them all


@dataclass(frozen=True, slots=True)
class PrintedFigure:
    label: str
    value: str
    change: str
    previous: str
    target: str
    explanation: str
    link: str  # absolute: a PDF is read away from commsdesk


@dataclass(frozen=True, slots=True)
class PrintedTable:
    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    hidden: int  # rows left out of print
    note: str


@dataclass(frozen=True, slots=True)
class PrintedSection:
    title: str
    text: str
    figures: tuple[PrintedFigure, ...]
    tables: tuple[PrintedTable, ...]
    charts: tuple[str, ...]  # SVG documents


def render_pdf(report: Report) -> bytes:
    """The report as PDF bytes."""
    from weasyprint import HTML  # imported here: it loads Pango, which most requests never need

    return HTML(string=render_html(report)).write_pdf()


def render_html(report: Report) -> str:
    """The print page WeasyPrint lays out (also handy to look at in a browser)."""
    sections = [_section(s) for s in report.sections if s.key != "methodology"]
    methodology = [s for s in report.sections if s.key == "methodology"]
    context = {
        "report": report,
        "sections": sections,
        "methodology": report.methodology,
        "methodology_sections": [_section(s) for s in methodology],
        "table_rows": TABLE_ROWS,
    }
    return render_to_string("campaigns/outputs/print.html", context)


def _section(section: Section) -> PrintedSection:
    return PrintedSection(
        title=section.title,
        text=section.text,
        figures=tuple(_figure(f) for f in section.figures),
        tables=tuple(_table(t) for t in section.tables),
        charts=tuple(_svg(chart) for chart in section.charts),
    )


def _figure(figure: Figure) -> PrintedFigure:
    return PrintedFigure(
        label=figure.label,
        value=number(figure.value, figure.unit),
        change=change(figure),
        previous="" if figure.previous is None else number(figure.previous, figure.unit),
        target="" if figure.target is None else number(figure.target, figure.unit),
        explanation=figure.explanation,
        link=absolute(figure.drill_url),
    )


def _table(table: Table) -> PrintedTable:
    shown = table.rows[:TABLE_ROWS]
    return PrintedTable(
        title=table.title,
        columns=table.columns,
        rows=tuple(tuple(_text(value) for value in row) for row in shown),
        hidden=len(table.rows) - len(shown),
        note=table.note,
    )


def _text(value: object) -> str:
    if isinstance(value, bool) or value is None:
        return "" if value is None else ("yes" if value else "no")
    if isinstance(value, int | float):
        return number(value)
    return str(value)


def _svg(chart: charts.Chart) -> str:
    # Known limit: WeasyPrint draws SVG <text> without the Unicode bidi algorithm (its issues
    # #106, #2909), so an Arabic or Hebrew chart label of several words prints them left to
    # right; tables and text around the charts are laid out correctly.
    # Inline SVG must not carry an XML declaration in the middle of an HTML page.
    drawn = charts.svg(chart)
    return drawn[drawn.find("<svg") :] if "<svg" in drawn else drawn
