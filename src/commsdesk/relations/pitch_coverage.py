"""Coverage that may have followed a pitch: articles published within N days after it by the
outlets its recipients worked for, or under their bylines. It suggests; a person links.

Only journalists who got the pitch (sent or replied) count; skipped and bounced ones did not.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Q

from commsdesk.monitoring.models import Article
from commsdesk.relations.models import Affiliation, Journalist, Pitch, PitchRecipient

DAYS = (7, 14, 30, 60, 90)
DEFAULT_DAYS = 30
REACHED = (PitchRecipient.Status.SENT, PitchRecipient.Status.REPLIED)


@dataclass(slots=True)
class Suggestion:
    article: Article
    why: list[str] = field(default_factory=list)  # "by Ana Reporter", "in the Gazette (Ana's)"


def _name_key(name: str) -> str:
    return " ".join(str(name).split()).casefold()


def suggestions(pitch: Pitch, *, days: int = DEFAULT_DAYS, limit: int = 50) -> list[Suggestion]:
    """Articles after the pitch by its recipients' outlets or bylines, newest first, not linked."""
    if pitch.sent_at is None:
        return []
    start, end = pitch.sent_at, pitch.sent_at + timedelta(days=days)
    reached = Journalist.objects.filter(
        pitches_received__pitch=pitch, pitches_received__status__in=REACHED
    )
    outlets = _outlets(reached, start, end)
    written = {b: j.name for j in reached for b in [j.name, *(j.bylines or [])] if _name_key(b)}
    bylines = {_name_key(b): name for b, name in written.items()}
    if not outlets and not bylines:
        return []
    match = Q(outlet_id__in=outlets)
    for byline in written:
        match |= _byline_prefilter(byline)
    articles = (
        _published_between(start, end)
        .filter(match)
        .exclude(pk__in=pitch.coverage.values("pk"))
        .select_related("outlet")
        .order_by("-sort_at")
    )
    found = []
    for article in articles[: limit * 4]:  # the byline prefilter over-matches; checked below
        suggestion = _explain(article, outlets, bylines)
        if suggestion.why:
            found.append(suggestion)
        if len(found) == limit:
            break
    return found


def _published_between(start: datetime, end: datetime):
    # Articles without a publication date count by when they were seen (sort_at).
    return Article.objects.filter(
        Q(published_at__gte=start, published_at__lte=end)
        | Q(published_at__isnull=True, sort_at__gte=start, sort_at__lte=end)
    )


def _outlets(reached, start: datetime, end: datetime) -> dict[int, str]:
    """Outlet id → the journalist who worked there around the pitch."""
    jobs = (
        Affiliation.objects.filter(journalist__in=reached)
        .filter(Q(until__isnull=True) | Q(until__gte=start.date()))
        .filter(Q(since__isnull=True) | Q(since__lte=end.date()))
        .select_related("journalist")
    )
    return {job.outlet_id: job.journalist.name for job in jobs}


def _byline_prefilter(byline: str) -> Q:
    # Authors are a JSON list, so this matches text inside it: the byline's longest word (spacing
    # in bylines varies), as written (PostgreSQL's jsonb text) and \u-escaped (how Django stores
    # JSON on SQLite), in the usual capitalisations (SQLite ignores case only for ASCII).
    # A loose net: _explain then compares whole names exactly.
    word = max(byline.split(), key=len)
    match = Q()
    for variant in {word, word.lower(), word.upper(), word.capitalize()}:
        for text in {variant, json.dumps(variant)[1:-1]}:
            match |= Q(authors__icontains=text)
    return match


def _explain(article: Article, outlets: dict[int, str], bylines: dict[str, str]) -> Suggestion:
    suggestion = Suggestion(article=article)
    for author in article.authors or []:
        journalist = bylines.get(_name_key(author))
        if journalist:
            suggestion.why.append(f"by {journalist}")
    if article.outlet_id in outlets:
        suggestion.why.append(f"in {article.outlet.name} ({outlets[article.outlet_id]}’s outlet)")
    return suggestion
