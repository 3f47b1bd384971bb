"""The calendar feed: a page that gives each person their subscription address, and the feed
itself, which calendar apps read without logging in (the address carries a secret key)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from commsdesk.relations import calendar


@login_required
def calendar_page(request: HttpRequest) -> HttpResponse:
    url = request.build_absolute_uri(calendar.feed_path(request.user))
    context = {"feed_url": url, "webcal_url": "webcal://" + url.split("://", 1)[-1]}
    return render(request, "relations/calendar.html", context)


def calendar_feed(request: HttpRequest, user_pk: int, key: str) -> HttpResponse:
    user = get_user_model().objects.filter(pk=user_pk, is_active=True).first()
    # The same 404 for a wrong key and a missing person: the address reveals nothing.
    if user is None or not calendar.key_matches(user, key):
        raise Http404("No such calendar")
    response = HttpResponse(
        calendar.calendar_for(user, base_url=request.build_absolute_uri("/").rstrip("/")).to_ical(),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = 'inline; filename="commsdesk.ics"'
    return response
