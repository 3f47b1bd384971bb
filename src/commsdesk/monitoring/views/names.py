"""The Names page: browse the shipped name list, see a name's spellings per language, and add
or delete the team's own spellings. Expanding queries lives in `monitoring.names`."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError, transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from commsdesk.accounts.models import Team
from commsdesk.monitoring.forms import NameVariantForm
from commsdesk.monitoring.models import NameVariant
from commsdesk.monitoring.names import language_name, names_for

RESULTS = 100  # names listed at once; the search box narrows the rest


@login_required
def names(request: HttpRequest) -> HttpResponse:
    team = _team(request, request.GET.get("team"))
    show = request.GET.get("show", "")
    initial = {}
    if show and (entity := names_for(team).get(show)):
        initial = {"name": entity.name}
    return _page(request, team, NameVariantForm(initial=initial))


@login_required
@require_POST
def name_add(request: HttpRequest) -> HttpResponse:
    team = _team(request, request.POST.get("team"))
    if team is None:
        raise Http404("You are not in a team yet.")
    form = NameVariantForm(request.POST)
    if form.is_valid():
        try:
            with transaction.atomic():
                variant = NameVariant.objects.create(team=team, **form.cleaned_data)
        except IntegrityError:
            form.add_error("label", "Your team already has this spelling for this name.")
        else:
            where = language_name(variant.language)
            messages.success(request, f"Added “{variant.label}” ({where}) for {variant.name}.")
            entity = names_for(team).named(variant.name, exact=variant.name)
            return redirect(_url(team, show=entity[0].key if entity else ""))
    return _page(request, team, form)


@login_required
@require_POST
def name_delete(request: HttpRequest, pk: int) -> HttpResponse:
    # Scoped before the lookup: another team's spelling is a 404, not a leak.
    variant = get_object_or_404(
        NameVariant.objects.filter(team__in=Team.objects.of(request.user)), pk=pk
    )
    variant.delete()
    messages.success(request, f"Deleted “{variant.label}” for {variant.name}.")
    return redirect(_url(variant.team))


def _team(request: HttpRequest, slug: str | None) -> Team | None:
    """The team whose names the page shows: the one asked for (404 if not theirs) or the first."""
    teams = Team.objects.of(request.user)
    if slug:
        return get_object_or_404(teams, slug=slug)
    return teams.first()


def _url(team: Team | None, **params: str) -> str:
    query = {k: v for k, v in {"team": team.slug if team else "", **params}.items() if v}
    return reverse("monitoring:names") + ("?" + urlencode(query) if query else "")


def _page(request: HttpRequest, team: Team | None, form: NameVariantForm) -> HttpResponse:
    names_list = names_for(team)
    q = request.GET.get("q", "").strip()
    found = sorted(names_list.search(q), key=lambda e: e.name.casefold())
    entity = names_list.get(request.GET.get("show", ""))
    context = {
        "team": team,
        "teams": Team.objects.of(request.user),
        "q": q,
        "entities": found[:RESULTS],
        "more": max(0, len(found) - RESULTS),
        "entity": entity,
        "rows": [(language_name(lang), lang, s) for lang, s in entity.by_language().items()]
        if entity
        else [],
        "variants": [(v, language_name(v.language)) for v in NameVariant.objects.filter(team=team)]
        if team
        else [],
        "form": form,
        "metadata": names_list.metadata,
    }
    template = "monitoring/_names_results.html" if request.htmx else "monitoring/names.html"
    return render(request, template, context)
