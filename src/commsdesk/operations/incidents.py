"""The crisis room's figures and documents: an incident's live coverage (mentions per hour over
the last 48 hours, top stories, spike status, stance), its situation report (the same figures
with the timeline, approved lines and open inquiries) and the proposed post-incident summary.

It reads monitoring through `monitoring.trends` and draws with `commsdesk.charts`; it renders
no HTML and sends nothing: the views and `sitrep` turn these records into pages, PDF and email.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, QuerySet
from django.utils import timezone

from commsdesk import charts
from commsdesk.materials.models import Material, Status
from commsdesk.monitoring import trends
from commsdesk.monitoring.models import Article, Mention, Spike
from commsdesk.operations.models import Incident, IncidentEvent
from commsdesk.pipeline.trends import HOUR
from commsdesk.relations.models import Inquiry

WINDOW_HOURS = 48
SPIKE_RECENT = timedelta(hours=6)  # a spike this recent makes the panel say "spiking now"
TOP_STORIES = 5
STANCES = ("positive", "neutral", "negative")
OPEN_INQUIRY = [s for s in Inquiry.Status.values if s not in ("answered", "declined")]


@dataclass(frozen=True, slots=True)
class TopStory:
    title: str
    url: str
    outlet: str
    articles: int  # distinct articles (placements) in the window
    article_id: int


@dataclass(frozen=True, slots=True)
class Coverage:
    hours: tuple[tuple[datetime, int], ...]  # (UTC hour start, mentions), oldest first, zeros in
    total: int  # mentions in the window
    last_24h: int
    previous_24h: int
    top_stories: tuple[TopStory, ...]
    spikes: tuple[Spike, ...]  # spikes of its searches in the window, newest first
    spiking: bool  # a spike in the last SPIKE_RECENT
    stance: dict[str, int]  # positive / neutral / negative / unknown; a person's override wins
    searches: int

    @property
    def trend(self) -> str:
        if self.last_24h > self.previous_24h:
            return "rising"
        if self.last_24h < self.previous_24h:
            return "falling"
        return "steady"


@dataclass(frozen=True, slots=True)
class Line:
    """A holding statement, Q&A or other line from the library, with its approval state."""

    material: Material
    approved: bool
    # Approved, but edited since: the text shown is newer than the approved version.
    changed_since_approval: bool


def coverage(incident: Incident, now: datetime | None = None) -> Coverage:
    now = now or timezone.now()
    search_ids = list(incident.searches.values_list("pk", flat=True))
    last = trends.hour_start(now)
    start = last - (WINDOW_HOURS - 1) * HOUR
    per_search = trends.hourly_counts(search_ids, start, now) if search_ids else {}
    summed: Counter[datetime] = Counter()
    for counts in per_search.values():
        summed.update(counts)
    hours = tuple((start + i * HOUR, summed.get(start + i * HOUR, 0)) for i in range(WINDOW_HOURS))
    day_ago = now - timedelta(hours=24)
    mentions = _mentions(search_ids, start, now)
    spikes = tuple(
        Spike.objects.filter(saved_search_id__in=search_ids, hour__gte=start)
        .select_related("saved_search")
        .order_by("-hour")
    )
    return Coverage(
        hours=hours,
        total=sum(n for _, n in hours),
        last_24h=sum(n for hour, n in hours if hour >= trends.hour_start(day_ago)),
        previous_24h=sum(n for hour, n in hours if hour < trends.hour_start(day_ago)),
        top_stories=_top_stories(mentions),
        spikes=spikes,
        spiking=any(spike.hour >= now - SPIKE_RECENT for spike in spikes),
        stance=_stance(mentions),
        searches=len(search_ids),
    )


def chart(incident: Incident, found: Coverage) -> str:
    """SVG of the mentions per hour, spike hours marked (empty without searches)."""
    if not found.searches:
        return ""
    marked = {spike.hour for spike in found.spikes}
    return charts.svg(
        charts.TimeSeries(
            title=f"{incident.title}: mentions per hour, last {WINDOW_HOURS} hours",
            points=found.hours,
            marks=tuple(hour for hour, _ in found.hours if hour in marked),
            y_label="Mentions per hour",
            unit="hour",
        )
    )


def _mentions(search_ids: list[int], start: datetime, end: datetime) -> QuerySet:
    return Mention.objects.filter(
        saved_search_id__in=search_ids, sort_at__gte=start, sort_at__lt=end
    ).exclude(state=Mention.State.HIDDEN)


def _top_stories(mentions: QuerySet) -> tuple[TopStory, ...]:
    """The stories with the most distinct articles; an article in no story stands alone."""
    rows = (
        mentions.values("article__story_id")
        .annotate(n=Count("article_id", distinct=True))
        .order_by("-n")[: TOP_STORIES * 2]
    )
    found: list[TopStory] = []
    for row in rows:
        story_id = row["article__story_id"]
        if story_id is None:
            continue
        article = (
            Article.objects.filter(story_id=story_id, mentions__in=mentions)
            .select_related("outlet")
            .order_by("sort_at")
            .first()
        )
        if article is not None:
            found.append(_story(article, row["n"]))
    if len(found) < TOP_STORIES:
        loose = Article.objects.filter(story__isnull=True, mentions__in=mentions).distinct()
        for article in loose.select_related("outlet")[: TOP_STORIES - len(found)]:
            found.append(_story(article, 1))
    return tuple(sorted(found, key=lambda s: -s.articles)[:TOP_STORIES])


def _story(article: Article, n: int) -> TopStory:
    return TopStory(
        title=article.title or article.url,
        url=article.url,
        outlet=str(article.outlet) if article.outlet_id else "",
        articles=n,
        article_id=article.pk,
    )


def _stance(mentions: QuerySet) -> dict[str, int]:
    counts = {label: 0 for label in (*STANCES, "unknown")}
    rows = mentions.values("sentiment_override", "stance").annotate(n=Count("id"))
    for row in rows:
        label = row["sentiment_override"] or row["stance"] or "unknown"
        counts[label if label in counts else "unknown"] += row["n"]
    return counts


def lines(incident: Incident, viewer=None) -> list[Line]:
    """The incident's lines; with `viewer`, only those the person may see (not sensitive ones
    hidden from their role)."""
    chosen = incident.materials.visible_to(viewer) if viewer else incident.materials.all()
    return [
        Line(
            material=m,
            approved=m.status == Status.APPROVED,
            changed_since_approval=m.status == Status.APPROVED
            and m.approved_version is not None
            and m.version > m.approved_version,
        )
        for m in chosen.order_by("kind", "title")
    ]


def open_inquiries(incident: Incident) -> QuerySet:
    return incident.inquiries.filter(status__in=OPEN_INQUIRY).order_by("deadline")


# ---------------------------------------------------------------- situation report, closing


@dataclass(frozen=True, slots=True)
class SituationReport:
    incident: Incident
    made_at: datetime
    coverage: Coverage
    chart: str  # SVG
    timeline: tuple[IncidentEvent, ...]
    lines: tuple[Line, ...]
    inquiries: tuple[Inquiry, ...]
    on_call: tuple

    @property
    def unapproved_lines(self) -> tuple[Line, ...]:
        return tuple(line for line in self.lines if not line.approved)


def situation_report(
    incident: Incident, now: datetime | None = None, viewer=None
) -> SituationReport:
    now = now or timezone.now()
    found = coverage(incident, now)
    return SituationReport(
        incident=incident,
        made_at=now,
        coverage=found,
        chart=chart(incident, found),
        timeline=tuple(incident.timeline.select_related("author")),
        lines=tuple(lines(incident, viewer)),
        inquiries=tuple(open_inquiries(incident).select_related("journalist", "outlet")),
        on_call=tuple(incident.on_call.order_by("username")),
    )


def proposed_summary(incident: Incident, now: datetime | None = None) -> str:
    """A first draft of the post-incident summary from the timeline and the coverage figures,
    for a person to edit before closing."""
    now = now or timezone.now()
    found = coverage(incident, now)
    duration = now - incident.opened_at
    days, hours = duration.days, duration.seconds // 3600
    events = list(incident.timeline.select_related("author"))
    decisions = [e for e in events if e.kind == IncidentEvent.Kind.DECISION]
    parts = [
        f"{incident.title} ({incident.get_severity_display().lower()} severity) was open "
        f"{days} day(s) {hours} hour(s), from {incident.opened_at:%d %b %Y %H:%M} UTC.",
        "",
        f"Coverage in the last {WINDOW_HOURS} hours: {found.total} mentions "
        f"({found.last_24h} in the last 24 hours, {found.previous_24h} the day before); "
        f"stance: {found.stance['positive']} positive, {found.stance['neutral']} neutral, "
        f"{found.stance['negative']} negative. "
        f"{len(found.spikes)} spike(s) detected.",
    ]
    if found.top_stories:
        parts += ["", "Top stories:"]
        parts += [f"- {s.title} ({s.outlet or 'unknown outlet'})" for s in found.top_stories]
    if decisions:
        parts += ["", "Decisions:"]
        parts += [f"- {e.at:%d %b %H:%M}: {e.text}" for e in decisions]
    parts += [
        "",
        f"Timeline: {len(events)} entries. Lines used: "
        + (", ".join(m.title for m in incident.materials.all()) or "none")
        + ".",
        "",
        "What went well:",
        "",
        "What to change next time:",
    ]
    return "\n".join(parts)


def close(incident: Incident, summary: str, user, now: datetime | None = None) -> None:
    now = now or timezone.now()
    incident.status = Incident.Status.CLOSED
    incident.closed_at = now
    incident.post_incident_summary = summary
    incident.save(update_fields=["status", "closed_at", "post_incident_summary", "updated_at"])
    IncidentEvent.objects.create(
        incident=incident,
        kind=IncidentEvent.Kind.DECISION,
        at=now,
        text="Incident closed.",
        author=user,
    )
