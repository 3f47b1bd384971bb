"""Campaigns over the API: the list, one campaign with its key messages and KPIs, and its impact
report as data (the same `assemble.build_report` behind the web page, the PDF and the XLSX)."""

import dataclasses
from datetime import date, datetime
from typing import Any, Literal

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate

from commsdesk import charts
from commsdesk.api.fields import Id, Pages
from commsdesk.campaigns import assemble, periods
from commsdesk.campaigns.models import Campaign

router = Router(tags=["campaigns"])


class KeyMessageOut(Schema):
    id: int
    text: str


class KPIOut(Schema):
    id: int
    name: str
    level: str
    metric: str
    target: float | None
    unit: str


class CampaignOut(Schema):
    id: int
    team_id: int
    name: str
    starts_on: date
    ends_on: date | None
    objectives: str
    audiences: str
    searches: list[int]
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_searches(obj: Campaign) -> list[int]:
        return [s.pk for s in obj.searches.all()]


class CampaignFull(CampaignOut):
    key_messages: list[KeyMessageOut]
    kpis: list[KPIOut]

    @staticmethod
    def resolve_key_messages(obj: Campaign) -> list:
        return list(obj.key_messages.all())

    @staticmethod
    def resolve_kpis(obj: Campaign) -> list:
        return list(obj.kpis.all())


def _campaigns(request: HttpRequest):
    return Campaign.objects.for_team(request.user).prefetch_related("searches")


@router.get("/campaigns", response=list[CampaignOut])
@paginate(Pages)
def list_campaigns(request: HttpRequest):
    return _campaigns(request).order_by("-starts_on", "id")


@router.get("/campaigns/{pk}", response=CampaignFull)
def get_campaign(request: HttpRequest, pk: Id):
    return get_object_or_404(_campaigns(request), pk=pk)


class FigureOut(Schema):
    label: str
    value: float | None
    unit: str
    explanation: str
    drill_url: str
    previous: float | None
    target: float | None


class TableOut(Schema):
    title: str
    columns: list[str]
    rows: list[list[Any]]
    note: str


class ChartOut(Schema):
    kind: str = Field(description="time_series (points: [time, value]) or bars ([label, value])")
    title: str
    points: list[list[Any]]


class SectionOut(Schema):
    key: str
    title: str
    figures: list[FigureOut]
    tables: list[TableOut]
    charts: list[ChartOut]
    text: str


class ReportOut(Schema):
    title: str
    campaign_id: int
    period_start: date
    period_end: date
    previous_start: date | None
    previous_end: date | None
    sections: list[SectionOut]
    observations: list[str]
    recommendations: str
    methodology: str
    generated_at: str


class ReportPeriod(Schema):
    start: date | None = Field(None, description="First day (YYYY-MM-DD)")
    end: date | None = Field(None, description="Last day, inclusive")
    preset: Literal["week", "month", "quarter", "campaign"] | None = None


def _chart(chart: charts.Chart) -> dict:
    if isinstance(chart, charts.Bars):
        return {"kind": "bars", "title": chart.title, "points": [list(b) for b in chart.bars]}
    return {"kind": "time_series", "title": chart.title, "points": [list(p) for p in chart.points]}


@router.get("/campaigns/{pk}/report", response=ReportOut)
def campaign_report(request: HttpRequest, pk: Id, period: Query[ReportPeriod]):
    """The impact report's figures, tables and charts for a period (campaign to date by
    default), each figure compared with the period before. The mentions behind the figures
    are listed by /searches/{id}/mentions."""
    campaign = get_object_or_404(_campaigns(request), pk=pk)
    try:
        chosen = periods.parse(
            period.start.isoformat() if period.start else None,
            period.end.isoformat() if period.end else None,
            preset_name=period.preset,
            today=timezone.now().date(),
            campaign_start=campaign.starts_on,
            campaign_end=campaign.ends_on,
        )
    except periods.PeriodError as exc:
        raise HttpError(400, str(exc)) from None
    report = assemble.build_report(campaign, chosen.start, chosen.end)
    body = {
        f.name: getattr(report, f.name) for f in dataclasses.fields(report) if f.name != "extra"
    }
    body["sections"] = [
        {
            "key": s.key,
            "title": s.title,
            "figures": [dataclasses.asdict(f) for f in s.figures],
            "tables": [dataclasses.asdict(t) for t in s.tables],
            "charts": [_chart(c) for c in s.charts],
            "text": s.text,
        }
        for s in report.sections
    ]
    return body
