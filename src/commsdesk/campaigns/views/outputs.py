"""Report downloads: /campaigns/<pk>/report.pdf, .xlsx and .csv (a zip of CSVs) for ?start=&end=.

Thin: the campaign is scoped to the person's teams (another team's id is a 404), the period is
read from the query (a bad date is explained on a page, not a crash), the report is built by
`assemble.build_report` and rendered by `campaigns.outputs`.
"""

from __future__ import annotations

from datetime import date

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from commsdesk.audit.downloads import record_export
from commsdesk.campaigns.models import Campaign
from commsdesk.campaigns.outputs import csvzip, filename, xlsx
from commsdesk.campaigns.outputs.pdf import render_pdf
from commsdesk.campaigns.report import Report


class PeriodError(ValueError):
    """A start or end date people can correct; the message says how."""


def period(campaign: Campaign, start: str | None, end: str | None) -> tuple[date, date]:
    """The report period from the query: campaign start to today (or its end) when left out."""
    today = timezone.localdate()
    default_end = min(today, campaign.ends_on) if campaign.ends_on else today
    first = _date(start, "start") or campaign.starts_on
    last = _date(end, "end") or default_end
    if first > last:
        raise PeriodError(f"The start ({first:%d %b %Y}) is after the end ({last:%d %b %Y}).")
    return first, last


def _date(value: str | None, name: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise PeriodError(f"The {name} date “{value}” is not a date like 2026-11-30.") from None


def _report(request: HttpRequest, pk: int) -> tuple[Campaign, Report] | HttpResponse:
    campaign = get_object_or_404(Campaign.objects.for_team(request.user), pk=pk)
    try:
        start, end = period(campaign, request.GET.get("start"), request.GET.get("end"))
    except PeriodError as exc:
        context = {"campaign": campaign, "error": str(exc), "query": request.GET}
        return render(request, "campaigns/outputs/period_error.html", context, status=400)
    return campaign, build_report(campaign, start, end)


def build_report(campaign: Campaign, start: date, end: date) -> Report:
    """The same report as the web page, from the campaign pages' builder."""
    from commsdesk.campaigns import assemble

    return assemble.build_report(campaign, start, end)


@login_required
def report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    built = _report(request, pk)
    if isinstance(built, HttpResponse):
        return built
    campaign, report = built
    record_export(request, "Campaign report as PDF", campaign)
    reply = HttpResponse(render_pdf(report), content_type="application/pdf")
    name = filename(campaign.name, report, "pdf")
    reply["Content-Disposition"] = f'attachment; filename="{name}"'
    return reply


@login_required
def report_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    built = _report(request, pk)
    if isinstance(built, HttpResponse):
        return built
    campaign, report = built
    record_export(request, "Campaign report as XLSX", campaign)
    return FileResponse(
        xlsx.render_xlsx(report),
        as_attachment=True,
        filename=filename(campaign.name, report, "xlsx"),
        content_type=xlsx.CONTENT_TYPE,
    )


@login_required
def report_csv(request: HttpRequest, pk: int) -> HttpResponse:
    built = _report(request, pk)
    if isinstance(built, HttpResponse):
        return built
    campaign, report = built
    record_export(request, "Campaign report as CSV (ZIP)", campaign)
    return FileResponse(
        csvzip.render_csv_zip(report),
        as_attachment=True,
        filename=filename(campaign.name, report, "csv.zip"),
        content_type=csvzip.CONTENT_TYPE,
    )
