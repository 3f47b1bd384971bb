"""The shape of an impact report, independent of how it is shown: the web page, the PDF, the
XLSX/CSV files and the scheduled email all render one `Report`.

Plain frozen dataclasses; `assemble.build_report` fills them from the database, `outputs/`
renders them. Every figure carries its explanation and a drill-down link to the mentions behind it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from commsdesk.charts import Bars, TimeSeries


@dataclass(frozen=True, slots=True)
class Figure:
    label: str  # "Stories", "Reach", "Share of voice"
    value: float | int | None  # None: cannot be computed (say why in `explanation`)
    unit: str = ""  # "%", "people", ""
    explanation: str = ""  # where the number comes from, in one or two plain sentences
    drill_url: str = ""  # the mentions behind it
    previous: float | int | None = None  # the same figure for the previous period
    target: float | None = None  # a KPI target, when one applies


@dataclass(frozen=True, slots=True)
class Table:
    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple, ...]
    # One link per row (or "") to the mentions behind it; same length as rows, or empty.
    drill_urls: tuple[str, ...] = ()
    note: str = ""


@dataclass(frozen=True, slots=True)
class Section:
    """One AMEC level (or a part of the report such as methodology) with what is known there."""

    key: str  # "output", "outtake", "methodology"...
    title: str
    figures: tuple[Figure, ...] = ()
    tables: tuple[Table, ...] = ()
    charts: tuple[TimeSeries | Bars, ...] = ()
    text: str = ""  # people's words (manual KPI notes, recommendations) or generated prose


@dataclass(frozen=True, slots=True)
class Report:
    title: str
    campaign_id: int
    period_start: date
    period_end: date  # inclusive
    previous_start: date | None
    previous_end: date | None
    sections: tuple[Section, ...]
    observations: tuple[str, ...] = ()  # generated recommendations ("Spanish coverage fell 40%")
    recommendations: str = ""  # people's editable text
    methodology: str = ""  # the note every report carries (no AVE, Barcelona Principles 3.0)
    generated_at: str = ""  # ISO time, UTC
    extra: dict = field(default_factory=dict)  # renderer-neutral extras (e.g. raw mention rows)
