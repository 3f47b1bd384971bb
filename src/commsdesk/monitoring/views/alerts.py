"""Alert pages: a saved search's rules (add, edit, delete, test), the morning digest as a web
page, and the unsubscribe links from emails (which work without logging in).

Views stay thin: queueing, sending and the digest live in `monitoring.alerting`.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from commsdesk.accounts import roles
from commsdesk.accounts.models import Profile
from commsdesk.monitoring.alerting import digest as digests
from commsdesk.monitoring.alerting.channels import DeliveryError
from commsdesk.monitoring.alerting.forms import AlertRuleForm
from commsdesk.monitoring.alerting.send import send_test
from commsdesk.monitoring.models import AlertRule, Delivery, SavedSearch
from commsdesk.monitoring.views.feeds import feed_path


def _search(request: HttpRequest, pk: int) -> SavedSearch:
    return get_object_or_404(SavedSearch.objects.for_team(request.user), pk=pk)


def _rule(request: HttpRequest, pk: int, rule_pk: int) -> AlertRule:
    rules = AlertRule.objects.filter(saved_search__in=SavedSearch.objects.for_team(request.user))
    return get_object_or_404(
        rules.select_related("saved_search", "user"), pk=rule_pk, saved_search=pk
    )


@login_required
def search_alerts(request: HttpRequest, pk: int) -> HttpResponse:
    search = _search(request, pk)
    form = AlertRuleForm(request.POST or None, initial={"active": True, "include_spikes": True})
    if request.method == "POST" and form.is_valid():
        rule = form.save(commit=False)
        rule.saved_search, rule.user = search, request.user
        rule.save()
        messages.success(
            request,
            f"Alert added: {rule.get_channel_display()}, {rule.get_cadence_display().lower()}.",
        )
        return redirect("monitoring:search_alerts", search.pk)
    rules = search.alert_rules.select_related("user").annotate(
        pending=Count("deliveries", filter=Q(deliveries__state=Delivery.State.PENDING)),
        failed=Count("deliveries", filter=Q(deliveries__state=Delivery.State.FAILED)),
    )
    context = {
        "search": search,
        "rules": rules,
        "form": form,
        "feed_url": request.build_absolute_uri(feed_path(search)),
        "profile": Profile.of(request.user),
    }
    return render(request, "monitoring/alerts/search_alerts.html", context)


@login_required
def rule_edit(request: HttpRequest, pk: int, rule_pk: int) -> HttpResponse:
    rule = _rule(request, pk, rule_pk)
    form = AlertRuleForm(request.POST or None, instance=rule)
    if request.method == "POST" and form.is_valid():
        rule = form.save(commit=False)
        if {"channel", "target"} & set(form.changed_data):
            # A new address starts with a clean record: old errors were about the old one.
            rule.consecutive_failures, rule.last_error, rule.last_error_at = 0, "", None
        rule.save()
        messages.success(request, "Alert saved.")
        return redirect("monitoring:search_alerts", pk)
    return render(request, "monitoring/alerts/rule_edit.html", {"form": form, "rule": rule})


@login_required
@require_POST
def rule_delete(request: HttpRequest, pk: int, rule_pk: int) -> HttpResponse:
    rule = _rule(request, pk, rule_pk)
    # Someone's alert is theirs: they or the team's staff remove it.
    if rule.user_id != request.user.pk and not roles.can_manage(
        request.user, rule.saved_search.team_id
    ):
        raise PermissionDenied("Only its owner or staff delete someone's alert.")
    rule.delete()
    messages.success(request, "Alert deleted.")
    return redirect("monitoring:search_alerts", pk)


@login_required
@require_POST
def rule_test(request: HttpRequest, pk: int, rule_pk: int) -> HttpResponse:
    rule = _rule(request, pk, rule_pk)
    try:
        send_test(rule)
    except DeliveryError as exc:
        messages.error(request, f"The test message could not be sent: {exc.reason}")
    else:
        messages.success(request, "Test message sent.")
    return redirect("monitoring:search_alerts", pk)


@login_required
def digest(request: HttpRequest) -> HttpResponse:
    """The morning digest of any date, as the person would have received it."""
    profile = Profile.of(request.user)
    today = timezone.now().astimezone(profile.zone).date()
    asked = request.GET.get("date", "")
    try:
        local_date = date.fromisoformat(asked) if asked else today
    except ValueError:
        messages.error(request, f"“{asked}” is not a date like {today:%Y-%m-%d}; showing today.")
        local_date = today
    context = {
        "digest": digests.build_digest(request.user, local_date),
        "profile": profile,
        "base_url": "",
        # Past today's digest time, what arrives since builds up under tomorrow's date.
        "latest": today + timedelta(days=1),
    }
    return render(request, "monitoring/alerts/digest.html", context)


def _profile_by_token(token: str) -> Profile:
    return get_object_or_404(Profile.objects.select_related("user"), unsubscribe_token=token)


def unsubscribe_rule(request: HttpRequest, token: str, rule_pk: int) -> HttpResponse:
    """From an alert email: GET asks, POST turns the rule off. No login needed; the token is."""
    profile = _profile_by_token(token)
    rule = get_object_or_404(
        AlertRule.objects.select_related("saved_search"), pk=rule_pk, user=profile.user
    )
    done = False
    if request.method == "POST":
        AlertRule.objects.filter(pk=rule.pk).update(active=False)
        done = True
    what = f"alerts for “{rule.saved_search.name}” ({rule.get_channel_display()})"
    return render(
        request, "monitoring/alerts/unsubscribe.html", {"what": what, "done": done, "rule": rule}
    )


def unsubscribe_digest(request: HttpRequest, token: str) -> HttpResponse:
    profile = _profile_by_token(token)
    done = False
    if request.method == "POST":
        Profile.objects.filter(pk=profile.pk).update(digest_enabled=False)
        done = True
    return render(
        request,
        "monitoring/alerts/unsubscribe.html",
        {"what": "the morning digest", "done": done, "rule": None},
    )
