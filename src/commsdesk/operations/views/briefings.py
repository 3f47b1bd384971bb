"""Briefing pack pages: the engagements coming up (/operations/briefings/), and for each inquiry
or speaking opportunity (…/inquiry/<pk>/, …/opportunity/<pk>/) a web page and a PDF.
`briefing.build` gathers the contents; these views scope the record to the reader's teams and
read the page's choices (language, host, campaign).
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.text import slugify

from commsdesk.campaigns.models import Campaign
from commsdesk.operations import briefing, briefing_print
from commsdesk.relations.models import Inquiry, Journalist, SpeakingOpportunity

KINDS = {"inquiry": Inquiry, "opportunity": SpeakingOpportunity}


def _record(request: HttpRequest, kind: str, pk: str) -> Inquiry | SpeakingOpportunity:
    model = KINDS[kind]
    related = ("journalist", "outlet", "spokesperson") if model is Inquiry else ("speaker",)
    return get_object_or_404(model.objects.for_team(request.user).select_related(*related), pk=pk)


def _chosen(request: HttpRequest, queryset, name: str):
    """The record named by ?name=<pk>, within the team; None when absent or not theirs."""
    value = request.GET.get(name, "")
    return queryset.filter(pk=int(value)).first() if value.isdigit() else None


def _build(request: HttpRequest, kind: str, pk: str):
    record = _record(request, kind, pk)
    # Offered as host only if the person may see them (a sensitive contact is staff's).
    journalists = Journalist.objects.visible_to(request.user).filter(team_id=record.team_id)
    campaigns = Campaign.objects.filter(team_id=record.team_id)
    built = briefing.build(
        record,
        user=request.user,
        journalist=_chosen(request, journalists, "journalist"),
        language=request.GET.get("lang", "").strip()[:12],
        campaign=_chosen(request, campaigns, "campaign"),
    )
    return record, built, journalists, campaigns


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """Open inquiries and speaking slots still ahead: what someone may need a briefing for."""
    closed = (Inquiry.Status.ANSWERED, Inquiry.Status.DECLINED)
    inquiries = (
        Inquiry.objects.for_team(request.user)
        .exclude(status__in=closed)
        .select_related("journalist", "outlet", "spokesperson")
    )
    over = (SpeakingOpportunity.Stage.DECLINED, SpeakingOpportunity.Stage.DONE)
    slots = (
        SpeakingOpportunity.objects.for_team(request.user)
        .exclude(stage__in=over)
        .exclude(starts_at__lt=timezone.now())
        .select_related("speaker")
    )
    return render(
        request, "operations/briefings.html", {"inquiries": inquiries, "opportunities": slots}
    )


@login_required
def briefing_page(request: HttpRequest, kind: str, pk: str) -> HttpResponse:
    record, built, journalists, campaigns = _build(request, kind, pk)
    context = {
        "record": record,
        "briefing": built,
        "journalists": journalists.only("pk", "name") if kind == "opportunity" else None,
        "campaigns": campaigns.only("pk", "name"),
        "query": request.GET.urlencode(),
        "chosen": request.GET,
    }
    return render(request, "operations/briefing.html", context)


@login_required
def briefing_pdf(request: HttpRequest, kind: str, pk: str) -> HttpResponse:
    _, built, _, _ = _build(request, kind, pk)
    reply = HttpResponse(briefing_print.render_pdf(built), content_type="application/pdf")
    name = slugify(built.engagement.title)[:60] or "engagement"
    reply["Content-Disposition"] = f'attachment; filename="briefing-{name}.pdf"'
    return reply
