"""Crisis room pages: the incidents list (open first), opening and editing an incident, its page
with the live coverage panel (an htmx fragment polled every minute), the timeline's quick-add,
the situation report (page, PDF, email) and closing with a post-incident summary.

Access: members of the incident's team read (others get 404); staff and volunteers add timeline
entries and send the report; staff (admins, editors) open, edit and close incidents.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Case, IntegerField, Value, When
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from commsdesk.accounts import roles
from commsdesk.accounts.models import Team
from commsdesk.ingest.tasks import backfill_mentions
from commsdesk.operations import incidents, sitrep
from commsdesk.operations.incident_forms import CloseForm, EventForm, IncidentForm, SendForm
from commsdesk.operations.models import Incident
from commsdesk.relations.local_time import in_their_zone

CHECKBOXES = ("on_call", "searches", "materials", "inquiries")  # laid out as fieldsets


def _incident(request: HttpRequest, pk: int) -> Incident:
    return get_object_or_404(
        Incident.objects.for_team(request.user).select_related("owner", "team"), pk=pk
    )


def _managed(request: HttpRequest, pk: int) -> Incident:
    incident = _incident(request, pk)
    if not roles.can_manage(request.user, incident.team_id):
        raise PermissionDenied("Only staff can change or close an incident.")
    return incident


@login_required
@in_their_zone
def incident_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    rows = (
        Incident.objects.for_team(user)
        .select_related("owner")
        .annotate(
            closed=Case(
                When(status=Incident.Status.CLOSED, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            )
        )
        .order_by("closed", "-opened_at")
    )
    can_open = any(roles.can_manage(user, t.pk) for t in Team.objects.of(user))
    return render(request, "operations/incidents.html", {"incidents": rows, "can_open": can_open})


@login_required
@in_their_zone
def incident_new(request: HttpRequest) -> HttpResponse:
    user = request.user
    team = Team.objects.default_for(user)
    if not roles.can_manage(user, team.pk):
        raise PermissionDenied("Only staff can open an incident.")
    incident = Incident(team=team, created_by=user, owner=user)
    form = IncidentForm(request.POST or None, instance=incident, team_id=team.pk)
    if request.method == "POST" and form.is_valid():
        incident = form.save()
        _add_search(form, user)
        incident.timeline.create(kind="event", text="Incident opened.", author=user)
        messages.success(request, "Incident opened.")
        return redirect("operations:incident", incident.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "operations/incident_form.html", _form_context(form), status=status)


@login_required
@in_their_zone
def incident_edit(request: HttpRequest, pk: int) -> HttpResponse:
    incident = _managed(request, pk)
    form = IncidentForm(request.POST or None, instance=incident, team_id=incident.team_id)
    if request.method == "POST" and form.is_valid():
        form.save()
        _add_search(form, request.user)
        messages.success(request, "Saved.")
        return redirect("operations:incident", incident.pk)
    status = 400 if request.method == "POST" else 200
    context = _form_context(form, incident)
    return render(request, "operations/incident_form.html", context, status=status)


def _form_context(form: IncidentForm, incident: Incident | None = None) -> dict:
    return {"form": form, "incident": incident, "checkboxes": CHECKBOXES}


def _add_search(form: IncidentForm, user) -> None:
    saved = form.new_search(user)
    if saved is not None:
        backfill_mentions.enqueue(saved.pk)  # the panel shows the last 48 hours at once


@login_required
@in_their_zone
def incident(request: HttpRequest, pk: int) -> HttpResponse:
    return _incident_page(request, _incident(request, pk), EventForm())


def _incident_page(
    request: HttpRequest, found: Incident, event_form: EventForm, status: int = 200
) -> HttpResponse:
    user = request.user
    lines = incidents.lines(found, viewer=user)
    context = {
        "incident": found,
        "timeline": found.timeline.select_related("author"),
        "on_call": found.on_call.order_by("username"),
        "searches": found.searches.order_by("name"),
        "lines": lines,
        "unapproved": [line for line in lines if not line.approved],
        "inquiries": found.inquiries.select_related("journalist").order_by("deadline"),
        "event_form": event_form,
        "can_note": roles.can_edit(user, found.team_id),
        "can_manage": roles.can_manage(user, found.team_id),
    }
    return render(request, "operations/incident.html", context, status=status)


@login_required
def coverage_panel(request: HttpRequest, pk: int) -> HttpResponse:
    """The live panel (htmx, every minute)."""
    found = _incident(request, pk)
    figures = incidents.coverage(found)
    context = {
        "incident": found,
        "coverage": figures,
        "chart": incidents.chart(found, figures),
        "refreshed": timezone.now(),
    }
    return render(request, "operations/_coverage.html", context)


@login_required
@require_POST
@in_their_zone
def add_event(request: HttpRequest, pk: int) -> HttpResponse:
    found = _incident(request, pk)
    if not roles.can_edit(request.user, found.team_id):
        raise PermissionDenied("Viewers cannot add to the timeline.")
    form = EventForm(request.POST)
    if not form.is_valid():  # shown again with what was typed
        return _incident_page(request, found, form, status=400)
    event = form.save(commit=False)
    event.incident, event.author = found, request.user
    event.at = event.at or timezone.now()
    event.save()
    messages.success(request, "Added to the timeline.")
    return redirect("operations:incident", found.pk)


@login_required
@in_their_zone
def report(request: HttpRequest, pk: int) -> HttpResponse:
    found = _incident(request, pk)
    made = incidents.situation_report(found, viewer=request.user)
    context = {
        "report": made,
        "send_form": SendForm(team_id=found.team_id),
        "can_send": roles.can_edit(request.user, found.team_id),
    }
    return render(request, "operations/sitrep.html", context)


@login_required
@in_their_zone
def report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    found = _incident(request, pk)
    made = incidents.situation_report(found, viewer=request.user)
    reply = HttpResponse(sitrep.pdf(made, base_url=_base(request)), content_type="application/pdf")
    name = f"situation-report-{found.pk}-{timezone.localtime(made.made_at):%Y%m%d-%H%M}.pdf"
    reply["Content-Disposition"] = content_disposition_header(True, name)
    return reply


@login_required
@require_POST
@in_their_zone
def report_send(request: HttpRequest, pk: int) -> HttpResponse:
    found = _incident(request, pk)
    if not roles.can_edit(request.user, found.team_id):
        raise PermissionDenied("Viewers cannot send the situation report.")
    form = SendForm(request.POST, team_id=found.team_id)
    if not form.is_valid():
        messages.error(request, "Choose who receives the situation report.")
        return redirect("operations:incident_report", found.pk)
    people = list(form.cleaned_data["people"])
    made = incidents.situation_report(found, viewer=request.user)
    try:
        sitrep.send(made, people, sender=request.user, base_url=_base(request))
    except OSError as exc:
        messages.error(request, f"The mail server refused the report ({exc}); nothing was sent.")
        return redirect("operations:incident_report", found.pk)
    names = ", ".join(p.get_full_name() or p.username for p in people)
    found.timeline.create(
        kind="action", text=f"Situation report emailed to {names}.", author=request.user
    )
    messages.success(request, f"Situation report sent to {names}.")
    return redirect("operations:incident_report", found.pk)


@login_required
@in_their_zone
def close(request: HttpRequest, pk: int) -> HttpResponse:
    found = _managed(request, pk)
    if found.status == Incident.Status.CLOSED:
        messages.info(request, "This incident is already closed.")
        return redirect("operations:incident", found.pk)
    initial = {"summary": found.post_incident_summary or incidents.proposed_summary(found)}
    form = CloseForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        incidents.close(found, form.cleaned_data["summary"], request.user)
        messages.success(request, "Incident closed; the post-incident summary is saved.")
        return redirect("operations:incident", found.pk)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "incident": found}
    return render(request, "operations/incident_close.html", context, status=status)


def _base(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")
