"""The writing assistant's pages: a first draft proposed from chosen approved materials and
statistics (saved as a Draft marked generated, citing them), and a story summary fragment.

Both answer 404 while the assistant is not configured. The client and prompts are
`materials.assistant`.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from commsdesk.accounts import roles
from commsdesk.accounts.models import Team
from commsdesk.materials import assistant, facts
from commsdesk.materials.models import Citation, Draft, KeyStatistic, Material, PressKit, Status
from commsdesk.monitoring.models import Story


class AssistDraftForm(forms.Form):
    kind = forms.ChoiceField(label="What to write", choices=Draft.Kind.choices)
    language = forms.CharField(max_length=12, initial="en", help_text="ISO 639-1, e.g. es")
    materials = forms.ModelMultipleChoiceField(
        queryset=Material.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text="Approved materials only: the assistant is told to use nothing else.",
    )
    statistics = forms.ModelMultipleChoiceField(
        queryset=KeyStatistic.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Sent with their current values.",
    )
    instructions = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text="e.g. “Announce the new report to science journalists; 300 words.”",
    )

    def __init__(self, *args, team_id: int, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        approved = {"team_id": team_id, "status": Status.APPROVED}
        self.fields["materials"].queryset = Material.objects.visible_to(user).filter(**approved)
        self.fields["statistics"].queryset = KeyStatistic.objects.filter(**approved)
        self.fields["materials"].label_from_instance = lambda m: (
            f"{m.title} ({m.get_kind_display()}, {m.language})"
        )
        self.fields["statistics"].label_from_instance = _statistic_label


def _statistic_label(statistic: KeyStatistic) -> str:
    label = f"{statistic.name}: {facts.display(statistic)} (as of {statistic.as_of:%d %b %Y})"
    stale = facts.freshness(statistic, today=timezone.localdate())
    return f"{label}: stale, {stale.reason}" if stale.stale else label


def _switched_on() -> None:
    if not assistant.configured():
        raise Http404("The writing assistant is not set up.")


@login_required
def assist_draft(request: HttpRequest) -> HttpResponse:
    _switched_on()
    team = Team.objects.default_for(request.user)
    if not roles.can_edit(request.user, team.pk):
        raise PermissionDenied("Viewers cannot write drafts.")
    form = AssistDraftForm(
        request.POST or None,
        team_id=team.pk,
        user=request.user,
        initial=_starting_point(request, team),
    )
    error = ""
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            reply = assistant.complete(
                assistant.draft_messages(
                    kind=data["kind"],
                    language=data["language"],
                    materials=data["materials"],
                    statistics=data["statistics"],
                    instructions=data["instructions"],
                )
            )
        except assistant.AssistantError as exc:
            error = str(exc)
        else:
            draft = _save_draft(team, request.user, data, reply)
            messages.success(request, f"Draft proposed by {reply.model}. Check every line.")
            return redirect(_draft_address(draft))
    status = 502 if error else 400 if form.errors else 200
    context = {"form": form, "error": error}
    return render(request, "materials/assist_draft.html", context, status=status)


def _starting_point(request: HttpRequest, team: Team) -> dict:
    """`?kind=press_release&kit=3`: a draft from a press kit's approved materials, in its
    language (the "Propose a press release" button on a kit's page)."""
    initial: dict = {}
    if request.GET.get("kind") in Draft.Kind.values:
        initial["kind"] = request.GET["kind"]
    kit_id = request.GET.get("kit", "")
    kit = PressKit.objects.filter(team=team, pk=int(kit_id)).first() if kit_id.isdigit() else None
    if kit is not None:
        initial["language"] = kit.language
        initial["materials"] = list(kit.materials.filter(status=Status.APPROVED))
        initial["instructions"] = f"Write it for the press kit “{kit.title}”."
    return initial


@transaction.atomic
def _save_draft(team: Team, user, data: dict, reply: assistant.Reply) -> Draft:
    headline, body = assistant.split_headline(reply.text)
    kind_label = Draft.Kind(data["kind"]).label
    draft = Draft.objects.create(
        team=team,
        owner=user,
        kind=data["kind"],
        language=data["language"],
        title=(headline or f"{kind_label} (proposed by the assistant)")[:300],
        body=body,
        generated=True,
        generated_by=reply.model[:200],
    )
    Citation.objects.bulk_create(
        [Citation(draft=draft, material=m, material_version=m.version) for m in data["materials"]]
        + [
            Citation(draft=draft, statistic=s, value=s.value, as_of=s.as_of, text=facts.display(s))
            for s in data["statistics"]
        ]
    )
    return draft


def _draft_address(draft: Draft) -> str:
    try:
        return reverse("materials:draft", args=[draft.pk])
    except NoReverseMatch:  # the drafts pages are not installed in this build
        return reverse("materials:kits")


@login_required
@require_POST
def assist_story(request: HttpRequest, pk: int) -> HttpResponse:
    """htmx: a summary of the story's coverage, marked as generated and not reviewed. Errors
    come back as a 200 fragment so htmx shows them in place."""
    _switched_on()
    story = get_object_or_404(Story, pk=pk)
    try:
        reply = assistant.complete(assistant.story_messages(story))
    except assistant.AssistantError as exc:
        return render(request, "materials/_assist_story.html", {"error": str(exc)})
    return render(request, "materials/_assist_story.html", {"reply": reply, "story": story})
