"""Pitch pages: templates, composing with a per-journalist preview, sending (staff), each copy's
status with bounces and replies marked by hand, and coverage that followed.

Thin views: merging lives in `relations.merge`, sending in `relations.pitching`, coverage
suggestions in `relations.pitch_coverage`. Every lookup is scoped to the person's teams first.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from commsdesk.accounts import roles
from commsdesk.accounts.models import Team
from commsdesk.monitoring.models import Article
from commsdesk.relations import merge, pitch_coverage, pitching
from commsdesk.relations.models import Journalist, Pitch, PitchRecipient, PitchTemplate
from commsdesk.relations.pitch_forms import MarkForm, PitchForm, PitchTemplateForm, SenderForm

Status = PitchRecipient.Status


def _pitch(request: HttpRequest, pk: int) -> Pitch:
    pitches = Pitch.objects.for_team(request.user).select_related("media_list", "team", "sent_by")
    return get_object_or_404(pitches, pk=pk)


def _template(request: HttpRequest, pk: int) -> PitchTemplate:
    return get_object_or_404(PitchTemplate.objects.for_team(request.user), pk=pk)


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied("Your role in this team does not allow this.")


def _in_any_team(user, check) -> bool:
    return any(check(user, team.pk) for team in Team.objects.of(user))


def _journalists(pitch: Pitch):
    """Who is on the pitch's list now (the preview chooses among them)."""
    if pitch.media_list is None:
        return Journalist.objects.none()
    return pitch.media_list.journalists.order_by("name")


# --- pitches ----------------------------------------------------------------------------------


@login_required
def pitches(request: HttpRequest) -> HttpResponse:
    rows = (
        Pitch.objects.for_team(request.user)
        .select_related("media_list")
        .annotate(**{s: Count("recipients", filter=Q(recipients__status=s)) for s in Status.values})
    )
    context = {
        "pitches": rows,
        "can_edit": _in_any_team(request.user, roles.can_edit),
        "can_manage": _in_any_team(request.user, roles.can_manage),
    }
    return render(request, "relations/pitches/pitches.html", context)


@login_required
def pitch_new(request: HttpRequest) -> HttpResponse:
    user = request.user
    _require(_in_any_team(user, roles.can_edit))
    templates = PitchTemplate.objects.for_team(user)
    initial = {}
    if request.GET.get("list", "").isdigit():
        initial["media_list"] = request.GET["list"]
    chosen = templates.filter(pk=request.GET.get("template") or 0).first()
    if chosen:
        initial.update(subject=chosen.subject, body=chosen.body)
    form = PitchForm(request.POST or None, user=user, initial=initial)
    if request.method == "POST" and form.is_valid():
        pitch = form.save(commit=False)
        pitch.team_id = pitch.media_list.team_id
        _require(roles.can_edit(user, pitch.team_id))
        pitch.created_by = user
        pitch.save()
        messages.success(request, "Pitch saved as a draft. Check the preview, then send it.")
        return redirect("relations:pitch", pitch.pk)
    context = {"form": form, "templates": templates, "chosen": chosen}
    return render(request, "relations/pitches/pitch_form.html", context)


@login_required
def pitch(request: HttpRequest, pk: int) -> HttpResponse:
    pitch = _pitch(request, pk)
    user, team_id = request.user, pitch.team_id
    journalists = _journalists(pitch)
    counts = dict(
        pitch.recipients.values_list("status").annotate(n=Count("id")).values_list("status", "n")
    )
    context = {
        "pitch": pitch,
        "problems": merge.check_pitch(pitch.subject, pitch.body),
        "journalists": journalists,
        "preview": _preview_context(request, pitch, journalists),
        "counts": [(s.label, s.value, counts.get(s.value, 0)) for s in Status if s.value in counts],
        "late": pitching.not_yet_included(pitch).count(),
        "coverage": pitch.coverage.select_related("outlet").order_by("-sort_at"),
        "sender": pitching.sender_address(pitch),
        "can_edit": roles.can_edit(user, team_id),
        "can_manage": roles.can_manage(user, team_id),
        "can_see_contacts": roles.can_see_contacts(user, team_id),
    }
    return render(request, "relations/pitches/pitch.html", context)


def _preview_context(request: HttpRequest, pitch: Pitch, journalists) -> dict | None:
    """The merged copy for the journalist asked for (?preview=id), or the first on the list."""
    asked = request.GET.get("preview", "")
    journalist = journalists.filter(pk=asked).first() if asked.isdigit() else journalists.first()
    if journalist is None:
        return None
    sender = pitch.sent_by or request.user
    fields = pitching.merge_fields(journalist, sender)
    try:
        copy = pitching.merged(pitch, journalist, sender)
    except merge.MergeError as exc:
        return {"journalist": journalist, "error": str(exc)}
    used = merge.used_fields(pitch.subject) | merge.used_fields(pitch.body)
    return {
        "journalist": journalist,
        "copy": copy,
        "empty": sorted(name for name in used if not fields.get(name)),
        "skip": pitching.skip_reason(journalist),
        "reply_to": sender.email,
        "to": journalist.email if roles.can_see_contacts(request.user, pitch.team_id) else None,
    }


@login_required
def pitch_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """htmx: the preview for another journalist on the list."""
    pitch = _pitch(request, pk)
    journalists = _journalists(pitch)
    context = {"pitch": pitch, "preview": _preview_context(request, pitch, journalists)}
    return render(request, "relations/pitches/_preview.html", context)


@login_required
def pitch_edit(request: HttpRequest, pk: int) -> HttpResponse:
    pitch = _pitch(request, pk)
    _require(roles.can_edit(request.user, pitch.team_id))
    if pitch.status != Pitch.Status.DRAFT:
        messages.error(request, "This pitch has been sent: it can no longer be changed.")
        return redirect("relations:pitch", pitch.pk)
    form = PitchForm(request.POST or None, instance=pitch, user=request.user)
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["media_list"].team_id != pitch.team_id:
            form.add_error("media_list", "Choose a media list of the pitch's own team.")
        else:
            form.save()
            messages.success(request, "Pitch saved.")
            return redirect("relations:pitch", pitch.pk)
    context = {"form": form, "pitch": pitch}
    return render(request, "relations/pitches/pitch_form.html", context)


@login_required
@require_POST
def pitch_delete(request: HttpRequest, pk: int) -> HttpResponse:
    pitch = _pitch(request, pk)
    _require(roles.can_manage(request.user, pitch.team_id))
    pitch.delete()
    messages.success(request, f"Pitch “{pitch.subject}” deleted.")
    return redirect("relations:pitches")


@login_required
@require_POST
def pitch_send(request: HttpRequest, pk: int) -> HttpResponse:
    pitch = _pitch(request, pk)
    _require(roles.can_manage(request.user, pitch.team_id))
    try:
        added = pitching.start_sending(pitch, request.user)
    except pitching.SendingError as exc:
        messages.error(request, f"Not sent: {exc}")
        return redirect("relations:pitch", pitch.pk)
    messages.success(
        request,
        f"Sending to {added} journalist{'s' if added != 1 else ''}, one by one. "
        "Do-not-contact journalists and those without an email address are skipped.",
    )
    return redirect("relations:pitch_recipients", pitch.pk)


@login_required
@require_POST
def pitch_retry(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff: send the copies that failed once more (after a mail server outage, say)."""
    pitch = _pitch(request, pk)
    _require(roles.can_manage(request.user, pitch.team_id))
    count = pitching.send_failed_again(pitch)
    messages.success(request, f"Sending {count} failed cop{'ies' if count != 1 else 'y'} again.")
    return redirect("relations:pitch_recipients", pitch.pk)


# --- each copy's status -----------------------------------------------------------------------


def _recipients_context(request: HttpRequest, pitch: Pitch) -> dict:
    recipients = pitch.recipients.select_related("journalist").order_by("journalist__name", "pk")
    return {
        "pitch": pitch,
        "recipients": recipients,
        "can_edit": roles.can_edit(request.user, pitch.team_id),
        "can_see_contacts": roles.can_see_contacts(request.user, pitch.team_id),
        "mark_form": MarkForm(),
        "markable": (Status.SENT, Status.BOUNCED, Status.REPLIED),
        "can_manage": roles.can_manage(request.user, pitch.team_id),
        "failed_count": pitch.recipients.filter(status=Status.FAILED).count(),
    }


@login_required
def pitch_recipients(request: HttpRequest, pk: int) -> HttpResponse:
    pitch = _pitch(request, pk)
    context = _recipients_context(request, pitch)
    name = "_recipients.html" if request.htmx else "recipients.html"
    return render(request, f"relations/pitches/{name}", context)


@login_required
@require_POST
def pitch_recipient_mark(request: HttpRequest, pk: int, recipient_pk: int) -> HttpResponse:
    pitch = _pitch(request, pk)
    _require(roles.can_edit(request.user, pitch.team_id))
    recipient = get_object_or_404(pitch.recipients.select_related("journalist"), pk=recipient_pk)
    form = MarkForm(request.POST)
    if recipient.status not in (Status.SENT, Status.BOUNCED, Status.REPLIED):
        messages.error(request, "Only a copy that was sent can be marked bounced or replied.")
    elif not form.is_valid():
        messages.error(request, "Choose replied, bounced or sent; a note is at most 300 letters.")
    else:
        recipient.status = form.cleaned_data["status"]
        recipient.note = form.cleaned_data["note"].strip()
        recipient.save(update_fields=["status", "note", "updated_at"])
        who = recipient.journalist or recipient.email or "The copy"
        messages.success(request, f"{who}: marked {recipient.get_status_display().lower()}.")
    return redirect("relations:pitch_recipients", pitch.pk)


# --- coverage that followed -------------------------------------------------------------------


@login_required
def pitch_coverage_view(request: HttpRequest, pk: int) -> HttpResponse:
    pitch = _pitch(request, pk)
    asked = request.GET.get("days", "")
    days = int(asked) if asked.isdigit() and int(asked) in pitch_coverage.DAYS else None
    days = days or pitch_coverage.DEFAULT_DAYS
    context = {
        "pitch": pitch,
        "days": days,
        "choices": pitch_coverage.DAYS,
        "suggestions": pitch_coverage.suggestions(pitch, days=days),
        "linked": pitch.coverage.select_related("outlet").order_by("-sort_at"),
        "can_edit": roles.can_edit(request.user, pitch.team_id),
    }
    return render(request, "relations/pitches/coverage.html", context)


@login_required
@require_POST
def pitch_coverage_change(request: HttpRequest, pk: int) -> HttpResponse:
    pitch = _pitch(request, pk)
    _require(roles.can_edit(request.user, pitch.team_id))
    article = get_object_or_404(Article, pk=request.POST.get("article") or 0)
    if request.POST.get("action") == "unlink":
        pitch.coverage.remove(article)
        messages.success(request, f"Unlinked “{article.title}”.")
    else:
        pitch.coverage.add(article)
        messages.success(request, f"Linked “{article.title}” as coverage of this pitch.")
    back = request.POST.get("next", "")
    if back == "pitch":
        return redirect("relations:pitch", pitch.pk)
    return redirect("relations:pitch_coverage", pitch.pk)


# --- templates and the sender address ---------------------------------------------------------


@login_required
def pitch_templates(request: HttpRequest) -> HttpResponse:
    context = {
        "templates": PitchTemplate.objects.for_team(request.user),
        "can_edit": _in_any_team(request.user, roles.can_edit),
        "can_manage": _in_any_team(request.user, roles.can_manage),
        "merge_fields": merge.FIELDS,
    }
    return render(request, "relations/pitches/templates.html", context)


@login_required
def pitch_template_new(request: HttpRequest) -> HttpResponse:
    _require(_in_any_team(request.user, roles.can_edit))
    form = PitchTemplateForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        template = form.save(commit=False)
        team = form.cleaned_data.get("team") or Team.objects.default_for(request.user)
        _require(roles.can_edit(request.user, team.pk))
        template.team = team
        template.save()
        messages.success(request, f"Template “{template.name}” saved.")
        return redirect("relations:pitch_templates")
    return render(request, "relations/pitches/template_form.html", {"form": form})


@login_required
def pitch_template_edit(request: HttpRequest, pk: int) -> HttpResponse:
    template = _template(request, pk)
    _require(roles.can_edit(request.user, template.team_id))
    form = PitchTemplateForm(request.POST or None, instance=template, user=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, f"Template “{template.name}” saved.")
        return redirect("relations:pitch_templates")
    context = {"form": form, "template": template}
    return render(request, "relations/pitches/template_form.html", context)


@login_required
@require_POST
def pitch_template_delete(request: HttpRequest, pk: int) -> HttpResponse:
    template = _template(request, pk)
    _require(roles.can_manage(request.user, template.team_id))
    template.delete()
    messages.success(request, f"Template “{template.name}” deleted.")
    return redirect("relations:pitch_templates")


@login_required
def pitch_settings(request: HttpRequest) -> HttpResponse:
    """The team's From address for pitches (staff)."""
    asked = request.GET.get("team", "")
    if asked.isdigit():
        team = get_object_or_404(Team.objects.of(request.user), pk=asked)
    else:
        team = Team.objects.default_for(request.user)
    _require(roles.can_manage(request.user, team.pk))
    form = SenderForm(request.POST or None, instance=team)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Sender address saved.")
        return redirect("relations:pitches")
    return render(request, "relations/pitches/settings.html", {"form": form, "team": team})
