"""Campaign pages: the list, create and edit, and one campaign's setup page where its KPIs
(with manual entries), key messages, peers and activity log are added, edited and deleted.

Every lookup is scoped to the person's teams first, so another team's id is a 404; viewers
read, editors and volunteers change, staff delete.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from commsdesk.accounts import roles
from commsdesk.accounts.models import Team
from commsdesk.campaigns import forms
from commsdesk.campaigns.models import KPI, Activity, Campaign, KeyMessage, KPIEntry, Peer

# The parts of a campaign edited on its page: URL name → (model, form, what one is called).
PARTS = {
    "kpis": (KPI, forms.KPIForm, "KPI"),
    "messages": (KeyMessage, forms.KeyMessageForm, "key message"),
    "peers": (Peer, forms.PeerForm, "peer"),
    "activities": (Activity, forms.ActivityForm, "activity"),
}
TEAM_FORMS = (forms.PeerForm, forms.ActivityForm)  # forms whose choices are the team's records


def campaign_for(request: HttpRequest, pk: int) -> Campaign:
    return get_object_or_404(Campaign.objects.for_team(request.user), pk=pk)


def _require_edit(request: HttpRequest, campaign: Campaign) -> None:
    if not roles.can_edit(request.user, campaign.team_id):
        raise PermissionDenied("Viewers can read campaigns but not change them.")


@login_required
def campaign_list(request: HttpRequest) -> HttpResponse:
    campaigns = Campaign.objects.for_team(request.user).annotate(
        search_count=Count("searches", distinct=True), kpi_count=Count("kpis", distinct=True)
    )
    return render(request, "campaigns/list.html", {"campaigns": campaigns})


@login_required
def campaign_new(request: HttpRequest) -> HttpResponse:
    team = Team.objects.default_for(request.user)
    if not roles.can_edit(request.user, team.pk):
        raise PermissionDenied("Viewers can read campaigns but not create them.")
    form = forms.CampaignForm(request.POST or None, team_id=team.pk)
    if request.method == "POST" and form.is_valid():
        campaign = form.save(commit=False)
        campaign.team, campaign.created_by = team, request.user
        campaign.save()
        form.save_m2m()
        messages.success(request, f"Created “{campaign.name}”. Add its KPIs and key messages.")
        return redirect("campaigns:campaign", campaign.pk)
    return render(request, "campaigns/form.html", {"form": form, "campaign": None})


@login_required
def campaign_edit(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = campaign_for(request, pk)
    _require_edit(request, campaign)
    form = forms.CampaignForm(request.POST or None, instance=campaign, team_id=campaign.team_id)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, f"Saved “{campaign.name}”.")
        return redirect("campaigns:campaign", campaign.pk)
    return render(request, "campaigns/form.html", {"form": form, "campaign": campaign})


@login_required
@require_POST
def campaign_delete(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = campaign_for(request, pk)
    if not roles.can_manage(request.user, campaign.team_id):
        raise PermissionDenied("Only staff delete campaigns.")
    campaign.delete()
    messages.success(request, f"Deleted “{campaign.name}”.")
    return redirect("campaigns:list")


@login_required
def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = campaign_for(request, pk)
    context = {
        "campaign": campaign,
        "searches": campaign.searches.all(),
        "kpis": campaign.kpis.prefetch_related("entries"),
        "key_messages": campaign.key_messages.all(),
        "peers": campaign.peers.select_related("saved_search"),
        "activities": campaign.activities.select_related("pitch"),
        "can_edit": roles.can_edit(request.user, campaign.team_id),
        "can_manage": roles.can_manage(request.user, campaign.team_id),
        "add_forms": {part: _form(part, campaign) for part in PARTS},
        "entry_form": forms.KPIEntryForm(),
    }
    return render(request, "campaigns/detail.html", context)


def _form(part: str, campaign: Campaign, *args, **kwargs):
    _, form_class, _ = PARTS[part]
    if form_class in TEAM_FORMS:
        kwargs["team_id"] = campaign.team_id
    return form_class(*args, **kwargs)


def _part(part: str) -> tuple:
    if part not in PARTS:
        raise Http404
    return PARTS[part]


@login_required
def part_edit(request: HttpRequest, pk: int, part: str, item: int | None = None) -> HttpResponse:
    """Add (item None) or edit a KPI, key message, peer or activity of the campaign."""
    model, _, noun = _part(part)
    campaign = campaign_for(request, pk)
    _require_edit(request, campaign)
    instance = get_object_or_404(model, campaign=campaign, pk=item) if item else None
    form = _form(part, campaign, request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        saved = form.save(commit=False)
        saved.campaign = campaign
        saved.save()
        messages.success(request, f"Saved the {noun} “{saved}”.")
        return redirect(f"{campaign_url(campaign)}#{part}")
    context = {"campaign": campaign, "form": form, "noun": noun, "part": part, "item": instance}
    status = 400 if request.method == "POST" else 200
    return render(request, "campaigns/part_form.html", context, status=status)


@login_required
@require_POST
def part_delete(request: HttpRequest, pk: int, part: str, item: int) -> HttpResponse:
    model, _, noun = _part(part)
    campaign = campaign_for(request, pk)
    if not roles.can_manage(request.user, campaign.team_id):
        raise PermissionDenied("Only staff delete a campaign's records.")
    found = get_object_or_404(model, campaign=campaign, pk=item)
    found.delete()
    messages.success(request, f"Deleted the {noun} “{found}”.")
    return redirect(f"{campaign_url(campaign)}#{part}")


@login_required
def entry_add(request: HttpRequest, pk: int, item: int) -> HttpResponse:
    """A manual KPI's value as of a date (survey results, donations, sign-ups)."""
    campaign = campaign_for(request, pk)
    _require_edit(request, campaign)
    kpi = get_object_or_404(KPI, campaign=campaign, pk=item)
    form = forms.KPIEntryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        entry = form.save(commit=False)
        entry.kpi, entry.entered_by = kpi, request.user
        entry.save()
        messages.success(request, f"Recorded {entry.value:g} for “{kpi.name}”.")
        return redirect(f"{campaign_url(campaign)}#kpis")
    context = {
        "campaign": campaign,
        "form": form,
        "noun": f"entry for “{kpi.name}”",
        "part": "kpis",
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "campaigns/part_form.html", context, status=status)


@login_required
@require_POST
def entry_delete(request: HttpRequest, pk: int, item: int) -> HttpResponse:
    campaign = campaign_for(request, pk)
    if not roles.can_manage(request.user, campaign.team_id):
        raise PermissionDenied("Only staff delete KPI entries.")
    entry = get_object_or_404(KPIEntry, kpi__campaign=campaign, pk=item)
    entry.delete()
    messages.success(request, "Deleted the entry.")
    return redirect(f"{campaign_url(campaign)}#kpis")


def campaign_url(campaign: Campaign) -> str:
    return reverse("campaigns:campaign", args=[campaign.pk])
