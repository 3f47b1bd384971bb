"""A campaign's figures over a period, as docs/metrics.md defines them: volume (stories,
placements, outlets) over time and by language, country, tier and type; reach; share of voice;
normalized attention; net sentiment; key-message pull-through; KPI progress.

Every figure is one or a few aggregate queries (GROUP BY in SQL, never a Python loop over
mentions), and `drill` gives the mentions behind any of them. Presentation is `assemble`'s.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import (
    Count,
    DateField,
    Exists,
    F,
    Func,
    OuterRef,
    Q,
    QuerySet,
    Value,
)
from django.db.models.functions import Coalesce, NullIf, TruncWeek

from commsdesk.campaigns.models import KPI, Campaign, KeyMessage, MessagePresence, Peer
from commsdesk.campaigns.periods import Period
from commsdesk.monitoring.metrics import Counts, coverage_counts
from commsdesk.monitoring.models import Article, Mention, Outlet

AUDIENCE_FLOOR = 500  # DESIGN §4: a known audience below this counts as this
LABELS = ("positive", "neutral", "negative")
# The dimensions coverage is broken down by, as article expressions (the drill-down uses the
# same ones, so a row's link lists exactly the mentions behind it).
DIMENSIONS = {
    "language": F("language"),
    "country": Coalesce(NullIf(F("country"), Value("")), NullIf(F("outlet__country"), Value(""))),
    "tier": F("outlet__tier"),
    "type": F("outlet__type"),
    "outlet": F("outlet_id"),
}
NONE = "none"  # the drill-down value for "no language / country / tier / outlet known"


# --- what counts -----------------------------------------------------------------------------


def mentions(campaign: Campaign, period: Period) -> QuerySet[Mention]:
    """The campaign's coverage: mentions of its saved searches in the period, hidden ones out."""
    return _mentions_of(campaign.searches.values("pk"), period)


def _mentions_of(searches, period: Period) -> QuerySet[Mention]:
    return Mention.objects.filter(
        saved_search__in=searches, sort_at__gte=period.since, sort_at__lt=period.until
    ).exclude(state=Mention.State.HIDDEN)


def articles(found: QuerySet[Mention]) -> QuerySet[Article]:
    """The articles behind mentions, once each (two searches finding one article: one article)."""
    return Article.objects.filter(pk__in=found.values("article_id"))


def source_scope(campaign: Campaign) -> list[int] | None:
    """The sources the campaign's searches look at, when every one of them is limited to some
    sources; None when coverage may come from any source. Peers and the attention denominator
    are counted over the same sources, so the comparison is fair."""
    searches = list(campaign.searches.prefetch_related("sources"))
    if not searches or any(not s.sources.all() for s in searches):
        return None
    return sorted({source.pk for s in searches for source in s.sources.all()})


def _scoped(queryset: QuerySet, scope: list[int] | None, field: str = "article__source"):
    return queryset if scope is None else queryset.filter(**{f"{field}__in": scope})


# --- volume ----------------------------------------------------------------------------------


def volume(campaign: Campaign, period: Period) -> Counts:
    return coverage_counts(articles(mentions(campaign, period)))


@dataclass(frozen=True, slots=True)
class Summary:
    counts: Counts
    tier1: int  # distinct tier-1 outlets
    without_outlet: int  # placements whose outlet is not known


def summary(campaign: Campaign, period: Period) -> Summary:
    """Volume (counted as `coverage_counts` counts), tier-1 outlets and placements without an
    outlet, in one pass over the coverage: a report reads its coverage as few times as it can."""
    figures = (
        articles(mentions(campaign, period))
        .order_by()
        .aggregate(
            placements=Count("id"),
            stories=Count("story", distinct=True),
            unfolded=Count("id", filter=Q(story__isnull=True)),
            outlets=Count("outlet", distinct=True),
            tier1=Count("outlet", distinct=True, filter=Q(outlet__tier=1)),
            without_outlet=Count("id", filter=Q(outlet__isnull=True)),
        )
    )
    counts = Counts(
        figures["stories"] + figures["unfolded"], figures["placements"], figures["outlets"]
    )
    return Summary(counts, figures["tier1"], figures["without_outlet"])


@dataclass(frozen=True, slots=True)
class Bucket:
    key: object  # a date (day or week start), a language code, a tier... None: not known
    counts: Counts


def _grouped(found: QuerySet[Article], expression) -> list[Bucket]:
    rows = (
        found.order_by()
        .annotate(key=expression)
        .values("key")
        .annotate(
            placements=Count("id"),
            stories=Count("story", distinct=True),
            unfolded=Count("id", filter=Q(story__isnull=True)),
            outlets=Count("outlet", distinct=True),
        )
    )
    buckets = [
        Bucket(r["key"], Counts(r["stories"] + r["unfolded"], r["placements"], r["outlets"]))
        for r in rows
    ]
    return sorted(buckets, key=lambda b: (-b.counts.stories, -b.counts.placements, str(b.key)))


def over_time(campaign: Campaign, period: Period, *, unit: str = "day") -> list[Bucket]:
    """Stories, placements and outlets per UTC day (or week, starting Monday), oldest first.
    A story with placements on two days counts as a story on each of them."""
    # SQL's DATE() in both databases (times are stored and read in UTC): Django's TruncDate
    # calls back into Python for every row on SQLite, a quarter of the report's time at 100k.
    day = Func(F("sort_at"), function="DATE", output_field=DateField())
    buckets = _grouped(
        articles(mentions(campaign, period)), day if unit == "day" else TruncWeek("sort_at")
    )
    # TruncWeek gives the Monday as a datetime; the charts and the drill-down want its date.
    days = [Bucket(_day(b.key), b.counts) for b in buckets]
    return sorted(days, key=lambda b: b.key)


def _day(key: date | datetime) -> date:
    return key.date() if isinstance(key, datetime) else key


def breakdown(campaign: Campaign, period: Period, by: str) -> list[Bucket]:
    """Volume by language, country, tier, type or outlet, the most stories first."""
    return _grouped(articles(mentions(campaign, period)), DIMENSIONS[by])


# --- reach -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class OutletAudience:
    outlet_id: int
    name: str
    audience: int | None  # the figure on record (None: no figure)
    counted: int | None  # what reach counts for it (the floor applied)
    source: str
    as_of: date | None
    tier: int | None


@dataclass(frozen=True, slots=True)
class Reach:
    total: int  # sum over distinct outlets of max(monthly audience, floor)
    outlets: int  # distinct outlets in the coverage
    with_figure: int
    floored: int  # outlets whose known audience was below the floor
    missing: tuple[OutletAudience, ...]  # outlets with no audience figure: listed, not guessed
    figures: tuple[OutletAudience, ...]  # every outlet with its figure, largest first
    without_outlet: int  # placements whose outlet is unknown


def reach(campaign: Campaign, period: Period, *, without_outlet: int | None = None) -> Reach:
    """`without_outlet`: the count, when the caller has it (from `summary`)."""
    found = articles(mentions(campaign, period))
    outlets = Outlet.objects.filter(pk__in=found.values("outlet_id")).order_by(
        F("monthly_audience").desc(nulls_last=True), "name"
    )
    # One row per distinct outlet (a few hundred at most), so the sum is taken here from the
    # rows the report lists anyway rather than by a second pass over the coverage.
    rows = [
        OutletAudience(
            o.pk,
            o.name,
            o.monthly_audience,
            None if o.monthly_audience is None else max(o.monthly_audience, AUDIENCE_FLOOR),
            o.audience_source,
            o.audience_as_of,
            o.tier,
        )
        for o in outlets
    ]
    if without_outlet is None:
        without_outlet = found.filter(outlet__isnull=True).count()
    known = [r for r in rows if r.counted is not None]
    return Reach(
        total=sum(r.counted or 0 for r in known),
        outlets=len(rows),
        with_figure=len(known),
        floored=sum(1 for r in known if (r.audience or 0) < AUDIENCE_FLOOR),
        missing=tuple(r for r in rows if r.audience is None),
        figures=tuple(rows),
        without_outlet=without_outlet,
    )


def tier1_outlets(campaign: Campaign, period: Period) -> int:
    found = articles(mentions(campaign, period))
    return Outlet.objects.filter(pk__in=found.values("outlet_id"), tier=1).count()


# --- share of voice and attention --------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Voice:
    name: str
    peer_id: int | None  # None: the campaign's own coverage
    mentions: int  # distinct articles
    share: float | None  # percent of everyone's mentions


@dataclass(frozen=True, slots=True)
class ShareOfVoice:
    own: int
    total: int  # own + every peer's
    share: float | None  # own / total × 100; None without any mention or without peers
    voices: tuple[Voice, ...]  # own first, then peers by mentions


def peer_mentions(peer: Peer, period: Period, scope: list[int] | None) -> QuerySet[Mention]:
    return _scoped(_mentions_of([peer.saved_search_id], period), scope)


def share_of_voice(campaign: Campaign, period: Period, *, own: int | None = None) -> ShareOfVoice:
    """own / (own + peers') × 100, each counted as distinct articles over the same sources and
    period. An article that names us and a peer counts for both. `own`: the campaign's
    placements, when the caller has counted them."""
    scope = source_scope(campaign)
    if own is None:
        own = articles(mentions(campaign, period)).count()
    counted = [
        (peer, articles(peer_mentions(peer, period, scope)).count())
        for peer in campaign.peers.all()
    ]
    total = own + sum(n for _, n in counted)
    pct = (lambda n: round(100 * n / total, 1)) if total else (lambda n: None)
    voices = [Voice("Us", None, own, pct(own))] + sorted(
        (Voice(peer.name, peer.pk, n, pct(n)) for peer, n in counted),
        key=lambda v: (-v.mentions, v.name),
    )
    return ShareOfVoice(own, total, pct(own) if counted else None, tuple(voices))


@dataclass(frozen=True, slots=True)
class Attention:
    stories: int  # the campaign's stories
    all_stories: int  # every story from the same sources in the period
    share: float | None  # percent


def attention(campaign: Campaign, period: Period, *, stories: int | None = None) -> Attention:
    """Matching stories / all stories from the same sources in the period (`stories`: the
    campaign's, when the caller has counted them already)."""
    scope = source_scope(campaign)
    everything = Article.objects.filter(sort_at__gte=period.since, sort_at__lt=period.until)
    if scope is not None:
        everything = everything.filter(source__in=scope)
    ours = volume(campaign, period).stories if stories is None else stories
    total = coverage_counts(everything).stories
    return Attention(ours, total, round(100 * ours / total, 2) if total else None)


# --- sentiment -------------------------------------------------------------------------------

# What a mention's sentiment is for reports: a person's override, else its stance toward what
# the search looks for, else the whole article's sentiment; none of them: not analysed.
EFFECTIVE = Coalesce(
    NullIf(F("sentiment_override"), Value("")),
    NullIf(F("stance"), Value("")),
    NullIf(F("article__sentiment"), Value("")),
)


@dataclass(frozen=True, slots=True)
class Sentiment:
    positive: int
    neutral: int
    negative: int
    not_analysed: int  # no override, stance or article sentiment: counted apart, never guessed
    overridden: int  # mentions whose label a person set
    total: int  # mentions
    net: float | None  # (positive − negative) / (positive + negative), -1..1

    @property
    def analysed(self) -> int:
        return self.positive + self.neutral + self.negative

    @property
    def share_overridden(self) -> float | None:
        return round(100 * self.overridden / self.total, 1) if self.total else None


def sentiment(campaign: Campaign, period: Period) -> Sentiment:
    """Counted per mention (a person's override is per mention)."""
    return sentiment_with_languages(campaign, period)[0]


def sentiment_by_language(campaign: Campaign, period: Period) -> dict[str, dict[str, int]]:
    """{language: {"positive": n, ..., "not analysed": n}} per mention."""
    return sentiment_with_languages(campaign, period)[1]


def sentiment_with_languages(
    campaign: Campaign, period: Period
) -> tuple[Sentiment, dict[str, dict[str, int]]]:
    """Both, from one grouped query (language × label × overridden: a few dozen rows)."""
    rows = (
        mentions(campaign, period)
        .order_by()
        .annotate(label=EFFECTIVE)
        .values("article__language", "label")
        .annotate(n=Count("id"), overridden=Count("id", filter=~Q(sentiment_override="")))
    )
    table: dict[str, dict[str, int]] = {}
    totals = dict.fromkeys((*LABELS, "not analysed", "overridden"), 0)
    for r in rows:
        label = r["label"] if r["label"] in LABELS else "not analysed"
        language = table.setdefault(r["article__language"] or "", {})
        language[label] = language.get(label, 0) + r["n"]
        totals[label] += r["n"]
        totals["overridden"] += r["overridden"]
    pos, neg, neu = totals["positive"], totals["negative"], totals["neutral"]
    figures = Sentiment(
        positive=pos,
        neutral=neu,
        negative=neg,
        not_analysed=totals["not analysed"],  # null or a label we do not know
        overridden=totals["overridden"],
        total=pos + neg + neu + totals["not analysed"],
        net=round((pos - neg) / (pos + neg), 3) if pos + neg else None,
    )
    return figures, table


# --- key messages ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PullThrough:
    message_id: int
    text: str
    stories: int  # stories with the message (prominence ≥ 1 in at least one placement)
    headline: int  # of which in a headline or lead (prominence 2)
    body: int  # of which only in the body
    total: int  # the coverage's stories
    share: float | None  # percent of the coverage's stories


def pull_through(
    campaign: Campaign, period: Period, *, stories: int | None = None
) -> list[PullThrough]:
    """Per key message, in one grouped query over its presences in the coverage."""
    found = articles(mentions(campaign, period))
    total = coverage_counts(found).stories if stories is None else stories
    lead, present = Q(prominence=2), Q(prominence__gte=1)
    rows = (
        MessagePresence.objects.filter(
            key_message__campaign=campaign, article__in=found.values("pk"), prominence__gte=1
        )
        .order_by()
        .values("key_message")
        .annotate(
            stories=Count("article__story", distinct=True, filter=present),
            unfolded=Count("article", distinct=True, filter=present & Q(article__story=None)),
            lead=Count("article__story", distinct=True, filter=lead),
            lead_unfolded=Count("article", distinct=True, filter=lead & Q(article__story=None)),
        )
    )
    by_message = {r["key_message"]: r for r in rows}
    results = []
    for message in campaign.key_messages.all():
        r = by_message.get(message.pk, {})
        carrying = r.get("stories", 0) + r.get("unfolded", 0)
        in_lead = r.get("lead", 0) + r.get("lead_unfolded", 0)
        share = round(100 * carrying / total, 1) if total else None
        results.append(
            PullThrough(
                message.pk, message.text, carrying, in_lead, carrying - in_lead, total, share
            )
        )
    return results


def _carrying(found: QuerySet[Article], message_id: int, where: str) -> QuerySet[Article]:
    """Placements carrying a key message: "any" (prominence ≥ 1), "lead" (2: headline or
    lead) or "body" (1, in stories none of whose placements carry it in the lead), so that
    lead + body stories = any stories."""
    lead = found.filter(_present(message_id, 2))
    if where == "lead":
        return lead
    present = found.filter(_present(message_id, 1))
    if where == "any":
        return present
    lead_stories = lead.filter(story__isnull=False).values("story_id")
    return present.exclude(_present(message_id, 2)).exclude(story__in=lead_stories)


def any_message(campaign: Campaign, period: Period, *, stories: int | None = None) -> float | None:
    """Percent of the coverage's stories carrying at least one key message."""
    found = articles(mentions(campaign, period))
    total = coverage_counts(found).stories if stories is None else stories
    carrying = found.filter(
        Exists(
            MessagePresence.objects.filter(
                article=OuterRef("pk"), key_message__campaign=campaign, prominence__gte=1
            )
        )
    )
    return round(100 * coverage_counts(carrying).stories / total, 1) if total else None


def _present(message_id: int, at_least: int):
    return Exists(
        MessagePresence.objects.filter(
            article=OuterRef("pk"), key_message_id=message_id, prominence__gte=at_least
        )
    )


# --- KPIs ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class KPIProgress:
    kpi: KPI
    value: float | None  # None: no figure yet (a manual KPI without an entry)
    as_of: date | None
    source: str  # where a manual value came from, or how a computed one is counted
    note: str
    progress: float | None  # percent of the target

    @property
    def behind(self) -> bool:
        return self.progress is not None and self.progress < 100


def computed(campaign: Campaign, period: Period, metric: str) -> float | None:
    """The value of a computed KPI metric over the period."""
    if metric in ("stories", "placements", "outlets"):
        return getattr(volume(campaign, period), metric)
    if metric == "reach":
        return reach(campaign, period).total
    if metric == "share_of_voice":
        return share_of_voice(campaign, period).share
    if metric == "pull_through":
        return any_message(campaign, period)
    if metric == "net_sentiment":
        return sentiment(campaign, period).net
    if metric == "tier1_outlets":
        return tier1_outlets(campaign, period)
    return None


def kpi_progress(
    campaign: Campaign, period: Period, *, known: dict[str, float | None] | None = None
) -> list[KPIProgress]:
    """Every KPI with its value for the period (manual ones: the latest entry up to its end).
    `known`: figures the caller has computed already, by metric name, so none is counted twice."""
    known = dict(known or {})
    results = []
    for kpi in campaign.kpis.all():
        if kpi.metric == KPI.Metric.MANUAL:
            entry = kpi.entries.filter(as_of__lte=period.end).order_by("-as_of", "-id").first()
            value = entry.value if entry else None
            as_of, source = (entry.as_of, entry.source) if entry else (None, "")
            note = entry.note if entry else ""
        else:
            if kpi.metric not in known:
                known[kpi.metric] = computed(campaign, period, kpi.metric)
            value = known[kpi.metric]
            as_of, source, note = period.end, f"Computed: {kpi.get_metric_display()}", ""
        progress = round(100 * value / kpi.target, 1) if value is not None and kpi.target else None
        results.append(KPIProgress(kpi, value, as_of, source, note, progress))
    return results


# --- drill-down ------------------------------------------------------------------------------

DRILLS = {
    "coverage": "All coverage",
    "day": "Published on",
    "week": "Published in the week of",
    "language": "Language",
    "country": "Country",
    "tier": "Outlet tier",
    "type": "Outlet type",
    "outlet": "Outlet",
    "audience": "Outlets without an audience figure",
    "tier1": "Tier-1 outlets",
    "sentiment": "Sentiment",
    "overridden": "Sentiment set by a person",
    "message": "Key message",
    "peer": "Peer",
}


def drill(campaign: Campaign, period: Period, metric: str, value: str = "") -> QuerySet[Mention]:
    """The mentions behind a figure. Raises ValueError (with a sentence) for what it cannot read."""
    found = mentions(campaign, period)
    if metric == "coverage":
        return found
    if metric in ("day", "week"):
        return _by_time(found, metric, value)
    if metric in DIMENSIONS:
        return _by_dimension(found, metric, value)
    if metric == "audience":
        return found.filter(article__outlet__isnull=False, article__outlet__monthly_audience=None)
    if metric == "tier1":
        return found.filter(article__outlet__tier=1)
    if metric == "sentiment":
        labelled = found.annotate(label=EFFECTIVE)
        if value in LABELS:
            return labelled.filter(label=value)
        return labelled.filter(Q(label__isnull=True) | ~Q(label__in=LABELS))
    if metric == "overridden":
        return found.exclude(sentiment_override="")
    if metric == "message":
        return _by_message(campaign, found, value)
    if metric == "peer":
        peer = campaign.peers.filter(pk=_number(value, "peer")).first()
        if peer is None:
            raise ValueError("That peer is not one of this campaign's.")
        return peer_mentions(peer, period, source_scope(campaign))
    raise ValueError(f"“{metric}” is not a figure we can list mentions for.")


def _by_time(found: QuerySet[Mention], unit: str, value: str) -> QuerySet[Mention]:
    try:
        first = date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"“{value}” is not a date like 2026-03-31.") from None
    days = Period(first, first + timedelta(days=6 if unit == "week" else 0))
    return found.filter(sort_at__gte=days.since, sort_at__lt=days.until)


def _by_dimension(found: QuerySet[Mention], by: str, value: str) -> QuerySet[Mention]:
    ids = Article.objects.filter(pk__in=found.values("article_id")).annotate(key=DIMENSIONS[by])
    if value in ("", NONE):
        ids = ids.filter(key__isnull=True)
    elif by in ("tier", "outlet"):
        ids = ids.filter(key=_number(value, by))
    else:
        ids = ids.filter(key=value)
    return found.filter(article__in=ids.values("pk"))


def _by_message(campaign: Campaign, found: QuerySet[Mention], value: str) -> QuerySet[Mention]:
    """value: "<message id>" (any), "<id>:lead" or "<id>:body"."""
    message_id, _, where = value.partition(":")
    number = _number(message_id, "key message")
    if not KeyMessage.objects.filter(campaign=campaign, pk=number).exists():
        raise ValueError("That key message is not one of this campaign's.")
    if where not in ("", "lead", "body"):
        raise ValueError(f"“{where}” is not a place in an article: choose lead or body.")
    carrying = _carrying(articles(found), number, where or "any")
    return found.filter(article__in=carrying.values("pk"))


def _number(value: str, what: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ValueError(f"“{value}” does not name a {what}.") from None
