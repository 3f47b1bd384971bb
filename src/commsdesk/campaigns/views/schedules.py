"""The report schedules of a campaign: who gets its report by email, how often, and whether the
last one went out (with the mail server's own words when it did not).

Everyone in the team sees them; adding and removing is for staff, since reports leave the desk.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from commsdesk.accounts.roles import can_manage
from commsdesk.campaigns.models import Campaign
from commsdesk.campaigns.schedules import ScheduleForm, previous_period


def _campaign(request: HttpRequest, pk: int) -> Campaign:
    return get_object_or_404(Campaign.objects.for_team(request.user), pk=pk)


@login_required
def report_schedules(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _campaign(request, pk)
    may_change = can_manage(request.user, campaign.team_id)
    form = ScheduleForm(request.POST or None)
    if request.method == "POST":
        if not may_change:
            raise PermissionDenied("Only the team's admins and editors add report schedules.")
        if form.is_valid():
            schedule = form.save(commit=False)
            schedule.campaign, schedule.created_by = campaign, request.user
            schedule.save()
            start, end = previous_period(schedule.frequency, schedule.next_run_at)
            messages.success(
                request,
                f"{schedule.get_frequency_display()} report added: the first goes out "
                f"{schedule.next_run_at:%-d %b %Y, %H:%M} UTC, covering {start:%-d %b} – "
                f"{end:%-d %b %Y}.",
            )
            return redirect("campaigns:report_schedules", campaign.pk)
    context = {
        "campaign": campaign,
        "schedules": campaign.schedules.order_by("next_run_at"),
        "form": form,
        "may_change": may_change,
    }
    return render(request, "campaigns/outputs/schedules.html", context)


@login_required
@require_POST
def report_schedule_delete(request: HttpRequest, pk: int, schedule_pk: int) -> HttpResponse:
    campaign = _campaign(request, pk)
    schedule = get_object_or_404(campaign.schedules, pk=schedule_pk)
    if not can_manage(request.user, campaign.team_id):
        raise PermissionDenied("Only the team's admins and editors remove report schedules.")
    schedule.delete()
    messages.success(request, f"{schedule.get_frequency_display()} report removed.")
    return redirect("campaigns:report_schedules", campaign.pk)
