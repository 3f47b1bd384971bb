"""Press inquiry pages: the "inquiries due" board with its figures, logging an inquiry (form or
email), its page with the workflow actions, editing, coverage links and deletion.

Thin: the workflow, email reading, figures and time zones live in `relations.inquiries`.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from commsdesk.accounts import roles
from commsdesk.accounts.models import Profile, Team
from commsdesk.operations import embargo
from commsdesk.pipeline import language
from commsdesk.relations import roster
from commsdesk.relations.inquiries import emails, mailbox, sla, workflow
from commsdesk.relations.inquiries.forms import AssignForm, CoverageForm, EmailForm, InquiryForm
from commsdesk.relations.models import Inquiry

SHOW = {"all": "All", "mine": "Mine", "unassigned": "Unassigned"}


def _inquiry(request: HttpRequest, pk: int) -> Inquiry:
    inquiries = Inquiry.objects.for_team(request.user).select_related(
        "journalist", "outlet", "owner", "spokesperson"
    )
    return get_object_or_404(inquiries, pk=pk)


def _editable(request: HttpRequest, pk: int) -> Inquiry:
    inquiry = _inquiry(request, pk)
    if not roles.can_edit(request.user, inquiry.team_id):
        raise PermissionDenied("Viewers cannot change inquiries.")
    return inquiry


@login_required
def board(request: HttpRequest) -> HttpResponse:
    user, now = request.user, timezone.now()
    show = request.GET.get("show", "all")
    show = show if show in SHOW else "all"
    closed = request.GET.get("closed") == "1"
    mine = Inquiry.objects.for_team(user)
    rows = [
        (inquiry, workflow.urgency(inquiry, now))
        for inquiry in workflow.board(mine, show=show, user=user, closed=closed)
    ]
    zone = Profile.of(user).timezone
    context = {
        "rows": rows,
        "show": show,
        "shows": SHOW,
        "closed": closed,
        "zone": zone,
        "months": sla.monthly(mine, zone=zone, now=now),
        "can_edit": any(roles.can_edit(user, t.pk) for t in Team.objects.of(user)),
        "mailbox": mailbox.check(),
    }
    return render(request, "relations/inquiries/board.html", context)


@login_required
def new(request: HttpRequest) -> HttpResponse:
    team = Team.objects.default_for(request.user)
    if not roles.can_edit(request.user, team.pk):
        raise PermissionDenied("Viewers cannot log inquiries.")
    form = InquiryForm(
        request.POST or None,
        user=request.user,
        zone=Profile.of(request.user).timezone,
        see_contacts=roles.can_see_contacts(request.user, team.pk),
    )
    if request.method == "POST" and form.is_valid():
        inquiry = form.save(commit=False)
        inquiry.team = form.cleaned_data.get("team") or team
        if not roles.can_edit(request.user, inquiry.team_id):
            form.add_error("team", "You can read this team's inquiries but not log new ones.")
            return render(request, "relations/inquiries/form.html", {"form": form, "inquiry": None})
        inquiry.save()
        messages.success(request, f"Inquiry logged: “{inquiry.topic}”.")
        return redirect("relations:inquiry", inquiry.pk)
    return render(request, "relations/inquiries/form.html", {"form": form, "inquiry": None})


@login_required
def from_email(request: HttpRequest) -> HttpResponse:
    team = Team.objects.default_for(request.user)
    if not roles.can_edit(request.user, team.pk):
        raise PermissionDenied("Viewers cannot log inquiries.")
    form = EmailForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        inquiry, created = emails.log(
            team.pk, form.cleaned_data["received"], origin=Inquiry.Origin.EMAIL
        )
        if created:
            messages.success(request, "Inquiry logged from the email. Set its deadline and owner.")
            return redirect("relations:inquiry_edit", inquiry.pk)
        messages.info(request, "This email was already logged: here is its inquiry.")
        return redirect("relations:inquiry", inquiry.pk)
    return render(request, "relations/inquiries/from_email.html", {"form": form})


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _page(request, _inquiry(request, pk))


def _page(request: HttpRequest, inquiry: Inquiry, *, draft: dict | None = None) -> HttpResponse:
    """The inquiry's page; `draft` brings back a refused answer or reason with what was typed."""
    user = request.user
    context = {
        "inquiry": inquiry,
        "urgency": workflow.urgency(inquiry, timezone.now()),
        "zone": Profile.of(user).timezone,
        "see_contacts": roles.can_see_contacts(user, inquiry.team_id),
        "can_edit": roles.can_edit(user, inquiry.team_id),
        "can_manage": roles.can_manage(user, inquiry.team_id),
        "assign_form": AssignForm(inquiry=inquiry),
        "coverage_form": CoverageForm(),
        "coverage": inquiry.coverage.select_related("outlet").order_by("-published_at"),
        "draft": draft or {},
        "suggestions": _suggested_speakers(inquiry),
        "response_drafts": embargo.visible(inquiry.drafts.all(), user),
    }
    return render(request, "relations/inquiries/detail.html", context, status=400 if draft else 200)


def _suggested_speakers(inquiry: Inquiry) -> list:
    """Spokespeople for this inquiry: by the journalist's (or outlet's, or the question's)
    language and the inquiry's topic."""
    languages = list(inquiry.journalist.languages) if inquiry.journalist_id else []
    if not languages and inquiry.outlet_id and inquiry.outlet.languages:
        languages = [c.strip() for c in inquiry.outlet.languages.split(",") if c.strip()]
    if not languages:
        guess = language.identify(f"{inquiry.topic}\n{inquiry.questions}"[:2000])
        languages = [guess.code] if guess.code != "und" else []
    return roster.suggest(inquiry.team_id, languages, [inquiry.topic])


@login_required
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    inquiry = _editable(request, pk)
    form = InquiryForm(
        request.POST or None,
        instance=inquiry,
        user=request.user,
        zone=Profile.of(request.user).timezone,
        see_contacts=roles.can_see_contacts(request.user, inquiry.team_id),
    )
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Inquiry saved.")
        return redirect("relations:inquiry", inquiry.pk)
    return render(request, "relations/inquiries/form.html", {"form": form, "inquiry": inquiry})


@login_required
@require_POST
def assign(request: HttpRequest, pk: int) -> HttpResponse:
    inquiry = _editable(request, pk)
    form = AssignForm(request.POST, inquiry=inquiry)
    if form.is_valid():
        workflow.assign(inquiry, **form.cleaned_data)
        messages.success(request, "Assigned.")
    else:
        messages.error(request, "Choose an owner and a spokesperson from the lists.")
    return redirect("relations:inquiry", inquiry.pk)


@login_required
@require_POST
def move(request: HttpRequest, pk: int) -> HttpResponse:
    inquiry = _editable(request, pk)
    status = request.POST.get("status", "")
    try:
        workflow.move(inquiry, status, text=request.POST.get("text", ""))
    except workflow.WorkflowError as exc:
        # The page comes back with what was typed, so a refused answer is not lost.
        inquiry.refresh_from_db()
        draft = {"status": status, "text": request.POST.get("text", ""), "error": str(exc)}
        return _page(request, inquiry, draft=draft)
    messages.success(request, f"Now {inquiry.get_status_display().lower()}.")
    return redirect("relations:inquiry", inquiry.pk)


@login_required
@require_POST
def coverage(request: HttpRequest, pk: int) -> HttpResponse:
    inquiry = _editable(request, pk)
    remove = request.POST.get("remove")
    if remove:
        inquiry.coverage.remove(*inquiry.coverage.filter(pk=remove))
        messages.success(request, "Coverage link removed.")
        return redirect("relations:inquiry", inquiry.pk)
    form = CoverageForm(request.POST)
    article = workflow.find_article(form.cleaned_data["address"]) if form.is_valid() else None
    if article is None:
        messages.error(
            request,
            "No article with that address is in the archive. Add it first (Articles → "
            "“Add an article by URL”), then link it here.",
        )
    else:
        inquiry.coverage.add(article)
        messages.success(request, f"Linked “{article.title}”.")
    return redirect("relations:inquiry", inquiry.pk)


@login_required
@require_POST
def delete(request: HttpRequest, pk: int) -> HttpResponse:
    inquiry = _inquiry(request, pk)
    if not roles.can_manage(request.user, inquiry.team_id):
        raise PermissionDenied("Only staff can delete inquiries.")
    inquiry.delete()
    messages.success(request, f"Inquiry “{inquiry.topic}” deleted.")
    return redirect("relations:inquiries")
