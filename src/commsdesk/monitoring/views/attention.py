"""Wikipedia attention pages: the team's watched pages, one page's readership beside its
coverage (two charts on one time axis, and the lag correlation in words), and a project's most
read pages of a day. The work is in `monitoring.attention`."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from commsdesk import charts
from commsdesk.accounts import roles
from commsdesk.accounts.models import Team
from commsdesk.campaigns.models import Campaign
from commsdesk.monitoring import attention
from commsdesk.monitoring.models import SavedSearch, WatchedPage
from commsdesk.pipeline import pageviews
from commsdesk.pipeline.errors import PipelineError

TOP_SHOWN = 50
DAYS = 60


@login_required
def attention_list(request: HttpRequest) -> HttpResponse:
    team = Team.objects.default_for(request.user)
    if request.method == "POST":
        if not roles.can_edit(request.user, team.pk):
            raise PermissionDenied
        return _add(request, team)
    week_ago = timezone.now().date() - timedelta(days=7)
    pages = [
        (page, sum(page.days.filter(day__gte=week_ago).values_list("views", flat=True)))
        for page in WatchedPage.objects.for_team(request.user).select_related(
            "saved_search", "campaign"
        )
    ]
    return render(request, "monitoring/attention.html", _form_context(request) | {"pages": pages})


def _form_context(request: HttpRequest) -> dict:
    return {
        "searches": SavedSearch.objects.for_team(request.user),
        "campaigns": Campaign.objects.for_team(request.user),
        "can_edit": roles.can_edit(request.user, Team.objects.default_for(request.user).pk),
    }


def _add(request: HttpRequest, team: Team) -> HttpResponse:
    try:
        wiki = pageviews.page_from_url(request.POST.get("page", ""))
    except pageviews.PageviewsError as exc:
        messages.error(request, str(exc))
        return redirect("monitoring:attention")
    search = _owned(SavedSearch.objects.for_team(request.user), request.POST.get("search"))
    campaign = _owned(Campaign.objects.for_team(request.user), request.POST.get("campaign"))
    page = attention.watch(
        wiki, team=team, user=request.user, saved_search=search, campaign=campaign
    )
    messages.success(
        request, f"Watching {page.title} on {page.project}: its pageviews arrive within a minute."
    )
    return redirect("monitoring:attention_page", pk=page.pk)


def _owned(queryset, raw: str | None):
    if not raw or not raw.isdigit():
        return None
    return get_object_or_404(queryset, pk=int(raw))


@login_required
def attention_page(request: HttpRequest, pk: int) -> HttpResponse:
    page = get_object_or_404(
        WatchedPage.objects.for_team(request.user).select_related("saved_search", "campaign"),
        pk=pk,
    )
    comparison = attention.compare(page, days=DAYS)
    wiki = pageviews.WikiPage(page.project, page.title)
    context = {
        "page": page,
        "wiki_url": wiki.url,
        "comparison": comparison,
        "views_total": sum(comparison.views),
        "coverage_total": sum(comparison.coverage),
        "chart_svg": _chart(page, comparison),
        "coverage_name": _coverage_name(page),
        "can_edit": roles.can_edit(request.user, page.team_id),
    }
    return render(request, "monitoring/attention_page.html", context)


def _coverage_name(page: WatchedPage) -> str:
    if page.saved_search_id:
        return page.saved_search.name
    if page.campaign_id:
        return page.campaign.name
    return ""


def _chart(page: WatchedPage, comparison: attention.Comparison) -> str:
    """Coverage and attention on one chart, each on its own axis; attention alone without a
    search or campaign to compare with."""

    def points(values: tuple[int, ...]) -> tuple[tuple[datetime, float], ...]:
        return tuple(
            (datetime.combine(day, datetime.min.time(), tzinfo=UTC), float(value))
            for day, value in zip(comparison.days, values, strict=True)
        )

    name = _coverage_name(page)
    if not name:
        return charts.svg(
            charts.TimeSeries(
                title=f"{page.title}: pageviews per day",
                points=points(comparison.views),
                y_label="Pageviews per day",
                unit="day",
                height=150,
            )
        )
    return charts.svg(
        charts.PairedSeries(
            title=f"{name} (articles) and {page.title} (pageviews), per day",
            bars=points(comparison.coverage),
            line=points(comparison.views),
            bars_label="Articles per day",
            line_label="Pageviews per day",
        )
    )


@login_required
@require_POST
def attention_unwatch(request: HttpRequest, pk: int) -> HttpResponse:
    page = get_object_or_404(WatchedPage.objects.for_team(request.user), pk=pk)
    if not roles.can_edit(request.user, page.team_id):
        raise PermissionDenied
    page.delete()
    messages.success(request, f"No longer watching {page.title}.")
    return redirect("monitoring:attention")


@login_required
def attention_top(request: HttpRequest) -> HttpResponse:
    """A project's most read pages: yesterday (UTC) unless a day is chosen; fetched once."""
    project = (request.GET.get("project") or "en.wikipedia").strip().lower().removesuffix(".org")
    yesterday = timezone.now().astimezone(UTC).date() - timedelta(days=1)
    try:
        day = date.fromisoformat(request.GET.get("day") or yesterday.isoformat())
    except ValueError:
        day = yesterday
    day = min(day, yesterday)
    error, top = "", ()
    try:
        top = attention.top_articles(project, day)[:TOP_SHOWN]
    except (PipelineError, pageviews.PageviewsError) as exc:
        error = getattr(exc, "reason", None) or str(exc)
    watched = set(
        WatchedPage.objects.for_team(request.user)
        .filter(project=project)
        .values_list("title", flat=True)
    )
    context = {
        "project": project,
        "day": day,
        "yesterday": yesterday,
        "top": [(a, pageviews.WikiPage(project, a.title).url, a.title in watched) for a in top],
        "error": error,
    }
    return render(request, "monitoring/attention_top.html", context)
