"""Rate limiting of the API: COMMSDESK_API_RATE requests per token (or per signed-in person, or
per address for requests without valid credentials), counted in Django's cache.

ninja's throttles do the counting and the 429 + Retry-After; this module only names who is counted
and reads the rate from settings on each request (so it reads "120/minute" as people write it).
"""

from __future__ import annotations

import re

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest
from ninja.throttling import SimpleRateThrottle

_RATE = re.compile(r"\s*(\d+)\s*/\s*(\d*)\s*(s|sec|second|m|min|minute|h|hour|d|day)s?\s*")
_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate: str) -> tuple[int, int]:
    """("120/minute") -> (120 requests, 60 seconds); a clear error for anything else."""
    found = _RATE.fullmatch(rate or "")
    if found is None:
        raise ImproperlyConfigured(
            f"COMMSDESK_API_RATE must look like 120/minute, 5000/hour or 20000/day, not {rate!r}"
        )
    count, multiple, unit = found.groups()
    return int(count), int(multiple or 1) * _SECONDS[unit[0]]


class ApiRateThrottle(SimpleRateThrottle):
    """One counter per token, per signed-in person (browser docs) or per address."""

    cache_format = "api-rate:%(ident)s"

    def __init__(self) -> None:
        super().__init__(rate=settings.COMMSDESK_API_RATE)

    def parse_rate(self, rate):  # type: ignore[override]
        return parse_rate(rate)

    def allow_request(self, request: HttpRequest) -> bool:
        # Read per request: a changed setting (or a test's override) applies at once.
        self.num_requests, self.duration = parse_rate(settings.COMMSDESK_API_RATE)
        return super().allow_request(request)

    def get_cache_key(self, request: HttpRequest) -> str:
        token = getattr(request, "api_token", None)
        if token is not None:
            ident = f"token-{token.pk}"
        elif getattr(request, "auth", None) is not None:
            ident = f"user-{request.user.pk}"
        else:
            ident = f"ip-{self.get_ident(request)}"
        return self.cache_format % {"ident": ident}
