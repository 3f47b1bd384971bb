"""Media lists, journalists and pitches for the pitch tests, with only what a test cares about."""

from __future__ import annotations

from commsdesk.monitoring.models import Outlet
from commsdesk.relations.models import Affiliation, Journalist, MediaList, MediaListMember, Pitch


def journalist(team, name: str, *, email: str | None = None, outlet: str = "", **fields):
    person = Journalist.objects.create(
        team=team,
        name=name,
        email=f"{name.split()[0].lower()}@news.example" if email is None else email,
        **fields,
    )
    if outlet:
        place, _ = Outlet.objects.get_or_create(
            domain=f"{outlet.lower().replace(' ', '')}.example", defaults={"name": outlet}
        )
        Affiliation.objects.create(journalist=person, outlet=place)
    return person


def media_list(team, *people, name: str = "Science desks") -> MediaList:
    listed = MediaList.objects.create(team=team, name=name)
    for person in people:
        MediaListMember.objects.create(media_list=listed, journalist=person)
    return listed


def pitch(team, listed, *, subject: str = "For {{ outlet }}: our report", body: str = "") -> Pitch:
    return Pitch.objects.create(
        team=team,
        media_list=listed,
        subject=subject,
        body=body or "Dear {{ first_name }},\n\nAs you cover {{ beat }}...\n\n{{ sender_name }}",
    )
