"""The campaign report on the web: a period (dates or a preset), every AMEC section with its
figures, tables and charts, observations, the editable recommendations (htmx), and the
drill-down page listing the mentions behind any number. Building the report is `assemble`'s.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from commsdesk import charts
from commsdesk.accounts import roles
from commsdesk.campaigns import assemble, metrics, periods
from commsdesk.campaigns.forms import RecommendationsForm
from commsdesk.campaigns.models import Campaign, ReportNote
from commsdesk.campaigns.views.campaigns import campaign_for
from commsdesk.monitoring.metrics import coverage_counts

MENTIONS_PER_PAGE = 50


def period_of(request: HttpRequest, campaign: Campaign) -> periods.Period:
    """The period a request asks for; raises periods.PeriodError with a sentence."""
    return periods.parse(
        request.GET.get("start"),
        request.GET.get("end"),
        preset_name=request.GET.get("preset"),
        today=timezone.now().date(),
        campaign_start=campaign.starts_on,
        campaign_end=campaign.ends_on,
    )


@login_required
def report(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = campaign_for(request, pk)
    context: dict = {"campaign": campaign, "presets": periods.PRESETS}
    try:
        period = period_of(request, campaign)
    except periods.PeriodError as error:
        context.update(error=str(error), start=request.GET.get("start"), end=request.GET.get("end"))
        return render(request, "campaigns/report.html", context, status=400)
    built = assemble.build_report(campaign, period.start, period.end)
    context.update(
        report=built,
        period=period,
        start=period.start.isoformat(),
        end=period.end.isoformat(),
        sections=[_with_svgs(section) for section in built.sections],
        note_form=RecommendationsForm(
            initial={
                "recommendations": built.recommendations,
                "start": period.start,
                "end": period.end,
            }
        ),
        can_edit=roles.can_edit(request.user, campaign.team_id),
    )
    return render(request, "campaigns/report.html", context)


def _with_svgs(section) -> dict:
    return {"section": section, "svgs": [charts.svg(chart) for chart in section.charts]}


@login_required
@require_POST
def recommendations(request: HttpRequest, pk: int) -> HttpResponse:
    """htmx: save people's recommendations for the report's period; answers with the box."""
    campaign = campaign_for(request, pk)
    if not roles.can_edit(request.user, campaign.team_id):
        raise PermissionDenied("Viewers read reports but do not write their recommendations.")
    form = RecommendationsForm(request.POST)
    saved = False
    if form.is_valid():
        ReportNote.objects.update_or_create(
            campaign=campaign,
            period_start=form.cleaned_data["start"],
            period_end=form.cleaned_data["end"],
            defaults={
                "recommendations": form.cleaned_data["recommendations"],
                "updated_by": request.user,
            },
        )
        saved = True
        if not request.htmx:  # a browser without JavaScript goes back to the report it was on
            messages.success(request, "Saved the recommendations.")
            period = urlencode({k: request.POST.get(k, "") for k in ("start", "end")})
            return redirect(f"{reverse('campaigns:report', args=[campaign.pk])}?{period}")
    context = {"campaign": campaign, "note_form": form, "saved": saved, "can_edit": True}
    return render(request, "campaigns/_recommendations.html", context, status=200 if saved else 400)


@login_required
def mentions(request: HttpRequest, pk: int) -> HttpResponse:
    """The mentions behind one figure: ?metric=language&value=es&start=…&end=…"""
    campaign = campaign_for(request, pk)
    metric, value = request.GET.get("metric", "coverage"), request.GET.get("value", "")
    context: dict = {"campaign": campaign, "metric": metric, "value": value}
    try:
        period = period_of(request, campaign)
        found = metrics.drill(campaign, period, metric, value)
    except (periods.PeriodError, ValueError) as error:
        context["error"] = str(error)
        return render(request, "campaigns/mentions.html", context, status=400)
    page = Paginator(
        found.select_related("article", "article__outlet", "saved_search").order_by(
            "-sort_at", "-id"
        ),
        MENTIONS_PER_PAGE,
    ).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context.update(
        period=period,
        what=metrics.DRILLS.get(metric, metric),
        counts=coverage_counts(metrics.articles(found)),
        total=found.count(),
        page=page,
        query=query.urlencode(),
        start=period.start.isoformat(),
        end=period.end.isoformat(),
    )
    return render(request, "campaigns/mentions.html", context)
