"""Media training pages: sessions (upcoming and past), one session with its attendees, add and
edit. Attendance and the trained dates it sets are kept by `attendance`."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from commsdesk.relations import attendance, roster
from commsdesk.relations.local_time import in_their_zone
from commsdesk.relations.models import Spokesperson, Training
from commsdesk.relations.speaker_forms import AttendanceForm, AttendeeForm, TrainingForm


@login_required
@in_their_zone
def trainings(request: HttpRequest) -> HttpResponse:
    sessions = Training.objects.for_team(request.user)
    now = timezone.now()
    context = {
        "upcoming": sessions.filter(starts_at__gte=now).order_by("starts_at"),
        "past": sessions.filter(starts_at__lt=now).order_by("-starts_at")[:100],
        "can_add": bool(roster.Access(request.user).editable_teams()),
    }
    return render(request, "relations/trainings.html", context)


@login_required
@in_their_zone
def training(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_object_or_404(Training.objects.for_team(request.user), pk=pk)
    access = roster.Access(request.user)
    context = {
        "training": session,
        "rows": session.attendance.select_related("spokesperson").order_by("spokesperson__name"),
        "add_form": AttendeeForm(training=session),
        "can_edit": access.can_edit(session.team_id),
        "can_manage": access.can_manage(session.team_id),
    }
    return render(request, "relations/training.html", context)


@login_required
@in_their_zone
def training_add(request: HttpRequest) -> HttpResponse:
    teams = roster.Access(request.user).editable_teams()
    if not teams:
        raise PermissionDenied("Your role in the team lets you read trainings, not add them.")
    form = TrainingForm(request.POST or None, teams=teams)
    if request.method == "POST" and form.is_valid():
        session = form.save(commit=False)
        session.team = form.chosen_team(teams[0])
        session.save()
        messages.success(request, f"Added the training “{session.title}”. Now add who attends.")
        return redirect("relations:training", session.pk)
    return render(request, "relations/training_form.html", {"form": form, "training": None})


@login_required
@in_their_zone
def training_edit(request: HttpRequest, pk: int) -> HttpResponse:
    session = _editable(request, pk)
    before = Training.objects.get(pk=session.pk)  # the form changes `session` as it validates
    form = TrainingForm(request.POST or None, instance=session, teams=[session.team])
    if request.method == "POST" and form.is_valid():
        form.save()
        attendance.refresh_after_change(before, session)
        messages.success(request, "Training saved.")
        return redirect("relations:training", session.pk)
    return render(request, "relations/training_form.html", {"form": form, "training": session})


@login_required
@require_POST
def training_delete(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_object_or_404(Training.objects.for_team(request.user), pk=pk)
    if not roster.Access(request.user).can_manage(session.team_id):
        raise PermissionDenied("Only the comms staff can delete a training.")
    for row in session.attendance.select_related("spokesperson"):
        attendance.remove(session, row.spokesperson)
    session.delete()
    messages.success(request, f"Deleted the training “{session.title}”.")
    return redirect("relations:trainings")


@login_required
@require_POST
def attendee_add(request: HttpRequest, pk: int) -> HttpResponse:
    session = _editable(request, pk)
    form = AttendeeForm(request.POST, training=session)
    if form.is_valid():
        data = form.cleaned_data
        attendance.record(
            session, data["spokesperson"], attended=data["attended"], follow_up=data["follow_up"]
        )
        messages.success(request, f"Added {data['spokesperson'].name}.")
    else:
        messages.error(request, "Choose a spokesperson of this team who is not listed yet.")
    return redirect("relations:training", session.pk)


@login_required
@require_POST
def attendance_update(request: HttpRequest, pk: int, person_pk: int) -> HttpResponse:
    session = _editable(request, pk)
    person = get_object_or_404(session.attendees.all(), pk=person_pk)
    form = AttendanceForm(request.POST)
    if form.is_valid():
        attendance.record(session, person, **form.cleaned_data)
        messages.success(request, f"Saved {person.name}'s attendance.")
    else:
        messages.error(request, "; ".join(e for errors in form.errors.values() for e in errors))
    return redirect("relations:training", session.pk)


@login_required
@require_POST
def attendee_remove(request: HttpRequest, pk: int, person_pk: int) -> HttpResponse:
    session = _editable(request, pk)
    person = get_object_or_404(Spokesperson.objects.filter(team=session.team), pk=person_pk)
    attendance.remove(session, person)
    messages.success(request, f"Removed {person.name} from this training.")
    return redirect("relations:training", session.pk)


def _editable(request: HttpRequest, pk: int) -> Training:
    session = get_object_or_404(Training.objects.for_team(request.user), pk=pk)
    if not roster.Access(request.user).can_edit(session.team_id):
        raise PermissionDenied("Your role in the team lets you read trainings, not change them.")
    return session
