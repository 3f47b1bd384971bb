"""Report outputs read back the way people open them: the PDF through poppler (pdftotext,
pdftoppm), the XLSX through openpyxl, the CSV zip through the csv module."""

from __future__ import annotations

import csv
import io
import shutil
import statistics
import subprocess
import zipfile
from datetime import UTC, datetime

import pytest
from openpyxl import load_workbook

from commsdesk.campaigns.outputs import csvzip, xlsx
from commsdesk.campaigns.outputs.pdf import TABLE_ROWS, render_pdf
from commsdesk.campaigns.report import Section, Table
from tests.fixtures.reports import ARABIC_OUTLET, JAPANESE_OUTLET, mention_rows, sample_report

needs_poppler = pytest.mark.skipif(
    shutil.which("pdftotext") is None or shutil.which("pdftoppm") is None,
    reason="poppler-utils (pdftotext, pdftoppm) is not installed",
)


@pytest.fixture(scope="module")
def pdf(tmp_path_factory):
    """One rendering shared by the PDF tests (WeasyPrint takes a second or two)."""
    path = tmp_path_factory.mktemp("pdf") / "report.pdf"
    path.write_bytes(render_pdf(sample_report()))
    return path


def _text(path, *options: str) -> str:
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", *options, str(path), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout


@needs_poppler
def test_the_pdf_has_headings_figures_with_explanations_and_the_methodology(pdf):
    text = _text(pdf, "-layout")
    assert pdf.read_bytes().startswith(b"%PDF-")
    for heading in ("Open Knowledge Week — progress report", "Outputs", "Out-takes", "Outlets"):
        assert heading in text
    assert "1 October 2026 – 31 October 2026" in text
    assert "204" in text and "+34 (+20%) vs previous (170)" in text and "target 250" in text
    assert "48,300,000 people" in text and "41.5%" in text
    assert "Distinct stories; a syndicated story counts once." in text
    assert "Net sentiment" in text and "n/a" in text  # a figure that cannot be computed says so
    assert "Spanish-language coverage fell 40% vs last month." in text
    assert "Pitch the Spanish wire services" in text
    assert "Methodology" in text and "Barcelona Principles 3.0" in text
    assert "Survey of 400 editors" in text


@needs_poppler
def test_the_pdf_numbers_its_pages_and_shows_non_latin_outlet_names(pdf):
    text = _text(pdf)
    pages = text.count("\f")
    assert pages >= 2 and f"Page {pages} of {pages}" in text
    assert JAPANESE_OUTLET in text
    # Arabic comes back from pdftotext in visual order; its letters must be there, not boxes.
    assert all(word in text or word[::-1] in text for word in ARABIC_OUTLET.split())


@needs_poppler
def test_the_pdf_prints_the_top_rows_of_a_long_table_and_says_where_the_rest_are(pdf):
    text = _text(pdf)
    assert f"Local outlet {TABLE_ROWS - 4}" in text  # 3 named outlets come first
    assert f"Local outlet {TABLE_ROWS - 3}" not in text
    assert "18 more are in the XLSX and CSV downloads" in text


@needs_poppler
def test_the_pdf_links_a_figure_to_the_mentions_behind_it(pdf):
    from django.conf import settings

    links = subprocess.run(
        ["pdfinfo", "-url", str(pdf)], check=True, capture_output=True, text=True
    ).stdout
    assert f"{settings.COMMSDESK_BASE_URL}/campaigns/1/mentions/?metric=stories" in links


@needs_poppler
def test_the_pdf_draws_its_charts(pdf, tmp_path):
    """The first page carries the two charts below the figures: the area they occupy must not
    be blank paper, and it must be drawn in the chart colour."""
    subprocess.run(
        ["pdftoppm", "-r", "40", "-f", "1", "-l", "1", "-gray", str(pdf), str(tmp_path / "p")],
        check=True,
    )
    (image,) = tmp_path.glob("p*.pgm")
    width, height, pixels = _pgm(image.read_bytes())
    band = pixels[int(height * 0.42) * width : int(height * 0.74) * width]  # the charts' band
    assert statistics.pvariance(band) > 500  # lines, bars and labels, not a white page
    assert sum(1 for value in band if value < 120) > 400  # the bars' solid accent colour


@needs_poppler
def test_a_report_without_coverage_or_previous_period_still_prints(tmp_path):
    from datetime import date

    from commsdesk.campaigns.report import Figure, Report

    empty = Report(
        title="New campaign",
        campaign_id=3,
        period_start=date(2026, 1, 1),
        period_end=date(2026, 1, 31),
        previous_start=None,
        previous_end=None,
        sections=(
            Section(
                key="output",
                title="Outputs",
                figures=(Figure("Stories", 0, explanation="No coverage yet."),),
                tables=(Table("Outlets", ("Outlet", "Stories"), ()),),
            ),
        ),
    )
    path = tmp_path / "empty.pdf"
    path.write_bytes(render_pdf(empty))
    text = _text(path)
    assert "New campaign" in text and "No coverage yet." in text
    assert "None in this period." in text and "compared with" not in text
    assert "Page 1 of 1" in text
    with xlsx.render_xlsx(empty) as handle:
        book = load_workbook(handle, read_only=True)
        assert book.sheetnames == ["Summary", "Outlets", "Mentions"]
        assert list(book["Mentions"].values) == []


def _pgm(data: bytes) -> tuple[int, int, bytes]:
    header, _, rest = data.partition(b"\n")
    assert header == b"P5"
    size, _, rest = rest.partition(b"\n")
    _maximum, _, pixels = rest.partition(b"\n")
    width, height = (int(x) for x in size.split())
    return width, height, pixels


def test_the_xlsx_has_a_summary_a_sheet_per_table_and_every_mention(tmp_path):
    report = sample_report(mentions=mention_rows(2_500))
    with xlsx.render_xlsx(report) as handle:
        (tmp_path / "r.xlsx").write_bytes(handle.read())
    book = load_workbook(tmp_path / "r.xlsx", read_only=True)
    assert book.sheetnames == ["Summary", "Outlets", "Key messages", "Mentions"]
    summary = list(book["Summary"].values)
    assert summary[0] == ("section", "label", "value", "unit", "previous", "target") + (
        "explanation",
        "link",
    )
    stories = next(row for row in summary if row[1] == "Stories")
    assert stories[:6] == ("Outputs", "Stories", 204, None, 170, 250)
    assert stories[6] == "Distinct stories; a syndicated story counts once."
    assert stories[7].endswith("/campaigns/1/mentions/?metric=stories")  # absolute, clickable
    assert stories[7].startswith("http")
    assert next(row for row in summary if row[1] == "Net sentiment")[2] is None
    outlets = list(book["Outlets"].values)
    assert outlets[0] == ("Outlet", "Stories", "Placements", "Monthly audience")
    assert outlets[1] == (ARABIC_OUTLET, 12, 14, 3_200_000)
    assert len(outlets) == 1 + 43  # every row, not the printed top 25
    mentions = list(book["Mentions"].values)
    assert mentions[0] == ("published", "outlet", "title", "url", "language")
    assert len(mentions) == 1 + 2_500
    assert mentions[1][0] == datetime(2026, 10, 1, 8)  # UTC, without a zone
    assert mentions[1][1] == JAPANESE_OUTLET
    assert mentions[-1][2] == "Story number 2499"


def test_the_xlsx_keeps_text_that_looks_like_a_formula_as_text(tmp_path):
    table = Table(title="Odd: titles/[1]?", columns=("Title",), rows=(("=HYPERLINK(1)",),))
    report = sample_report(sections=(Section(key="output", title="Outputs", tables=(table,)),))
    with xlsx.render_xlsx(report) as handle:
        (tmp_path / "r.xlsx").write_bytes(handle.read())
    book = load_workbook(tmp_path / "r.xlsx")
    sheet = book["Odd  titles  1"]  # characters Excel forbids in sheet names are replaced
    assert sheet["A2"].value == "=HYPERLINK(1)" and sheet["A2"].data_type == "s"


def test_sheet_names_are_unique_and_short_enough():
    taken: set[str] = set()
    names = [xlsx.sheet_name("Coverage by outlet type and country, per week", taken) for _ in "ab"]
    assert names == ["Coverage by outlet type and cou", "Coverage by outlet type and (2)"]
    assert all(len(name) <= 31 for name in names)


def test_the_csv_zip_has_figures_each_table_and_every_mention():
    report = sample_report(mentions=mention_rows(1_200))
    with csvzip.render_csv_zip(report) as handle, zipfile.ZipFile(handle) as archive:
        assert archive.namelist() == [
            "figures.csv",
            "outlets.csv",
            "key-messages.csv",
            "mentions.csv",
        ]
        tables = {name: _csv(archive.read(name)) for name in archive.namelist()}
    assert tables["figures.csv"][1][:6] == ["Outputs", "Stories", "204", "", "170", "250"]
    assert tables["outlets.csv"][1] == [ARABIC_OUTLET, "12", "14", "3200000"]
    assert len(tables["outlets.csv"]) == 1 + 43
    mentions = tables["mentions.csv"]
    assert mentions[0] == ["published", "outlet", "title", "url", "language"]
    assert len(mentions) == 1 + 1_200
    assert mentions[1][:2] == ["2026-10-01 08:00:00", JAPANESE_OUTLET]


def test_the_csv_zip_defuses_cells_a_spreadsheet_would_run_as_formulas():
    rows = [{"title": "=cmd|' /C calc'!A0", "outlet": "@risk", "language": "en"}]
    with csvzip.render_csv_zip(sample_report(mentions=rows)) as handle:
        mentions = _csv(zipfile.ZipFile(handle).read("mentions.csv"))
    assert mentions[1] == ["'=cmd|' /C calc'!A0", "'@risk", "en"]


def _csv(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")  # the byte-order mark Excel needs for UTF-8
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


@pytest.mark.django_db
def test_mentions_given_as_a_queryset_are_read_in_full_with_the_export_columns(team, tmp_path):
    from commsdesk.monitoring.models import Mention
    from tests.fixtures.alerts import mention, placement, saved_search

    search = saved_search(team)
    at = datetime(2026, 10, 3, 9, tzinfo=UTC)
    for i in range(3):
        mention(search, placement(f"q{i}", f"Wikipedia story {i}", at=at, outlet_name="El País"))
    report = sample_report(mentions=Mention.objects.filter(saved_search=search))
    with xlsx.render_xlsx(report) as handle:
        (tmp_path / "r.xlsx").write_bytes(handle.read())
    rows = list(load_workbook(tmp_path / "r.xlsx", read_only=True)["Mentions"].values)
    assert rows[0][:3] == ("published (UTC)", "outlet", "title")
    assert len(rows) == 4 and {row[1] for row in rows[1:]} == {"El País"}
    assert rows[1][0] == datetime(2026, 10, 3, 9)
