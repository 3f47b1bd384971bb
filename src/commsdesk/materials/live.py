"""Live key statistics: read a number from a JSON API (a URL and a JSONPath) through the project's
SSRF-guarded HTTP client, and keep the statistic and its history up to date.

A failed refresh never touches the value: it records a readable reason and tries again later,
waiting longer each time. Deciding whether a value is stale is `facts`' job, not this module's.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Context, Decimal, InvalidOperation

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone
from jsonpath_ng.exceptions import JSONPathError
from jsonpath_ng.ext import parse as parse_path

from commsdesk.ingest.fetching import make_api_client
from commsdesk.materials import presets
from commsdesk.materials.models import KeyStatistic, StatisticValue, Status
from commsdesk.pipeline.errors import BlockedURLError, PipelineError, TransientError
from commsdesk.pipeline.fetch import Fetcher

FIRST_RETRY = timedelta(minutes=15)
# What the value column can hold (max_digits=30, decimal_places=6). Rounding to 6 places needs
# all 30 digits: the default context's 28 would refuse numbers near the top of the range.
PLACES = Decimal("0.000001")
LARGEST = Decimal(10) ** 24
COLUMN = Context(prec=30)


class SourceError(Exception):
    """The source gave no usable number; the message is shown on the statistic's page."""


@dataclass(frozen=True, slots=True)
class Outcome:
    ok: bool
    value: Decimal | None = None
    changed: bool = False  # a new value or date was recorded in the history
    error: str = ""
    skipped: bool = False  # someone else is refreshing it right now


# --- reading a source ------------------------------------------------------------------------


def check_path(path: str) -> str:
    """The JSONPath if it parses; raises SourceError with the parser's complaint otherwise."""
    try:
        parse_path(path)
    except JSONPathError as exc:
        raise SourceError(f"The JSONPath “{path}” cannot be read: {exc}") from exc
    return path


def read(statistic: KeyStatistic, *, fetcher: Fetcher | None = None) -> Decimal:
    """Fetch the statistic's live source and the number it names; raises SourceError."""
    url = presets.dated(statistic.live_url, statistic.live_preset, today=timezone.localdate())
    own = fetcher is None
    fetcher = fetcher or make_api_client()
    try:
        result = fetcher.fetch(url, accept="application/json")
    except BlockedURLError as exc:
        raise SourceError(f"Refused for safety: {exc.reason.rstrip('.')}.") from exc
    except PipelineError as exc:
        # The page shows the URL beside the error: "HTTP 503 … from <the same URL>" says it twice.
        reason = exc.reason.removesuffix(f" from {url}").rstrip(".")
        raise SourceError(f"Could not fetch the source: {reason}.") from exc
    finally:
        if own:
            fetcher.close()
    try:
        data = json.loads(result.body)
    except (ValueError, RecursionError) as exc:  # RecursionError: absurdly deep nesting
        raise SourceError(f"The source did not answer with JSON ({exc}).") from exc
    return extract(data, statistic.live_path, statistic.live_combine)


def extract(data: object, path: str, combine: str) -> Decimal:
    """The number `path` names in `data`: the first match, or the sum of all matches."""
    expression = parse_path(check_path(path))
    try:
        matches = [match.value for match in expression.find(data)]
    except Exception as exc:  # noqa: BLE001 (a filter comparing unlike types raises anything)
        raise SourceError(f"The JSONPath “{path}” cannot be applied to the answer: {exc}") from exc
    if not matches:
        raise SourceError(f"The JSONPath “{path}” matches nothing in the answer.")
    if combine == KeyStatistic.Combine.FIRST:
        total = _number(matches[0])
    else:
        total = sum((_number(value) for value in matches), Decimal(0))
    if abs(total) >= LARGEST:
        raise SourceError(f"The number {total} is too large to keep.")
    return total.quantize(PLACES, context=COLUMN)


def _number(value: object) -> Decimal:
    # bool is an int in Python, but `true` is not a count.
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise SourceError(f"The JSONPath matches {_shown(value)}, not a number.")
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise SourceError(f"The JSONPath matches {_shown(value)}, not a number.") from None
    if not number.is_finite():
        raise SourceError(f"The JSONPath matches {_shown(value)}, not a number.")
    return number


def _shown(value: object) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 60 else text[:57] + "…"


# --- refreshing statistics -------------------------------------------------------------------


def _live() -> QuerySet[KeyStatistic]:
    return KeyStatistic.objects.exclude(live_url="").exclude(live_path="")


def _due(now: datetime) -> QuerySet[KeyStatistic]:
    return (
        _live()
        .exclude(status=Status.RETIRED)
        .filter(Q(next_refresh_at__isnull=True) | Q(next_refresh_at__lte=now))
    )


def any_due(now: datetime | None = None) -> bool:
    return _due(now or timezone.now()).exists()


def refresh_due(*, now: datetime | None = None, limit: int = 200) -> int:
    """Refresh every live statistic that is due (claiming each first); returns how many were
    read successfully."""
    now = now or timezone.now()
    ids = list(_due(now).order_by("next_refresh_at", "pk").values_list("pk", flat=True)[:limit])
    refreshed = 0
    with make_api_client() as fetcher:
        for pk in ids:
            # The lease starts now, not when the run began: a long run must not hand out leases
            # that have already expired.
            if not _claim(_due(now).filter(pk=pk), timezone.now()):
                continue  # another worker took it
            statistic = KeyStatistic.objects.get(pk=pk)
            refreshed += _refresh_claimed(statistic, fetcher).ok
    return refreshed


def refresh(statistic: KeyStatistic, *, fetcher: Fetcher | None = None) -> Outcome:
    """Refresh one statistic now ("Refresh now"), whether or not it is due."""
    if not statistic.is_live:
        return Outcome(ok=False, error="This statistic has no live source.")
    seen = statistic.next_refresh_at
    # Claimed on the time we last saw: of two people pressing the button at once, one reads the
    # source and the other is told it is already being refreshed.
    mine = KeyStatistic.objects.filter(pk=statistic.pk).filter(
        Q(next_refresh_at__isnull=True) if seen is None else Q(next_refresh_at=seen)
    )
    if not _claim(mine, timezone.now()):
        statistic.refresh_from_db()
        return Outcome(ok=False, skipped=True, error="It is being refreshed right now.")
    return _refresh_claimed(statistic, fetcher)


def _claim(rows: QuerySet[KeyStatistic], now: datetime) -> bool:
    """Take the statistic for one refresh: the conditional UPDATE matches for one worker only,
    and the lease moves it out of "due" until the refresh is done or the worker died."""
    return (
        rows.update(next_refresh_at=now + timedelta(seconds=settings.COMMSDESK_LEASE_SECONDS)) == 1
    )


def _refresh_claimed(statistic: KeyStatistic, fetcher: Fetcher | None) -> Outcome:
    try:
        value = read(statistic, fetcher=fetcher)
    except SourceError as exc:
        return _failed(statistic, str(exc), exc.__cause__)
    return _succeeded(statistic, value)


def _succeeded(statistic: KeyStatistic, value: Decimal) -> Outcome:
    now, today = timezone.now(), timezone.localdate()
    changed = value != statistic.value or today != statistic.as_of
    if changed:
        StatisticValue.objects.create(
            statistic=statistic, value=value, as_of=today, origin=StatisticValue.Origin.LIVE
        )
    statistic.value, statistic.as_of = value, today
    statistic.last_refreshed_at = now
    statistic.last_error, statistic.last_error_at = "", None
    statistic.next_refresh_at = now + timedelta(hours=statistic.refresh_hours or 24)
    statistic.save(
        update_fields=[
            "value",
            "as_of",
            "last_refreshed_at",
            "last_error",
            "last_error_at",
            "next_refresh_at",
            "updated_at",
        ]
    )
    return Outcome(ok=True, value=value, changed=changed)


def _failed(statistic: KeyStatistic, reason: str, cause: BaseException | None) -> Outcome:
    now = timezone.now()
    wait = retry_wait(statistic, now)
    if isinstance(cause, TransientError) and cause.retry_after:
        wait = max(wait, timedelta(seconds=cause.retry_after))
    statistic.last_error, statistic.last_error_at = reason, now
    statistic.next_refresh_at = now + wait
    statistic.save(update_fields=["last_error", "last_error_at", "next_refresh_at"])
    return Outcome(ok=False, value=statistic.value, error=reason)


def retry_wait(statistic: KeyStatistic, now: datetime) -> timedelta:
    """How long to wait after a failure: 15 minutes, then twice the time since the previous
    failure (15, 30, 60 min ...), never longer than the statistic's own refresh interval.

    Derived from the previous failure's time, so no failure counter is needed on the model."""
    ceiling = timedelta(hours=statistic.refresh_hours or 24)
    if not statistic.last_error or statistic.last_error_at is None:
        return min(FIRST_RETRY, ceiling)
    return min(max(FIRST_RETRY, 2 * (now - statistic.last_error_at)), ceiling)
