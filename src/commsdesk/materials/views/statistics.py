"""Key statistics pages: the list with stale and live-source filters, adding and editing one, its
page (history, chart, drafts citing it), "Refresh now" and the approval steps.

Thin: reading live sources is `live`, presets are `presets`, staleness and wording are `facts`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from commsdesk import charts
from commsdesk.accounts import roles
from commsdesk.accounts.models import Team
from commsdesk.materials import facts, live, presets, workflow
from commsdesk.materials.models import KeyStatistic, Status
from commsdesk.materials.statistic_forms import LiveSourceForm, StatisticForm

YES_NO = {"": "Either", "yes": "Yes", "no": "No"}
HISTORY_ROWS = 100  # the table's length; the chart draws every entry
LIVE = {"": "Either", "yes": "Yes", "failing": "Yes, failing", "no": "No"}


@dataclass(frozen=True, slots=True)
class Row:
    statistic: KeyStatistic
    shown: str  # the value as people write it
    freshness: facts.Freshness


def _statistic(request: HttpRequest, pk: int) -> KeyStatistic:
    statistics = KeyStatistic.objects.for_team(request.user).select_related("owner", "approved_by")
    return get_object_or_404(statistics, pk=pk)


def _editable(request: HttpRequest, pk: int) -> KeyStatistic:
    statistic = _statistic(request, pk)
    if not roles.can_edit(request.user, statistic.team_id):
        raise PermissionDenied("Viewers cannot change statistics.")
    return statistic


def _editable_teams(user) -> list[Team]:
    return [team for team in Team.objects.of(user) if roles.can_edit(user, team.pk)]


@login_required
def statistics(request: HttpRequest) -> HttpResponse:
    filters = {
        "q": request.GET.get("q", "").strip(),
        "stale": request.GET.get("stale", ""),
        "live": request.GET.get("live", ""),
        "status": request.GET.get("status", ""),
    }
    today = timezone.localdate()
    rows = _rows(
        KeyStatistic.objects.for_team(request.user).select_related("owner"), filters, today
    )
    context = {
        "rows": rows,
        "filters": filters,
        "yes_no": YES_NO,
        "live_choices": LIVE,
        "statuses": Status.choices,
        "filtered": any(filters.values()),
        "summary": _summary(request.user, today),
        "can_edit": bool(_editable_teams(request.user)),
    }
    return render(request, "materials/statistics.html", context)


def _rows(found, filters: dict[str, str], today) -> list[Row]:
    if filters["q"]:
        q = filters["q"]
        found = found.filter(
            Q(name__icontains=q) | Q(slug__icontains=q) | Q(description__icontains=q)
        )
    if filters["status"] in Status.values:
        found = found.filter(status=filters["status"])
    if filters["live"] in ("yes", "failing"):
        found = found.exclude(live_url="").exclude(live_path="")
    if filters["live"] == "failing":
        found = found.exclude(last_error="")
    elif filters["live"] == "no":
        found = found.filter(Q(live_url="") | Q(live_path=""))
    rows = [Row(s, facts.display(s), facts.freshness(s, today=today)) for s in found]
    # Staleness depends on today's date and each statistic's own maximum age: decided here, not
    # in SQL, for the few hundred statistics a team keeps.
    if filters["stale"] in ("yes", "no"):
        rows = [row for row in rows if row.freshness.stale == (filters["stale"] == "yes")]
    if filters["stale"] == "yes" and filters["status"] != Status.RETIRED:
        # Retired numbers are stale by definition but need no attention: asked for by status.
        rows = [row for row in rows if row.statistic.status != Status.RETIRED]
    return rows


def _summary(user, today) -> dict[str, int]:
    """What needs attention across the team's statistics, whatever the filters."""
    mine = KeyStatistic.objects.for_team(user)
    return {
        "stale": sum(
            facts.freshness(s, today=today).stale for s in mine.exclude(status=Status.RETIRED)
        ),
        "failing": mine.exclude(live_url="").exclude(live_path="").exclude(last_error="").count(),
    }


@login_required
def new(request: HttpRequest) -> HttpResponse:
    teams = _editable_teams(request.user)
    if not teams:
        if Team.objects.of(request.user).exists():
            raise PermissionDenied("Viewers cannot add statistics.")
        teams = [Team.objects.default_for(request.user)]
    form = StatisticForm(request.POST or None, teams=teams, team=teams[0], user=request.user)
    if request.method == "POST" and form.is_valid():
        statistic = form.save()
        messages.success(request, f"Statistic “{statistic.name}” added as a draft.")
        return redirect("materials:statistic", statistic.pk)
    return render(request, "materials/statistic_form.html", {"form": form, "statistic": None})


@login_required
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    statistic = _editable(request, pk)
    was_approved = statistic.is_approved
    form = StatisticForm(
        request.POST or None,
        instance=statistic,
        teams=[statistic.team],
        team=statistic.team,
        user=request.user,
    )
    if request.method == "POST" and form.is_valid():
        statistic = form.save()
        if was_approved and not statistic.is_approved:
            messages.info(request, "Saved. The number changed, so it needs approving again.")
        else:
            messages.success(request, "Statistic saved.")
        return redirect("materials:statistic", statistic.pk)
    return render(request, "materials/statistic_form.html", {"form": form, "statistic": statistic})


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    statistic = _statistic(request, pk)
    history = list(statistic.history.select_related("recorded_by"))
    # A draft quoting the number twice is listed once, with its newest quote.
    citations: dict[int, object] = {}
    for citation in statistic.citations.select_related("draft").order_by("-created_at", "-id"):
        citations.setdefault(citation.draft_id, citation)
    context = {
        "statistic": statistic,
        "shown": facts.display(statistic),
        "freshness": facts.freshness(statistic, today=timezone.localdate()),
        "history": [(entry, facts.number(entry.value)) for entry in history[:HISTORY_ROWS]],
        "history_count": len(history),
        "chart": _chart(statistic, history),
        "citations": list(citations.values()),
        "preset": presets.describe(statistic.live_preset, statistic.live_url),
        "steps": workflow.allowed_steps(statistic, request.user),
        "can_edit": roles.can_edit(request.user, statistic.team_id),
        "can_approve": roles.can_approve(request.user, statistic.team_id),
    }
    return render(request, "materials/statistic.html", context)


def _chart(statistic: KeyStatistic, history: list) -> str:
    """The value over time as an SVG, once there are two dates to draw a line between."""
    points = {
        datetime.combine(entry.as_of, time(), tzinfo=UTC): float(entry.value)
        for entry in reversed(history)  # oldest first: a later entry for a date wins
    }
    if len(points) < 2:
        return ""
    return charts.svg(
        charts.TimeSeries(
            title=f"{statistic.name} over time",
            points=tuple(points.items()),
            y_label=statistic.unit or "Value",
            unit="day",
            height=160,
        )
    )


@login_required
@require_POST
def try_source(request: HttpRequest) -> HttpResponse:
    """ "Try the source" on the form: read the chosen live source now and show what it gives,
    saving nothing (an htmx fragment)."""
    if not _editable_teams(request.user):
        raise PermissionDenied("Viewers cannot add or change statistics.")
    form = LiveSourceForm(request.POST)
    context: dict = {"errors": [], "shown": "", "url": ""}
    if not form.is_valid():
        context["errors"] = [e for errors in form.errors.values() for e in errors]
    elif (trial := form.trial()) is None:
        context["errors"] = ["Choose a preset or give a URL and a JSONPath first."]
    else:
        context["url"] = presets.dated(
            trial.live_url, trial.live_preset, today=timezone.localdate()
        )
        try:
            context["shown"] = facts.number(live.read(trial))
        except live.SourceError as exc:
            context["errors"] = [str(exc)]
    return render(request, "materials/_statistic_try.html", context)


@login_required
@require_POST
def refresh(request: HttpRequest, pk: int) -> HttpResponse:
    statistic = _editable(request, pk)
    outcome = live.refresh(statistic)
    if outcome.ok:
        statistic.refresh_from_db()
        changed = "" if outcome.changed else " (unchanged)"
        messages.success(request, f"Refreshed: {facts.display(statistic)}{changed}.")
    elif outcome.skipped:
        messages.info(request, outcome.error)
    else:
        messages.error(request, f"Refresh failed, the last value is kept. {outcome.error}")
    return redirect("materials:statistic", statistic.pk)


@login_required
@require_POST
def step(request: HttpRequest, pk: int) -> HttpResponse:
    statistic = _editable(request, pk)
    try:
        taken = workflow.apply(statistic, request.POST.get("step", ""), request.user)
    except workflow.WorkflowError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"{taken.label}: now {statistic.get_status_display().lower()}.")
    return redirect("materials:statistic", statistic.pk)
