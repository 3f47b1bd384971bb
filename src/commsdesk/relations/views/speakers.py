"""Spokesperson pages: the roster with filters, one person's page (training history, speaking
engagements), add, edit and deactivate. Who sees contact details is decided in `roster`."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify
from django.views.decorators.http import require_POST

from commsdesk.accounts import roles
from commsdesk.audit.downloads import record_export
from commsdesk.relations import attendance, data_rights, roster
from commsdesk.relations.local_time import in_their_zone
from commsdesk.relations.models import Spokesperson
from commsdesk.relations.speaker_forms import RosterFilterForm, SpokespersonForm

PER_PAGE = 50


@login_required
def speakers(request: HttpRequest) -> HttpResponse:
    filters = RosterFilterForm(request.GET or None)
    people = roster.roster(request.user, filters.chosen())
    page = Paginator(people, PER_PAGE).get_page(request.GET.get("page"))
    access = roster.Access(request.user)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "filters": filters,
        "page": page,
        "rows": [(person, access.sees_contact(person)) for person in page],
        "query_string": query.urlencode(),
        "can_add": bool(access.editable_teams()),
    }
    return render(request, "relations/speakers.html", context)


@login_required
@in_their_zone
def speaker(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(Spokesperson.objects.for_team(request.user), pk=pk)
    access = roster.Access(request.user)
    context = {
        "person": person,
        "sees_contact": access.sees_contact(person),
        "may_edit": access.may_edit(person),
        "can_manage": access.can_manage(person.team_id),
        "history": attendance.history(person),
        "engagements": person.engagements.order_by("-starts_at", "-deadline")[:20],
    }
    return render(request, "relations/speaker.html", context)


@login_required
def speaker_add(request: HttpRequest) -> HttpResponse:
    access = roster.Access(request.user)
    teams = access.editable_teams()
    if not teams:
        raise PermissionDenied("Your role in the team lets you read the roster, not add to it.")
    default = teams[0]
    form = SpokespersonForm(
        request.POST or None,
        teams=teams,
        shows_contacts=access.can_see_contacts(default.pk),
        can_manage=access.can_manage(default.pk),
    )
    if request.method == "POST" and form.is_valid():
        person = form.save(commit=False)
        person.team = form.chosen_team(default)
        person.save()
        messages.success(request, f"Added {person.name} to the roster.")
        return redirect("relations:speaker", person.pk)
    return render(request, "relations/speaker_form.html", {"form": form, "person": None})


@login_required
def speaker_edit(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(Spokesperson.objects.for_team(request.user), pk=pk)
    access = roster.Access(request.user)
    if not access.may_edit(person):
        raise PermissionDenied("Your role in the team lets you read this record, not change it.")
    form = SpokespersonForm(
        request.POST or None,
        instance=person,
        teams=[person.team],
        shows_contacts=access.sees_contact(person),
        can_manage=access.can_manage(person.team_id),
    )
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, f"Saved {person.name}.")
        return redirect("relations:speaker", person.pk)
    return render(request, "relations/speaker_form.html", {"form": form, "person": person})


@login_required
@require_POST
def speaker_active(request: HttpRequest, pk: int) -> HttpResponse:
    """Deactivate (or bring back): the record, its history and consent stay; suggestions and
    the roster leave them out."""
    person = get_object_or_404(Spokesperson.objects.for_team(request.user), pk=pk)
    if not roster.Access(request.user).can_manage(person.team_id):
        raise PermissionDenied("Only the comms staff can deactivate a spokesperson.")
    person.active = not person.active
    person.save(update_fields=["active", "updated_at"])
    state = "back on the roster" if person.active else "deactivated: kept, but not suggested"
    messages.success(request, f"{person.name} is {state}.")
    return redirect("relations:speaker", person.pk)


@login_required
def speaker_data(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff: everything held on this spokesperson, as JSON (a subject access request)."""
    person = get_object_or_404(Spokesperson.objects.for_team(request.user), pk=pk)
    if not roles.can_manage(request.user, person.team_id):
        raise PermissionDenied
    body = json.dumps(data_rights.spokesperson_record(person), indent=2, ensure_ascii=False)
    record_export(request, "Everything held on a spokesperson (JSON)", person)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    name = slugify(person.name) or "spokesperson"
    response["Content-Disposition"] = f'attachment; filename="{name}-{person.pk}-data.json"'
    return response


@login_required
def speaker_erase(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff: erase a spokesperson after a confirmation page; only an Erasure row remains."""
    person = get_object_or_404(Spokesperson.objects.for_team(request.user), pk=pk)
    if not roles.can_manage(request.user, person.team_id):
        raise PermissionDenied
    if request.method == "POST" and request.POST.get("confirm") == "erase":
        data_rights.erase_spokesperson(person, by=request.user)
        messages.success(request, "The spokesperson and their personal data were erased.")
        return redirect("relations:speakers")
    return render(request, "relations/speaker_erase.html", {"person": person})
