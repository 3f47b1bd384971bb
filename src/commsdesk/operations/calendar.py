"""The communications calendar: planned items plus the dated records of the other apps (embargoed
and scheduled releases, campaign start and end, speaking slots and CFP deadlines, trainings,
press-inquiry deadlines, review-by dates, the day a key statistic goes out of date) turned into
one list of `Entry`, and the month and week grids the pages lay them out in.

It reads only what the viewer may see (their teams, embargoes applied); it stores nothing and
renders nothing: the views make HTML and `ical` makes the feeds from these entries.
"""

from __future__ import annotations

import calendar as std_calendar
import zoneinfo
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from django.db.models import Q, QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from commsdesk.campaigns.models import Campaign
from commsdesk.materials.models import Draft, KeyStatistic, Material, Status
from commsdesk.operations import embargo
from commsdesk.operations.models import PlannedItem
from commsdesk.relations.models import Inquiry, SpeakingOpportunity, Training

# Every kind of entry, in the order the filter lists them: (key, label).
KINDS = (
    ("announcement", "Announcement"),
    ("press_release", "Planned press release"),
    ("milestone", "Campaign milestone"),
    ("event", "Event"),
    ("other", "Other plan"),
    ("release", "Release or draft (embargo / publish time)"),
    ("campaign", "Campaign start / end"),
    ("speaking", "Speaking slot"),
    ("cfp", "Speaking deadline (CFP)"),
    ("training", "Media training"),
    ("inquiry", "Press inquiry deadline"),
    ("review", "Material review-by date"),
    ("statistic", "Key statistic goes out of date"),
)
KIND_LABELS = dict(KINDS)
OPEN_INQUIRY = [s for s in Inquiry.Status.values if s not in ("answered", "declined")]


@dataclass(frozen=True, slots=True)
class Entry:
    when: datetime  # aware; for an all-day entry, midnight UTC of its date
    until: datetime | None
    kind: str  # a key of KINDS
    title: str
    link: str
    team_id: int
    campaign_id: int | None
    language: str
    region: str
    embargoed: bool  # still under embargo now: only its named people see it
    zone: str = "UTC"  # the zone the date was set in, shown beside the reader's own
    all_day: bool = False
    uid: str = ""  # stable across fetches: calendar apps update an event rather than add one

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)

    def day(self, zone: tzinfo) -> date:
        """The date it falls on for a reader in `zone` (an all-day date is the same everywhere)."""
        return self.when.date() if self.all_day else self.when.astimezone(zone).date()

    def own_time(self) -> datetime:
        """Its time in its own zone ("09:00 Europe/Paris")."""
        return self.when.astimezone(_zone(self.zone))


@dataclass(frozen=True, slots=True)
class Filters:
    team_ids: frozenset[int] = frozenset()
    campaign_id: int | None = None
    language: str = ""
    region: str = ""
    kinds: frozenset[str] = field(default_factory=frozenset)

    def keep(self, entry: Entry) -> bool:
        return (
            (not self.team_ids or entry.team_id in self.team_ids)
            and (self.campaign_id is None or entry.campaign_id == self.campaign_id)
            and (not self.language or entry.language.lower() == self.language.lower())
            and (not self.region or entry.region.lower() == self.region.lower())
            and (not self.kinds or entry.kind in self.kinds)
        )


Scope = Callable[[QuerySet], QuerySet]


def entries(
    user,
    start: datetime,
    end: datetime,
    *,
    filters: Filters | None = None,
    now: datetime | None = None,
) -> list[Entry]:
    """What `user` may see with start <= when < end, in time order."""
    return _collect(lambda qs: qs.for_team(user), user, start, end, filters, now)


def team_entries(
    team, start: datetime, end: datetime, *, now: datetime | None = None
) -> list[Entry]:
    """A team's calendar as nobody in particular sees it (the team feed): nothing embargoed."""
    from django.contrib.auth.models import AnonymousUser

    return _collect(lambda qs: qs.filter(team=team), AnonymousUser(), start, end, None, now)


def _collect(scope: Scope, viewer, start, end, filters, now) -> list[Entry]:
    now = now or timezone.now()
    filters = filters or Filters()
    found = [
        entry
        for source in SOURCES
        for entry in source(scope, viewer, start, end, now)
        if filters.keep(entry)
    ]
    return sorted(found, key=lambda e: (e.when, e.title))


# ---------------------------------------------------------------- the sources


def _planned(scope: Scope, viewer, start, end, now) -> Iterator[Entry]:
    items = embargo.visible(scope(PlannedItem.objects.all()), viewer, now)
    overlapping = Q(starts_at__lt=end) & (Q(starts_at__gte=start) | Q(ends_at__gte=start))
    for item in items.filter(overlapping):
        yield Entry(
            when=_all_day_start(item.starts_at, item.timezone) if item.all_day else item.starts_at,
            until=item.ends_at,
            kind=item.kind,
            title=item.title,
            link=reverse("operations:planned", args=[item.pk]),
            team_id=item.team_id,
            campaign_id=item.campaign_id,
            language=item.language,
            region=item.region,
            embargoed=embargo.is_embargoed(item, now),
            zone=item.timezone,
            all_day=item.all_day,
            uid=f"planned-{item.pk}",
        )


def _releases(scope: Scope, viewer, start, end, now) -> Iterator[Entry]:
    drafts = embargo.visible(scope(Draft.objects.all()), viewer, now).exclude(status=Status.RETIRED)
    dated = Q(embargo_until__gte=start, embargo_until__lt=end) | Q(
        embargo_until__isnull=True, published_at__gte=start, published_at__lt=end
    )
    for draft in drafts.filter(dated):
        when = draft.embargo_until or draft.published_at
        what = "Embargo lifts" if draft.embargo_until else "Published"
        yield Entry(
            when=when,
            until=None,
            kind="release",
            title=f"{what}: {draft.title}",
            link=reverse("materials:draft", args=[draft.pk]),
            team_id=draft.team_id,
            campaign_id=None,
            language=draft.language,
            region="",
            embargoed=embargo.is_embargoed(draft, now),
            zone=draft.embargo_timezone if draft.embargo_until else "UTC",
            uid=f"draft-{draft.pk}",
        )


def _campaigns(scope: Scope, viewer, start, end, now) -> Iterator[Entry]:
    first, last = start.date() - timedelta(days=1), end.date() + timedelta(days=1)
    campaigns = scope(Campaign.objects.all()).filter(
        Q(starts_on__range=(first, last)) | Q(ends_on__range=(first, last))
    )
    for campaign in campaigns:
        link = reverse("campaigns:campaign", args=[campaign.pk])
        for label, day in (("starts", campaign.starts_on), ("ends", campaign.ends_on)):
            when = _midnight(day) if day else None
            if when is None or not start <= when < end:
                continue
            yield Entry(
                when=when,
                until=None,
                kind="campaign",
                title=f"Campaign {label}: {campaign.name}",
                link=link,
                team_id=campaign.team_id,
                campaign_id=campaign.pk,
                language="",
                region="",
                embargoed=False,
                all_day=True,
                uid=f"campaign-{campaign.pk}-{label}",
            )


def _speaking(scope: Scope, viewer, start, end, now) -> Iterator[Entry]:
    opportunities = scope(SpeakingOpportunity.objects.all())
    for item in opportunities.filter(deadline__gte=start, deadline__lt=end):
        yield _speaking_entry(item, "cfp", f"Deadline: {item.title}", item.deadline, None)
    for item in opportunities.filter(starts_at__gte=start, starts_at__lt=end):
        yield _speaking_entry(item, "speaking", item.title, item.starts_at, item.ends_at)


def _speaking_entry(item, kind, title, when, until) -> Entry:
    return Entry(
        when=when,
        until=until,
        kind=kind,
        title=title,
        link=reverse("relations:opportunity", args=[item.pk]),
        team_id=item.team_id,
        campaign_id=None,
        language=(item.languages or [""])[0],
        region="",
        embargoed=False,
        uid=f"speaking-{item.pk}-{kind}",
    )


def _trainings(scope: Scope, viewer, start, end, now) -> Iterator[Entry]:
    for item in scope(Training.objects.all()).filter(starts_at__gte=start, starts_at__lt=end):
        yield Entry(
            when=item.starts_at,
            until=None,
            kind="training",
            title=f"Media training: {item.title}",
            link=reverse("relations:training", args=[item.pk]),
            team_id=item.team_id,
            campaign_id=None,
            language="",
            region="",
            embargoed=False,
            uid=f"training-{item.pk}",
        )


def _inquiries(scope: Scope, viewer, start, end, now) -> Iterator[Entry]:
    inquiries = scope(Inquiry.objects.all()).filter(
        status__in=OPEN_INQUIRY, deadline__gte=start, deadline__lt=end
    )
    for item in inquiries:
        yield Entry(
            when=item.deadline,
            until=None,
            kind="inquiry",
            title=f"Press inquiry due: {item.topic}",
            link=_inquiry_link(item.pk),
            team_id=item.team_id,
            campaign_id=None,
            language="",
            region="",
            embargoed=False,
            zone=item.deadline_timezone or "UTC",
            uid=f"inquiry-{item.pk}-deadline",
        )


def _reviews(scope: Scope, viewer, start, end, now) -> Iterator[Entry]:
    materials = (
        scope(Material.objects.all())
        .exclude(status=Status.RETIRED)
        .filter(review_by__gte=start.date(), review_by__lte=end.date())
    )
    for item in materials:
        when = _midnight(item.review_by)
        if not start <= when < end:
            continue
        yield Entry(
            when=when,
            until=None,
            kind="review",
            title=f"Review by: {item.title}",
            link=reverse("materials:material", args=[item.pk]),
            team_id=item.team_id,
            campaign_id=None,
            language=item.language,
            region="",
            embargoed=False,
            all_day=True,
            uid=f"material-{item.pk}-review",
        )


def _statistics(scope: Scope, viewer, start, end, now) -> Iterator[Entry]:
    """The day a hand-kept statistic gets too old to quote (live ones refresh themselves).
    Filtered here, not in SQL: date arithmetic differs by database and a team has few."""
    kept = (
        scope(KeyStatistic.objects.all())
        .exclude(status=Status.RETIRED)
        .filter(max_age_days__isnull=False, live_url="")
    )
    for item in kept:
        when = _midnight(item.as_of + timedelta(days=item.max_age_days))
        if not start <= when < end:
            continue
        yield Entry(
            when=when,
            until=None,
            kind="statistic",
            title=f"Out of date: {item.name}",
            link=reverse("materials:statistic", args=[item.pk]),
            team_id=item.team_id,
            campaign_id=None,
            language="",
            region="",
            embargoed=False,
            all_day=True,
            uid=f"statistic-{item.pk}-stale",
        )


SOURCES = (
    _planned, _releases, _campaigns, _speaking, _trainings, _inquiries, _reviews, _statistics,
)  # fmt: skip


def _inquiry_link(pk: int) -> str:
    try:
        return reverse("relations:inquiry", args=[pk])
    except NoReverseMatch:
        return reverse("relations:overview")


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=UTC)


def _all_day_start(moment: datetime, zone: str) -> datetime:
    """An all-day item's date as written in its own zone, at midnight UTC (see Entry.when)."""
    return _midnight(moment.astimezone(_zone(zone)).date())


def _zone(name: str) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(name or "UTC")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


# ---------------------------------------------------------------- grids for the pages


@dataclass(frozen=True, slots=True)
class Day:
    date: date
    entries: tuple[Entry, ...]
    in_month: bool
    today: bool


def month_range(month: date, zone: tzinfo) -> tuple[datetime, datetime, list[date]]:
    """The weeks (Monday first) that show `month`, as instants in `zone` and as dates."""
    weeks = std_calendar.Calendar(firstweekday=0).monthdatescalendar(month.year, month.month)
    days = [day for week in weeks for day in week]
    return _local(days[0], zone), _local(days[-1] + timedelta(days=1), zone), days


def week_range(day: date, zone: tzinfo) -> tuple[datetime, datetime, list[date]]:
    monday = day - timedelta(days=day.weekday())
    days = [monday + timedelta(days=i) for i in range(7)]
    return _local(days[0], zone), _local(days[-1] + timedelta(days=1), zone), days


def lay_out(
    days: list[date], found: list[Entry], zone: tzinfo, *, month: int | None, today: date
) -> list[list[Day]]:
    """Days in rows of seven, each with its entries (the reader's date of each entry)."""
    by_day: dict[date, list[Entry]] = defaultdict(list)
    for entry in found:
        by_day[entry.day(zone)].append(entry)
    cells = [
        Day(
            date=d,
            entries=tuple(by_day.get(d, ())),
            in_month=month is None or d.month == month,
            today=d == today,
        )
        for d in days
    ]
    return [cells[i : i + 7] for i in range(0, len(cells), 7)]


def _local(day: date, zone: tzinfo) -> datetime:
    return datetime.combine(day, time(0), tzinfo=zone)
