"""The story bank's rules: filtering ideas, moving them along idea → vetted → pitched →
published (never pitched or published without consent), ideas from an article or a community
feed, a blog draft started from an idea, and the quarter's spread by country and language.

No HTML and no HTTP: views call these. Who may do what is asked of `accounts.roles` by the views.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from babel import Locale
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from commsdesk.materials.models import Draft
from commsdesk.monitoring.models import Article
from commsdesk.operations.models import CommunitySource, DismissedSuggestion, StoryIdea

Stage = StoryIdea.Stage
# Telling someone's story in the press or on the blog needs their consent first.
NEEDS_CONSENT = (Stage.PITCHED, Stage.PUBLISHED)
SUGGESTION_DAYS = 30
SUGGESTIONS = 50
SUMMARY_CHARS = 600


class ConsentMissing(ValueError):
    """The idea may not move to that stage until consent is given."""


@dataclass(frozen=True, slots=True)
class Filters:
    stage: str = ""
    theme: str = ""
    language: str = ""
    country: str = ""
    consent: str = ""
    text: str = ""


def find(ideas: QuerySet, filters: Filters) -> QuerySet:
    """Ideas narrowed by the board's filters (each empty filter keeps everything)."""
    if filters.stage:
        ideas = ideas.filter(stage=filters.stage)
    if filters.theme:
        ideas = ideas.filter(theme__icontains=filters.theme)
    if filters.language:
        ideas = ideas.filter(language__iexact=filters.language)
    if filters.country:
        ideas = ideas.filter(country__iexact=filters.country)
    if filters.consent:
        ideas = ideas.filter(consent=filters.consent)
    if filters.text:
        ideas = ideas.filter(
            Q(title__icontains=filters.text)
            | Q(summary__icontains=filters.text)
            | Q(who__icontains=filters.text)
            | Q(place__icontains=filters.text)
        )
    return ideas


def consent_problem(idea: StoryIdea, stage: str) -> str:
    """Why `idea` may not move to `stage`, in words for the page; empty when it may."""
    if stage in NEEDS_CONSENT and idea.consent != StoryIdea.Consent.GIVEN:
        return (
            f"“{idea.title}” cannot be {Stage(stage).label.lower()} yet: the people in it have "
            f"not given their consent (consent is “{idea.get_consent_display().lower()}”). "
            "Record their consent on the idea first."
        )
    return ""


def move(idea: StoryIdea, stage: str, *, now: datetime | None = None) -> None:
    """Move the idea to `stage`; raises ConsentMissing when the people have not agreed."""
    if stage not in Stage.values:
        raise ValueError(f"Unknown stage “{stage}”.")
    problem = consent_problem(idea, stage)
    if problem:
        raise ConsentMissing(problem)
    idea.stage = stage
    if stage == Stage.PUBLISHED:
        idea.published_at = idea.published_at or now or timezone.now()
    else:
        idea.published_at = None
    idea.save(update_fields=["stage", "published_at", "updated_at"])


def consent_withdrawn(idea: StoryIdea) -> bool:
    """An idea already pitched or published whose consent is no longer "given": the page
    warns about it (the record is kept as it is; people decide what to do)."""
    return idea.stage in NEEDS_CONSENT and idea.consent != StoryIdea.Consent.GIVEN


def prefill_from_article(article: Article) -> dict:
    """Initial form values for an idea taken from an article."""
    paragraphs = article.paragraphs
    summary = paragraphs[0] if paragraphs else ""
    if len(summary) > SUMMARY_CHARS:
        summary = summary[:SUMMARY_CHARS].rsplit(" ", 1)[0] + "…"
    return {
        "title": article.title[:300],
        "summary": summary,
        "language": article.language if article.language != "und" else "",
        "country": article.country or (article.outlet.country if article.outlet_id else ""),
        "who": ", ".join(article.authors or ())[:300],
    }


def suggestions(team_id: int, *, now: datetime | None = None) -> QuerySet:
    """New articles of the team's community sources not yet taken up or dismissed."""
    now = now or timezone.now()
    sources = CommunitySource.objects.filter(team_id=team_id).values("source_id")
    taken = StoryIdea.objects.filter(team_id=team_id, article__isnull=False).values("article_id")
    dismissed = DismissedSuggestion.objects.filter(team_id=team_id).values("article_id")
    return (
        Article.objects.filter(
            source_id__in=sources, sort_at__gte=now - timedelta(days=SUGGESTION_DAYS)
        )
        .exclude(pk__in=taken)
        .exclude(pk__in=dismissed)
        .select_related("outlet", "source")
        .defer("raw_html", "minhash")
        .order_by("-sort_at", "-id")
    )


def accept(team_id: int, article: Article, *, user) -> StoryIdea:
    """A suggested community article becomes an idea to vet."""
    return StoryIdea.objects.create(
        team_id=team_id,
        created_by=user,
        origin=StoryIdea.Origin.FEED,
        article=article,
        **prefill_from_article(article),
    )


def dismiss(team_id: int, article: Article, *, user) -> None:
    DismissedSuggestion.objects.get_or_create(
        team_id=team_id, article=article, defaults={"dismissed_by": user}
    )


def start_blog_post(idea: StoryIdea, *, user) -> Draft:
    """A blog post draft prefilled from the idea, linked to it."""
    lines = [idea.summary.strip()]
    if idea.who or idea.place:
        where = ", ".join(p for p in (idea.place, idea.country) if p)
        lines.append(f"**Who:** {idea.who or '—'}  \n**Where:** {where or '—'}")
    if idea.media_angle:
        lines.append(f"**Angle:** {idea.media_angle.strip()}")
    draft = Draft(
        team_id=idea.team_id,
        kind=Draft.Kind.BLOG_POST,
        title=idea.title,
        language=idea.language or "en",
        body="\n\n".join(line for line in lines if line),
        owner=user,
    )
    with transaction.atomic():
        draft.save()
        idea.drafts.add(draft)
    return draft


def place_name(kind: str, code: str) -> str:
    """ "NG" → "Nigeria", "es" → "Spanish" (CLDR names in English); the code when unknown."""
    names = Locale("en").territories if kind == "country" else Locale("en").languages
    return names.get(code.upper() if kind == "country" else code.replace("-", "_"), code)


@dataclass(frozen=True, slots=True)
class SpreadRow:
    key: str  # country code or language code ("" when unknown)
    label: str
    ideas: int  # collected this quarter
    published: int  # published this quarter


@dataclass(frozen=True, slots=True)
class Spread:
    start: date
    end: date  # inclusive
    label: str  # "2026 Q4"
    countries: tuple[SpreadRow, ...]
    languages: tuple[SpreadRow, ...]
    ideas: int
    published: int


def quarter_of(day: date) -> tuple[date, date]:
    first_month = 3 * ((day.month - 1) // 3) + 1
    start = date(day.year, first_month, 1)
    following = date(day.year + (first_month == 10), (first_month + 2) % 12 + 1, 1)
    return start, following - timedelta(days=1)


def parse_quarter(text: str, *, today: date) -> tuple[date, date]:
    """ "2026Q3" or "2026-Q3" → that quarter's first and last day; anything else: this quarter."""
    cleaned = text.strip().upper().replace("-", "")
    if len(cleaned) == 6 and cleaned[:4].isdigit() and cleaned[4] == "Q" and cleaned[5] in "1234":
        return quarter_of(date(int(cleaned[:4]), 3 * int(cleaned[5]) - 2, 1))
    return quarter_of(today)


def spread(ideas: QuerySet, start: date, end: date) -> Spread:
    """Ideas collected and stories published between start and end (inclusive, in the current
    time zone), per country and per language, most published first."""
    zone = timezone.get_current_timezone()
    since = datetime.combine(start, datetime.min.time(), tzinfo=zone)
    until = datetime.combine(end + timedelta(days=1), datetime.min.time(), tzinfo=zone)
    collected = list(
        ideas.filter(created_at__gte=since, created_at__lt=until).values_list("country", "language")
    )
    told = list(
        ideas.filter(
            stage=Stage.PUBLISHED, published_at__gte=since, published_at__lt=until
        ).values_list("country", "language")
    )
    return Spread(
        start=start,
        end=end,
        label=f"{start.year} Q{(start.month - 1) // 3 + 1}",
        countries=_rows("country", [c.upper() for c, _ in collected], [c.upper() for c, _ in told]),
        languages=_rows(
            "language", [lang.lower() for _, lang in collected], [lang.lower() for _, lang in told]
        ),
        ideas=len(collected),
        published=len(told),
    )


def _rows(kind: str, collected: list[str], told: list[str]) -> tuple[SpreadRow, ...]:
    ideas, published = Counter(collected), Counter(told)
    keys = sorted(set(ideas) | set(published), key=lambda k: (k == "", -published[k], -ideas[k], k))
    return tuple(
        SpreadRow(k, place_name(kind, k) if k else "Not recorded", ideas[k], published[k])
        for k in keys
    )
