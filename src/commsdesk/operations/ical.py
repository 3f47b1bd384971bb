"""The communications calendar as iCalendar feeds: one per person (everything they may see,
embargoes applied as of each fetch) and one per team (nothing embargoed: nobody is signed in).

Calendar apps cannot log in, so each address carries a key: an HMAC of the person's or team's
id, as the media-relations feed does, whose event builder (`relations.calendar.make_event`)
this reuses. It renders only; the views check the keys.
"""

from __future__ import annotations

import hmac
from datetime import datetime, timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from icalendar import Calendar

from commsdesk.operations import calendar
from commsdesk.relations.calendar import KEEP_PAST, make_event

KEEP_AHEAD = timedelta(days=730)


def user_key(user) -> str:
    return salted_hmac("commsdesk.operations-calendar.user", str(user.pk)).hexdigest()[:32]


def team_key(team) -> str:
    return salted_hmac("commsdesk.operations-calendar.team", str(team.pk)).hexdigest()[:32]


def key_matches(expected: str, given: str) -> bool:
    return hmac.compare_digest(expected, given)


def user_feed_path(user) -> str:
    return reverse("operations:calendar_user_feed", args=[user.pk, user_key(user)])


def team_feed_path(team) -> str:
    return reverse("operations:calendar_team_feed", args=[team.pk, team_key(team)])


def for_user(user, *, base_url: str, now: datetime | None = None) -> Calendar:
    now = now or timezone.now()
    found = calendar.entries(user, now - KEEP_PAST, now + KEEP_AHEAD, now=now)
    return _calendar("commsdesk: communications calendar", found, base_url)


def for_team(team, *, base_url: str, now: datetime | None = None) -> Calendar:
    now = now or timezone.now()
    found = calendar.team_entries(team, now - KEEP_PAST, now + KEEP_AHEAD, now=now)
    return _calendar(f"commsdesk: {team.name}", found, base_url)


def _calendar(name: str, found: list[calendar.Entry], base_url: str) -> Calendar:
    cal = Calendar()
    cal.add("prodid", "-//commsdesk//Communications calendar//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    stamp = timezone.now()
    for entry in found:
        event = make_event(
            base=base_url,
            uid=entry.uid,
            summary=entry.title,
            # In its own zone (TZID), so "09:00 Paris" stays 09:00 Paris across DST changes.
            start=entry.when.date() if entry.all_day else entry.own_time(),
            stamp=stamp,
            path=entry.link,
            description=entry.kind_label,
            end=None if entry.all_day or entry.until is None else entry.until,
        )
        cal.add_component(event)
    cal.add_missing_timezones()
    return cal
