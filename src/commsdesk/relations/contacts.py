"""Journalists as the team keeps them: finding them, their articles, byline suggestions,
duplicates and merging two records into one.

No HTML and no HTTP here: views call these. Import/export lives in `contact_files`, data
rights (export everything, erase) in `data_rights`.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from commsdesk.monitoring.models import Article, Outlet
from commsdesk.pipeline.query import normalize
from commsdesk.relations.models import (
    Affiliation,
    Inquiry,
    Journalist,
    MediaListMember,
    PitchRecipient,
)

CONTACT_FIELDS = ("email", "phone", "social")


def find(
    journalists: QuerySet,
    *,
    text: str = "",
    language: str = "",
    country: str = "",
    do_not_contact: str = "",
) -> QuerySet:
    """Journalists whose name, beat or outlet holds `text`, narrowed by the list filters.

    `do_not_contact` is "yes", "no" or "" (either).
    """
    if text:
        journalists = journalists.filter(
            Q(name__icontains=text)
            | Q(beats__icontains=text)
            | Q(outlets__name__icontains=text)
            | Q(outlets__domain__icontains=text)
        ).distinct()
    if language:
        journalists = journalists.filter(languages__icontains=f'"{language.lower()}')
    if country:
        journalists = journalists.filter(country__iexact=country)
    if do_not_contact in ("yes", "no"):
        journalists = journalists.filter(do_not_contact=do_not_contact == "yes")
    return journalists


def names_of(journalist: Journalist) -> set[str]:
    """How the journalist appears in bylines, folded for comparison (their name counts too)."""
    return {normalize(n).strip() for n in [journalist.name, *journalist.bylines] if n.strip()}


def _authors_containing(name: str) -> Q:
    # Articles store authors as JSON: SQLite keeps non-ASCII letters \u-escaped, PostgreSQL
    # keeps them as is, so look for both spellings; the caller checks exact names after.
    escaped = json.dumps(name)[1:-1]
    condition = Q(authors__icontains=name)
    return condition | Q(authors__icontains=escaped) if escaped != name else condition


def recent_articles(journalist: Journalist, *, limit: int = 20, days: int = 365) -> list[Article]:
    """Monitored articles bylined by the journalist, newest first."""
    wanted = names_of(journalist)
    if not wanted:
        return []
    condition = Q()
    for name in {n for n in [journalist.name, *journalist.bylines] if n.strip()}:
        condition |= _authors_containing(name.strip())
    since = timezone.now() - timedelta(days=days)
    candidates = (
        Article.objects.filter(sort_at__gte=since)
        .filter(condition)
        .select_related("outlet")
        .order_by("-sort_at", "-id")
        .defer("text", "raw_html", "minhash")
    )
    found = []
    for article in candidates.iterator(chunk_size=200):
        if any(normalize(author).strip() in wanted for author in article.authors or ()):
            found.append(article)
            if len(found) == limit:
                break
    return found


def known_bylines(journalists: QuerySet) -> dict[str, int]:
    """Folded name or byline → journalist id, for telling which authors are already contacts."""
    known: dict[str, int] = {}
    for pk, name, bylines in journalists.values_list("pk", "name", "bylines"):
        for each in [name, *(bylines or ())]:
            if each and each.strip():
                known.setdefault(normalize(each).strip(), pk)
    return known


@dataclass
class Suggestion:
    """An article author who is not yet a journalist of the team."""

    author: str
    outlet: Outlet | None
    articles: int
    latest: datetime | None


def suggestions(journalists: QuerySet, *, days: int = 30, limit: int = 100) -> list[Suggestion]:
    """Distinct bylines of the last `days` days not yet in the contacts, most articles first."""
    known = known_bylines(journalists)
    since = timezone.now() - timedelta(days=days)
    counts: Counter[tuple[str, int | None]] = Counter()
    latest: dict[tuple[str, int | None], datetime] = {}
    spelling: dict[str, str] = {}
    rows = (
        Article.objects.filter(sort_at__gte=since)
        .exclude(authors=[])
        .values_list("authors", "outlet_id", "sort_at")
    )
    for authors, outlet_id, sort_at in rows.iterator(chunk_size=2000):
        for author in authors or ():
            folded = normalize(author).strip()
            if not folded or folded in known:
                continue
            spelling.setdefault(folded, author.strip())
            key = (folded, outlet_id)
            counts[key] += 1
            if key not in latest or sort_at > latest[key]:
                latest[key] = sort_at
    top = counts.most_common(limit)
    outlets = Outlet.objects.in_bulk([o for (_, o), _ in top if o is not None])
    return [
        Suggestion(spelling[folded], outlets.get(outlet_id), n, latest[(folded, outlet_id)])
        for (folded, outlet_id), n in top
    ]


def add_from_byline(team, author: str, outlet: Outlet | None) -> Journalist:
    """A new journalist from an article byline: the byline recorded, working for `outlet`."""
    with transaction.atomic():
        journalist = Journalist.objects.create(
            team=team,
            name=author.strip(),
            bylines=[author.strip()],
            origin=Journalist.Origin.BYLINE,
        )
        if outlet is not None:
            Affiliation.objects.create(journalist=journalist, outlet=outlet)
    return journalist


def duplicates_of(
    journalists: QuerySet,
    *,
    name: str,
    email: str = "",
    outlet_ids: Iterable[int] = (),
    exclude: int | None = None,
) -> list[Journalist]:
    """Journalists that are likely the same person: the same email, or the same name at one of
    the same outlets."""
    found: dict[int, Journalist] = {}
    if exclude is not None:
        journalists = journalists.exclude(pk=exclude)
    if email.strip():
        for twin in journalists.filter(email__iexact=email.strip()):
            found[twin.pk] = twin
    outlet_ids = [o for o in outlet_ids if o]
    folded = normalize(name).strip()
    if folded and outlet_ids:
        # Names compare case- and accent-folded in Python (SQLite folds ASCII only); the
        # people at those outlets are few.
        colleagues = journalists.filter(affiliations__outlet_id__in=outlet_ids).distinct()
        for twin in colleagues:
            if normalize(twin.name).strip() == folded:
                found[twin.pk] = twin
    return list(found.values())


def possible_duplicates(journalist: Journalist) -> list[Journalist]:
    """Other journalists of the same team that may be this one, offered for merging on their
    page: the duplicates above, and anyone of the very same name (who may have moved outlet)."""
    team_journalists = Journalist.objects.filter(team_id=journalist.team_id)
    found = duplicates_of(
        team_journalists,
        name=journalist.name,
        email=journalist.email,
        outlet_ids=journalist.affiliations.values_list("outlet_id", flat=True),
        exclude=journalist.pk,
    )
    namesakes = team_journalists.filter(name__iexact=journalist.name).exclude(pk=journalist.pk)
    return list(dict.fromkeys([*found, *namesakes]))


def _union(first: list, second: list) -> list:
    return list(dict.fromkeys([*first, *second]))


def absorb(kept: Journalist, details: dict) -> None:
    """Fill `kept`'s empty fields from `details` and add their lists to its own (no overwrite:
    what the team already recorded wins)."""
    for name in ("email", "phone", "country", "preferred_contact", "do_not_contact_reason"):
        if not getattr(kept, name) and details.get(name):
            setattr(kept, name, details[name])
    for name in ("beats", "languages", "bylines"):
        setattr(kept, name, _union(getattr(kept, name) or [], details.get(name) or []))
    kept.social = {**(details.get("social") or {}), **(kept.social or {})}
    kept.do_not_contact = kept.do_not_contact or bool(details.get("do_not_contact"))
    notes = (details.get("notes") or "").strip()
    if notes and notes not in kept.notes:
        kept.notes = f"{kept.notes}\n\n{notes}".strip()


@dataclass
class MergeResult:
    affiliations: int = 0
    lists: int = 0
    pitches: int = 0
    inquiries: int = 0


def merge(kept: Journalist, other: Journalist) -> MergeResult:
    """Fold `other` into `kept`: its jobs, lists, pitches received and inquiries move over, its
    details fill the gaps, then `other` is deleted. Both must belong to the same team."""
    if kept.team_id != other.team_id or kept.pk == other.pk:
        raise ValueError("Only two different journalists of one team can be merged.")
    result = MergeResult()
    with transaction.atomic():
        absorb(kept, {f.name: getattr(other, f.name) for f in Journalist._meta.concrete_fields})
        kept.bylines = _union(kept.bylines, [other.name])
        kept.save()
        held = set(kept.affiliations.values_list("outlet_id", "since", "until"))
        for job in other.affiliations.all():
            if (job.outlet_id, job.since, job.until) in held:
                job.delete()
            else:
                job.journalist = kept
                job.save(update_fields=["journalist"])
                result.affiliations += 1
        on_lists = set(
            MediaListMember.objects.filter(journalist=kept).values_list("media_list_id", flat=True)
        )
        for member in MediaListMember.objects.filter(journalist=other):
            if member.media_list_id in on_lists:
                member.delete()  # already on that list: one membership is enough
            else:
                member.journalist = kept
                member.save(update_fields=["journalist"])
                result.lists += 1
        pitched = set(kept.pitches_received.values_list("pitch_id", flat=True))
        for copy in PitchRecipient.objects.filter(journalist=other):
            if copy.pitch_id in pitched:
                copy.journalist = None  # keep its status history, unlinked
                copy.save(update_fields=["journalist"])
            else:
                copy.journalist = kept
                copy.save(update_fields=["journalist"])
                result.pitches += 1
        result.inquiries = Inquiry.objects.filter(journalist=other).update(journalist=kept)
        other.delete()
    return result


def contact_teams(user) -> set[int]:
    """The teams whose journalists' contact details `user` may see (exports ask per row)."""
    from commsdesk.accounts import roles
    from commsdesk.accounts.models import Team

    return {
        pk
        for pk in Team.objects.of(user).values_list("pk", flat=True)
        if roles.can_see_contacts(user, pk)
    }
