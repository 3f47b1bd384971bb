"""Error answers of the API, all JSON: {"detail": "..."} and, for rejected fields, "errors" with
the same messages the web forms show. Bad input is a 4xx, never a 500.
"""

from __future__ import annotations

from django import forms
from django.db import DataError
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, Throttled

from commsdesk.api.throttle import ApiRateThrottle


class FormRejected(HttpError):
    """A form (the web page's own) refused the input: 422 with its messages per field."""

    def __init__(self, form: forms.BaseForm, status: int = 422) -> None:
        self.errors = {name: [str(m) for m in msgs] for name, msgs in form.errors.items()}
        super().__init__(status, "Some fields were not accepted: see errors.")


def install(api: NinjaAPI) -> None:
    """Register the handlers on `api`."""

    @api.exception_handler(FormRejected)
    def rejected(request: HttpRequest, exc: FormRejected) -> HttpResponse:
        body = {"detail": exc.message, "errors": exc.errors}
        return api.create_response(request, body, status=exc.status_code)

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        # Without valid credentials the caller is counted by address: guessing tokens is as
        # rate-limited as using one.
        throttle = ApiRateThrottle()
        if not throttle.allow_request(request):
            return throttled(request, Throttled(wait=throttle.wait()))
        body = {"detail": "Send a valid API token: Authorization: Bearer cdk_…"}
        reply = api.create_response(request, body, status=401)
        reply["WWW-Authenticate"] = "Bearer"
        return reply

    @api.exception_handler(Throttled)
    def throttled(request: HttpRequest, exc: Throttled) -> HttpResponse:
        body = {"detail": "Too many requests: wait before trying again (see Retry-After)."}
        reply = api.create_response(request, body, status=429)
        if exc.wait is not None:
            reply["Retry-After"] = str(max(1, int(exc.wait + 0.999)))
        return reply

    @api.exception_handler(OverflowError)
    def too_large(request: HttpRequest, exc: OverflowError) -> HttpResponse:
        return api.create_response(request, {"detail": "A number is too large."}, status=400)

    @api.exception_handler(DataError)
    def unstorable(request: HttpRequest, exc: DataError) -> HttpResponse:
        body = {"detail": "A value cannot be stored or searched as given."}
        return api.create_response(request, body, status=400)
