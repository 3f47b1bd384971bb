"""A person's calendar of media-relations dates as iCalendar: speaking deadlines and events,
media trainings and open press-inquiry deadlines of every team they belong to.

The feed is read without a login (calendar apps cannot log in), so its URL carries a key: an
HMAC of the user id, like the saved-search feeds. Rendering only; the view checks the key.
"""

from __future__ import annotations

import hmac
import zoneinfo
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from icalendar import Calendar, Event

from commsdesk.relations.models import Inquiry, SpeakingOpportunity, Training

# Older dates would only slow every calendar app's refresh; the pages keep the history.
KEEP_PAST = timedelta(days=180)
OPEN_INQUIRY = [s for s in Inquiry.Status.values if s not in ("answered", "declined")]


def feed_key(user) -> str:
    return salted_hmac("commsdesk.relations-calendar", str(user.pk)).hexdigest()[:32]


def key_matches(user, key: str) -> bool:
    return hmac.compare_digest(feed_key(user), key)


def feed_path(user) -> str:
    return reverse("relations:calendar_feed", args=[user.pk, feed_key(user)])


def calendar_for(user, *, base_url: str = "", now: datetime | None = None) -> Calendar:
    """Every dated record of the person's teams from `KEEP_PAST` ago on, each with a UID
    that stays the same across fetches (so calendar apps update an event, not add one).

    `base_url` is where event links point (the address the calendar app used); UIDs use
    COMMSDESK_BASE_URL's host, so they do not change with the address used."""
    base = base_url or settings.COMMSDESK_BASE_URL
    since = (now or timezone.now()) - KEEP_PAST
    cal = Calendar()
    cal.add("prodid", "-//commsdesk//Media relations//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", "commsdesk: media relations")
    for event in (
        *_speaking(user, since),
        *_trainings(user, since),
        *_inquiries(user, since),
    ):
        cal.add_component(make_event(base=base, **event))
    # Inquiry deadlines keep the journalist's time zone (TZID): calendars need its rules.
    cal.add_missing_timezones()
    return cal


# Each source below yields the fields of one event, turned into an Event by `_event`.


def _speaking(user, since: datetime):
    opportunities = SpeakingOpportunity.objects.for_team(user).select_related("speaker")
    for item in opportunities.filter(deadline__gte=since):
        yield dict(
            uid=f"speaking-{item.pk}-deadline",
            summary=f"Deadline: {item.title}",
            start=item.deadline,
            stamp=item.updated_at,
            path=reverse("relations:opportunity", args=[item.pk]),
            description=f"{item.get_kind_display()} · {item.get_stage_display()}",
        )
    for item in opportunities.filter(starts_at__gte=since):
        speaker = f" · speaker: {item.speaker.name}" if item.speaker else ""
        yield dict(
            uid=f"speaking-{item.pk}-event",
            summary=item.title,
            start=item.starts_at,
            end=item.ends_at,
            stamp=item.updated_at,
            path=reverse("relations:opportunity", args=[item.pk]),
            description=f"{item.get_kind_display()} · {item.get_stage_display()}{speaker}",
            location=item.location,
        )


def _trainings(user, since: datetime):
    for item in Training.objects.for_team(user).filter(starts_at__gte=since):
        trainer = f" with {item.trainer}" if item.trainer else ""
        yield dict(
            uid=f"training-{item.pk}",
            summary=f"Media training: {item.title}",
            start=item.starts_at,
            stamp=item.updated_at,
            path=reverse("relations:training", args=[item.pk]),
            description=f"{item.get_format_display()}{trainer}",
        )


def _inquiries(user, since: datetime):
    open_inquiries = Inquiry.objects.for_team(user).filter(
        status__in=OPEN_INQUIRY, deadline__gte=since
    )
    for item in open_inquiries:
        yield dict(
            uid=f"inquiry-{item.pk}-deadline",
            summary=f"Press inquiry due: {item.topic}",
            start=item.deadline.astimezone(_zone(item.deadline_timezone)),
            stamp=item.updated_at,
            path=_inquiry_path(item),
            description=item.get_status_display(),
        )


def _inquiry_path(item: Inquiry) -> str:
    # The inquiry pages come with the inquiries work; until then the front page lists them.
    try:
        return reverse("relations:inquiry", args=[item.pk])
    except NoReverseMatch:
        return reverse("relations:overview")


def _zone(name: str) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(name or "UTC")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def make_event(
    *,
    base: str,
    uid: str,
    summary: str,
    start: datetime,
    stamp: datetime,
    path: str,
    description: str = "",
    end: datetime | None = None,
    location: str = "",
) -> Event:
    event = Event()
    event.add("uid", f"{uid}@{_host()}")
    event.add("summary", summary)
    # Stored times are UTC (written with Z); inquiry deadlines arrive in their own zone (TZID).
    event.add("dtstart", start)
    if end is not None and end > start:
        event.add("dtend", end)
    event.add("dtstamp", stamp.astimezone(UTC))
    event.add("url", base + path)
    if description:
        event.add("description", description)
    if location:
        event.add("location", location)
    return event


def _host() -> str:
    return urlsplit(settings.COMMSDESK_BASE_URL).hostname or "commsdesk"
