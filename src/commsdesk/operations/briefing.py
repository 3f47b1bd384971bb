"""The interview briefing pack: everything a spokesperson should read before an inquiry, interview
or speaking slot, gathered from relations, monitoring, campaigns and materials into one frozen
`Briefing`. It renders nothing and sends nothing: the views make it a page and a PDF.

Who may read contact details is decided here (through `roles` and `roster`), so no template
can leak them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import F, Q, QuerySet
from django.utils import timezone

from commsdesk.accounts import roles
from commsdesk.campaigns.models import Campaign, Peer
from commsdesk.materials import facts
from commsdesk.materials.models import KeyStatistic, Material, Status
from commsdesk.monitoring.models import Mention, Outlet, SavedSearch
from commsdesk.pipeline.query import normalize
from commsdesk.relations import contacts, roster
from commsdesk.relations.models import Inquiry, Journalist, SpeakingOpportunity, Spokesperson

COVERAGE_DAYS = 90
RECENT_ARTICLES = 8
COVERAGE_LINES = 20
STATISTICS = 12
# Kinds of library material that are "what to say"; holding statements are their own section.
TALKING_KINDS = (
    Material.Kind.TALKING_POINTS,
    Material.Kind.KEY_MESSAGES,
    Material.Kind.BRIEFING,
    Material.Kind.FAQ,
    Material.Kind.FACT_SHEET,
)


@dataclass(frozen=True, slots=True)
class Engagement:
    kind: str  # "inquiry" or "opportunity"
    pk: int
    title: str
    label: str  # "Press inquiry", "Interview", "Event", ...
    when: datetime | None  # the deadline of an inquiry, the start of a slot
    topics: tuple[str, ...]  # what the briefing matches materials and statistics against
    questions: str  # an inquiry's questions, an opportunity's notes
    location: str


@dataclass(frozen=True, slots=True)
class Job:
    outlet: str
    title: str
    since: date | None
    until: date | None  # None: current


@dataclass(frozen=True, slots=True)
class Profile:
    """The journalist or host."""

    pk: int | None
    name: str
    jobs: tuple[Job, ...]
    beats: tuple[str, ...]
    languages: tuple[str, ...]
    country: str
    # (label, value) pairs; None when the reader may not see contact details.
    contact: tuple[tuple[str, str], ...] | None
    do_not_contact: str  # the reason, when they asked not to be contacted


@dataclass(frozen=True, slots=True)
class ArticleLine:
    pk: int
    title: str
    url: str
    outlet: str
    at: datetime
    language: str


@dataclass(frozen=True, slots=True)
class Reach:
    name: str
    domain: str
    tier: int | None
    monthly_audience: int | None
    audience_source: str
    audience_as_of: date | None
    country: str
    type: str

    @property
    def audience_text(self) -> str:
        return f"{self.monthly_audience:,}" if self.monthly_audience else ""


@dataclass(frozen=True, slots=True)
class CoverageLine:
    whose: str  # "Us" or the peer's name
    search: str
    article: ArticleLine
    stance: str  # positive / neutral / negative / "" (not analysed)
    by_person: bool  # a person set the stance


@dataclass(frozen=True, slots=True)
class Point:
    """A talking point, key message material or holding line, in the language chosen."""

    pk: int
    title: str
    kind: str
    body: str  # Markdown
    language: str
    note: str  # e.g. "No Spanish translation: shown in English."
    stale_translation: bool


@dataclass(frozen=True, slots=True)
class KeyMessageLine:
    campaign: str
    text: str


@dataclass(frozen=True, slots=True)
class Statistic:
    name: str
    value: str
    as_of: date
    source_url: str
    stale: bool
    reason: str


@dataclass(frozen=True, slots=True)
class Speaker:
    pk: int
    name: str
    kind: str
    languages: tuple[str, ...]
    topics: tuple[str, ...]
    approval: str
    media_trained_on: date | None
    availability: str
    contact: tuple[tuple[str, str], ...] | None


@dataclass(frozen=True, slots=True)
class Briefing:
    engagement: Engagement
    language: str  # the language points are shown in
    journalist: Profile | None
    articles: tuple[ArticleLine, ...]
    outlet: Reach | None
    coverage: tuple[CoverageLine, ...]
    coverage_days: int
    talking_points: tuple[Point, ...]
    key_messages: tuple[KeyMessageLine, ...]
    campaigns: tuple[str, ...]
    statistics: tuple[Statistic, ...]
    holding_lines: tuple[Point, ...]
    spokesperson: Speaker | None
    generated_at: datetime


def engagement_of(record: Inquiry | SpeakingOpportunity) -> Engagement:
    if isinstance(record, Inquiry):
        return Engagement(
            kind="inquiry",
            pk=record.pk,
            title=record.topic,
            label="Press inquiry",
            when=record.deadline,
            topics=(record.topic,),
            questions=record.questions,
            location="",
        )
    return Engagement(
        kind="opportunity",
        pk=record.pk,
        title=record.title,
        label=record.get_kind_display(),
        when=record.starts_at or record.deadline,
        topics=tuple(t for t in (*record.topics, record.title) if t.strip()),
        questions=record.notes,
        location=record.location,
    )


def build(
    record: Inquiry | SpeakingOpportunity,
    *,
    user,
    journalist: Journalist | None = None,
    language: str = "",
    campaign: Campaign | None = None,
    now: datetime | None = None,
) -> Briefing:
    """The briefing for an inquiry or a speaking opportunity, as `user` may read it.

    `journalist` names the host of an opportunity (an inquiry has its own); `language`
    overrides the spokesperson's first language; `campaign` overrides the campaigns matched
    by topic for key messages.
    """
    now = now or timezone.now()
    engagement = engagement_of(record)
    team_id = record.team_id
    if isinstance(record, Inquiry):
        journalist = record.journalist
        speaker = record.spokesperson
    else:
        speaker = record.speaker
    language = (language or _first_language(speaker) or "en").lower()
    outlet = _outlet(record, journalist)
    campaigns = [campaign] if campaign else _campaigns(team_id, engagement.topics, now.date())
    materials = _approved_sources(team_id, user)
    return Briefing(
        engagement=engagement,
        language=language,
        journalist=_profile(journalist, user, team_id, record),
        articles=_articles(journalist),
        outlet=_reach(outlet),
        coverage=_coverage(team_id, outlet, now),
        coverage_days=COVERAGE_DAYS,
        talking_points=_points(
            materials.filter(kind__in=TALKING_KINDS), engagement.topics, language
        ),
        key_messages=_key_messages(campaigns, language),
        campaigns=tuple(c.name for c in campaigns),
        statistics=_statistics(team_id, engagement.topics, now.date()),
        holding_lines=_holding_lines(materials, engagement.topics, language),
        spokesperson=_speaker(speaker, user),
        generated_at=now,
    )


def _first_language(speaker: Spokesperson | None) -> str:
    return next((str(code) for code in (speaker.languages if speaker else ()) if code), "")


def _outlet(record, journalist: Journalist | None) -> Outlet | None:
    if isinstance(record, Inquiry) and record.outlet_id:
        return record.outlet
    if journalist is not None:
        current = journalist.affiliations.filter(until__isnull=True).select_related("outlet")
        job = current.first() or journalist.affiliations.select_related("outlet").first()
        if job is not None:
            return job.outlet
    return None


def _contact_pairs(pairs: list[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
    return tuple((label, value) for label, value in pairs if value)


def _profile(journalist: Journalist | None, user, team_id: int, record) -> Profile | None:
    sees = roles.can_see_contacts(user, team_id)
    if journalist is None:
        name = getattr(record, "reporter_name", "")
        if not name:
            return None
        email = getattr(record, "reporter_email", "")
        return Profile(
            None, name, (), (), (), "", _contact_pairs([("Email", email)]) if sees else None, ""
        )
    jobs = tuple(
        Job(a.outlet.name, a.title, a.since, a.until)
        # The current job first (no end date), then the most recent ones, on every database.
        for a in journalist.affiliations.select_related("outlet").order_by(
            F("until").desc(nulls_first=True), F("since").desc(nulls_last=True)
        )
    )
    contact = None
    if sees:
        social = [(network.capitalize(), handle) for network, handle in journalist.social.items()]
        contact = _contact_pairs(
            [("Email", journalist.email), ("Phone", journalist.phone), *social]
        )
    return Profile(
        pk=journalist.pk,
        name=journalist.name,
        jobs=jobs,
        beats=tuple(journalist.beats),
        languages=tuple(journalist.languages),
        country=journalist.country,
        contact=contact,
        do_not_contact=(journalist.do_not_contact_reason or "yes")
        if journalist.do_not_contact
        else "",
    )


def _line(article) -> ArticleLine:
    return ArticleLine(
        pk=article.pk,
        title=article.title,
        url=article.canonical_url or article.url,
        outlet=article.outlet.name if article.outlet_id else "",
        at=article.published_at or article.sort_at,
        language=article.language,
    )


def _articles(journalist: Journalist | None) -> tuple[ArticleLine, ...]:
    if journalist is None:
        return ()
    return tuple(_line(a) for a in contacts.recent_articles(journalist, limit=RECENT_ARTICLES))


def _reach(outlet: Outlet | None) -> Reach | None:
    if outlet is None:
        return None
    return Reach(
        name=outlet.name,
        domain=outlet.domain,
        tier=outlet.tier,
        monthly_audience=outlet.monthly_audience,
        audience_source=outlet.audience_source,
        audience_as_of=outlet.audience_as_of,
        country=outlet.country,
        type=outlet.get_type_display(),
    )


def _coverage(team_id: int, outlet: Outlet | None, now: datetime) -> tuple[CoverageLine, ...]:
    """The team's and its peers' mentions on the outlet in the last COVERAGE_DAYS days."""
    if outlet is None:
        return ()
    peers = dict(
        Peer.objects.filter(campaign__team_id=team_id).values_list("saved_search_id", "name")
    )
    searches = SavedSearch.objects.filter(team_id=team_id)
    mentions = (
        Mention.objects.filter(
            saved_search__in=searches,
            article__outlet=outlet,
            sort_at__gte=now - timedelta(days=COVERAGE_DAYS),
        )
        .exclude(state="hidden")
        .select_related("article__outlet", "saved_search")
        .defer("article__text", "article__raw_html", "article__minhash")
        .order_by("-sort_at", "-id")[:COVERAGE_LINES]
    )
    return tuple(
        CoverageLine(
            whose=peers.get(m.saved_search_id, "Us"),
            search=m.saved_search.name,
            article=_line(m.article),
            stance=m.sentiment_override or m.stance or "",
            by_person=bool(m.sentiment_override),
        )
        for m in mentions
    )


def _folded_topics(topics: tuple[str, ...]) -> list[str]:
    return [normalize(t).strip() for t in topics if t and t.strip()]


def _matches(labels: list[str], topics: list[str]) -> bool:
    """A material tag or topic matches when it names the engagement's topic or appears in it
    ("wikipedia block" matches the tag "block"; the tag "Wikipedia blocks" matches "block")."""
    for label in labels:
        folded = normalize(str(label)).strip()
        # Two letters would match half the words of any topic.
        if len(folded) > 2 and any(
            folded in topic or topic in folded for topic in topics if len(topic) > 2
        ):
            return True
    return False


def _approved_sources(team_id: int, user) -> QuerySet:
    """Approved materials that are not themselves translations (those are picked per language),
    without the sensitive ones `user` may not see."""
    return (
        Material.objects.visible_to(user)
        .filter(team_id=team_id, status=Status.APPROVED, translation_of__isnull=True)
        .prefetch_related("translations")
    )


def _in_language(material: Material, language: str) -> Point:
    chosen, note = material, ""
    if material.language.lower() != language:
        translated = [
            t
            for t in material.translations.all()
            if t.language.lower() == language and t.status == Status.APPROVED
        ]
        if translated:
            chosen = translated[0]
            chosen.translation_of = material  # for is_stale_translation, without a query
        else:
            note = f"No approved translation into “{language}”: shown in “{material.language}”."
    return Point(
        pk=chosen.pk,
        title=chosen.title,
        kind=material.get_kind_display(),
        body=chosen.body,
        language=chosen.language,
        note=note,
        stale_translation=chosen is not material and chosen.is_stale_translation,
    )


def _points(materials: QuerySet, topics: tuple[str, ...], language: str) -> tuple[Point, ...]:
    folded = _folded_topics(topics)
    return tuple(
        _in_language(m, language) for m in materials if _matches([*m.tags, *m.topics], folded)
    )


def _holding_lines(materials: QuerySet, topics: tuple[str, ...], language: str) -> tuple:
    """Holding statements on the topic; when there is none, the general ones (no tag or topic)."""
    statements = list(materials.filter(kind=Material.Kind.HOLDING_STATEMENT))
    folded = _folded_topics(topics)
    on_topic = [m for m in statements if _matches([*m.tags, *m.topics], folded)]
    chosen = on_topic or [m for m in statements if not m.tags and not m.topics]
    return tuple(_in_language(m, language) for m in chosen)


def _campaigns(team_id: int, topics: tuple[str, ...], today: date) -> list[Campaign]:
    """Running campaigns whose name shares a word (of four letters or more) with the topic,
    or whose name appears in it: "Education drive" for "Wikipedia in education"."""
    running = Campaign.objects.filter(team_id=team_id, starts_on__lte=today).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=today)
    )
    topic_words = {w for t in _folded_topics(topics) for w in t.split() if len(w) >= 4}
    chosen = []
    for campaign in running.prefetch_related("key_messages"):
        name_words = {w for w in normalize(campaign.name).split() if len(w) >= 4}
        if name_words & topic_words:
            chosen.append(campaign)
    return chosen


def _key_messages(campaigns: list[Campaign], language: str) -> tuple[KeyMessageLine, ...]:
    lines = []
    for campaign in campaigns:
        for message in campaign.key_messages.all():
            phrasing = (message.phrasings or {}).get(language) or []
            lines.append(KeyMessageLine(campaign.name, phrasing[0] if phrasing else message.text))
    return tuple(lines)


def _statistics(team_id: int, topics: tuple[str, ...], today: date) -> tuple[Statistic, ...]:
    """Approved statistics, those named for the topic first; stale ones are kept and flagged:
    a spokesperson must know not to quote them."""
    folded = _folded_topics(topics)
    rows = list(KeyStatistic.objects.filter(team_id=team_id, status=Status.APPROVED))
    rows.sort(key=lambda s: (not _matches([s.name, s.description], folded), s.name))
    shown = []
    for statistic in rows[:STATISTICS]:
        fresh = facts.freshness(statistic, today=today)
        shown.append(
            Statistic(
                name=statistic.name,
                value=facts.display(statistic),
                as_of=statistic.as_of,
                source_url=statistic.source_url,
                stale=fresh.stale,
                reason=fresh.reason,
            )
        )
    return tuple(shown)


def _speaker(speaker: Spokesperson | None, user) -> Speaker | None:
    if speaker is None:
        return None
    sees = roster.Access(user).sees_contact(speaker)
    return Speaker(
        pk=speaker.pk,
        name=speaker.name,
        kind=speaker.get_kind_display(),
        languages=tuple(speaker.languages),
        topics=tuple(speaker.topics),
        approval=speaker.get_approval_display(),
        media_trained_on=speaker.media_trained_on,
        availability=speaker.availability,
        contact=_contact_pairs([("Email", speaker.email), ("Phone", speaker.phone)])
        if sees
        else None,
    )
