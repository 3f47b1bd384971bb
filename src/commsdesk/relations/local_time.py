"""Times on the spokespeople, training and speaking pages are typed and read in the person's own
time zone (from their preferences); the database keeps UTC. Nothing else lives here."""

from __future__ import annotations

import functools
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from commsdesk.accounts.models import Profile


def in_their_zone(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Forms read typed times, and templates show times, in the signed-in person's zone."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return view(request, *args, **kwargs)
        with timezone.override(Profile.of(request.user).zone):
            return view(request, *args, **kwargs)

    return wrapped
