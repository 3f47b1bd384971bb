"""Who is calling the API: a personal token (`Authorization: Bearer cdk_…`) or, for the browser
docs page, the signed-in session (CSRF-checked for writes). Either way `request.user` is the
person, so `for_team` and `accounts.roles` answer every question as they do for the web pages.
"""

from __future__ import annotations

import contextlib

from auditlog.context import auditlog_value
from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from commsdesk.accounts.models import ApiToken


class TokenAuth(HttpBearer):
    openapi_description = "A personal API token from Preferences → API tokens."

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        found = ApiToken.objects.authenticate(token)
        if found is None:
            return None
        request.user = found.user
        request.api_token = found  # type: ignore[attr-defined]
        _audit_as(found.user)
        return found


def _audit_as(user) -> None:
    """The audit middleware chose the actor before the token was read (an anonymous request):
    name the token's owner in this request's audit context, so API changes have an author."""
    with contextlib.suppress(LookupError):  # no audit context: nothing to name
        auditlog_value.get()["actor"] = user


class BrowserSession(SessionAuth):
    """The signed-in person, for trying the API from /api/v1/docs. A person held at the
    two-factor code page has no session here (the middleware holds them first)."""

    def authenticate(self, request: HttpRequest, key: str | None):
        user = super().authenticate(request, key)
        if user is not None:
            request.api_token = None  # type: ignore[attr-defined]
        return user


def can_write(request: HttpRequest) -> bool:
    """Whether the credentials allow writing at all (a read token never does)."""
    token = getattr(request, "api_token", None)
    return token is None or token.can_write
