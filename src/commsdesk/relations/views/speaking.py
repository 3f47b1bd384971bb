"""Speaking opportunities: the board by stage (idea → submitted → accepted/declined → done), one
opportunity with suggested speakers, add, edit, move between stages, choose the speaker."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from commsdesk.relations import roster
from commsdesk.relations.local_time import in_their_zone
from commsdesk.relations.models import SpeakingOpportunity, Spokesperson
from commsdesk.relations.speaker_forms import MoveForm, OpportunityForm


@login_required
@in_their_zone
def board(request: HttpRequest) -> HttpResponse:
    items = SpeakingOpportunity.objects.for_team(request.user).select_related("owner", "speaker")
    columns = {stage: [] for stage in SpeakingOpportunity.Stage.values}
    for item in items:
        columns[item.stage].append(item)
    context = {
        "columns": [
            (value, label, columns[value]) for value, label in SpeakingOpportunity.Stage.choices
        ],
        "stages": SpeakingOpportunity.Stage.choices,
        "now": timezone.now(),
        "can_add": bool(roster.Access(request.user).editable_teams()),
    }
    return render(request, "relations/speaking.html", context)


@login_required
@in_their_zone
def opportunity(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(
        SpeakingOpportunity.objects.for_team(request.user).select_related("owner", "speaker"),
        pk=pk,
    )
    access = roster.Access(request.user)
    can_edit = access.can_edit(item.team_id)
    context = {
        "item": item,
        "suggestions": roster.suggest(
            item.team_id, item.languages, item.topics, [item.location] if item.location else []
        ),
        "choose_url": reverse("relations:opportunity_speaker", args=[item.pk]) if can_edit else "",
        "chosen_id": item.speaker_id,
        "move_form": MoveForm(initial={"stage": item.stage}),
        "can_edit": can_edit,
        "can_manage": access.can_manage(item.team_id),
    }
    return render(request, "relations/opportunity.html", context)


@login_required
@in_their_zone
def opportunity_add(request: HttpRequest) -> HttpResponse:
    teams = roster.Access(request.user).editable_teams()
    if not teams:
        raise PermissionDenied("Your role in the team lets you read the board, not add to it.")
    form = OpportunityForm(request.POST or None, teams=teams, initial={"owner": request.user})
    if request.method == "POST" and form.is_valid():
        item = form.save(commit=False)
        item.team = form.chosen_team(teams[0])
        item.save()
        messages.success(request, f"Added “{item.title}” to the speaking board.")
        return redirect("relations:opportunity", item.pk)
    return render(request, "relations/opportunity_form.html", {"form": form, "item": None})


@login_required
@in_their_zone
def opportunity_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = _editable(request, pk)
    form = OpportunityForm(request.POST or None, instance=item, teams=[item.team])
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Saved.")
        return redirect("relations:opportunity", item.pk)
    return render(request, "relations/opportunity_form.html", {"form": form, "item": item})


@login_required
@require_POST
def opportunity_move(request: HttpRequest, pk: int) -> HttpResponse:
    item = _editable(request, pk)
    form = MoveForm(request.POST)
    if form.is_valid():
        item.stage = form.cleaned_data["stage"]
        item.save(update_fields=["stage", "updated_at"])
        messages.success(request, f"“{item.title}” is now at {item.get_stage_display()}.")
    else:
        messages.error(request, "Choose one of the stages on the board.")
    return _back(request, item)


@login_required
@require_POST
def opportunity_speaker(request: HttpRequest, pk: int) -> HttpResponse:
    item = _editable(request, pk)
    chosen = request.POST.get("spokesperson", "")
    if chosen == "":
        item.speaker = None
        messages.success(request, "No speaker chosen yet.")
    else:
        # Only this opportunity's team's spokespeople: another team's id is refused as missing.
        people = Spokesperson.objects.filter(team=item.team, active=True)
        item.speaker = people.filter(pk=chosen).first() if chosen.isdigit() else None
        if item.speaker is None:
            messages.error(request, "That spokesperson is not on this team's active roster.")
            return _back(request, item)
        messages.success(request, f"{item.speaker.name} is the speaker for “{item.title}”.")
    item.save(update_fields=["speaker", "updated_at"])
    return _back(request, item)


@login_required
@require_POST
def opportunity_delete(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(SpeakingOpportunity.objects.for_team(request.user), pk=pk)
    if not roster.Access(request.user).can_manage(item.team_id):
        raise PermissionDenied("Only the comms staff can delete an opportunity.")
    item.delete()
    messages.success(request, f"Deleted “{item.title}”.")
    return redirect("relations:speaking")


def _editable(request: HttpRequest, pk: int) -> SpeakingOpportunity:
    item = get_object_or_404(SpeakingOpportunity.objects.for_team(request.user), pk=pk)
    if not roster.Access(request.user).can_edit(item.team_id):
        raise PermissionDenied("Your role in the team lets you read the board, not change it.")
    return item


def _back(request: HttpRequest, item: SpeakingOpportunity) -> HttpResponse:
    """Back to the board or the opportunity, wherever the person pressed the button."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return redirect(target)
    return redirect("relations:opportunity", item.pk)
