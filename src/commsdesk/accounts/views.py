"""A person's own pages: their preferences (time zone, quiet hours, morning digest) and their
personal API tokens (created with the secret shown once, listed, revoked)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from commsdesk.accounts.forms import ApiTokenForm, PreferencesForm
from commsdesk.accounts.models import ApiToken, Profile


@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    form = PreferencesForm(request.POST or None, instance=Profile.of(request.user))
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Preferences saved.")
        return redirect("preferences")
    return render(request, "accounts/preferences.html", {"form": form})


@login_required
def api_tokens(request: HttpRequest) -> HttpResponse:
    """The person's tokens; a new one's secret is in this one answer and nowhere else."""
    form = ApiTokenForm(request.POST or None)
    secret = None
    if request.method == "POST" and form.is_valid():
        token, secret = ApiToken.issue(
            request.user,
            name=form.cleaned_data["name"],
            scope=form.cleaned_data["scope"],
            expires_at=form.expires_at(),
        )
        form = ApiTokenForm()
    context = {
        "form": form,
        "secret": secret,
        "tokens": ApiToken.objects.filter(user=request.user),
    }
    reply = render(request, "accounts/api_tokens.html", context)
    if secret:
        reply["Cache-Control"] = "no-store"  # the secret must not stay in a browser cache
    return reply


@login_required
@require_POST
def api_token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken.objects.filter(user=request.user), pk=pk)
    token.revoke()
    messages.success(request, f"Revoked “{token.name}”: it no longer works.")
    return redirect("api_tokens")
