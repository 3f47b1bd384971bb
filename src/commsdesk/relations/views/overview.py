"""The Relations front page: what is due and how many of each record the team keeps."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from commsdesk.accounts.models import Profile
from commsdesk.relations.models import (
    Inquiry,
    Journalist,
    MediaList,
    Pitch,
    SpeakingOpportunity,
    Spokesperson,
    Training,
)

OPEN = [s for s in Inquiry.Status.values if s not in ("answered", "declined")]


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    user, now = request.user, timezone.now()
    inquiries = Inquiry.objects.for_team(user)
    context = {
        "now": now,
        "zone": Profile.of(user).timezone,
        "due": inquiries.filter(status__in=OPEN).order_by(F("deadline").asc(nulls_last=True))[:10],
        "overdue": inquiries.filter(status__in=OPEN, deadline__lt=now).count(),
        "counts": {
            "journalists": Journalist.objects.visible_to(user).count(),
            "media_lists": MediaList.objects.for_team(user).count(),
            "pitches": Pitch.objects.for_team(user).count(),
            "open_inquiries": inquiries.filter(status__in=OPEN).count(),
            "spokespeople": Spokesperson.objects.for_team(user).filter(active=True).count(),
            "trainings": Training.objects.for_team(user).count(),
            "opportunities": SpeakingOpportunity.objects.for_team(user).count(),
        },
    }
    return render(request, "relations/overview.html", context)
