"""The morning digest: per person, at their local digest time, what their teams' saved searches
found since the previous morning — top stories (a syndicated story once, with its placements),
outlets covering them for the first time, spikes and failing sources.

`build_digest` gathers it (also for the web page); `send_due_digests` mails it at most once per
person per local date, however many schedulers run. It decides nothing about matching.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from commsdesk.accounts.models import Profile
from commsdesk.monitoring.alerting.channels import (
    DeliveryError,
    SpikeLine,
    StoryLine,
    absolute,
    send_mail_message,
)
from commsdesk.monitoring.alerting.send import (
    hit_terms,
    lease,
    retry_delay,
    spike_line,
    story_line,
)
from commsdesk.monitoring.models import DigestRun, Mention, Outlet, SavedSearch, Source, Spike

log = logging.getLogger(__name__)

TOP_STORIES = 5  # per saved search
MAX_MENTIONS = 5000  # read per digest: a flood still gives a digest, counted honestly


@dataclass(frozen=True, slots=True)
class SearchSection:
    search: SavedSearch
    stories: tuple[StoryLine, ...]  # the top ones, most placements first
    story_count: int  # all stories in the window
    placement_count: int  # all placements (mentions) in the window


@dataclass(frozen=True, slots=True)
class Digest:
    local_date: date
    since: datetime
    until: datetime
    sections: tuple[SearchSection, ...]
    new_outlets: tuple[Outlet, ...]
    spikes: tuple[tuple[SavedSearch, SpikeLine], ...]
    failing_sources: tuple[Source, ...]
    truncated: bool  # more mentions than MAX_MENTIONS: counts are lower bounds
    so_far: bool  # the window has not closed yet: more may arrive before the digest time

    @property
    def story_count(self) -> int:
        return sum(s.story_count for s in self.sections)

    @property
    def subject(self) -> str:
        n = self.story_count
        searches = sum(1 for s in self.sections if s.story_count)
        stories = f"{n} stor{'y' if n == 1 else 'ies'}"
        found = (
            f"{stories} in {searches} search{'es' * (searches != 1)}" if n else "no new coverage"
        )
        return f"Morning digest, {self.local_date:%-d %b %Y}: {found}"


def window(profile: Profile, local_date: date) -> tuple[datetime, datetime]:
    """The 24 hours ending at the person's digest time on local_date."""
    until = datetime.combine(local_date, profile.digest_time, tzinfo=profile.zone)
    since = datetime.combine(local_date - timedelta(days=1), profile.digest_time, profile.zone)
    return since, until


def searches_of(user):
    return SavedSearch.objects.for_team(user).live().order_by("name")


def build_digest(user, local_date: date, *, now: datetime | None = None) -> Digest:
    since, end = window(Profile.of(user), local_date)
    until = min(end, now or timezone.now())
    searches = list(searches_of(user))
    mentions = list(
        Mention.objects.filter(saved_search__in=searches, matched_at__gte=since)
        .filter(matched_at__lt=until)
        .exclude(state=Mention.State.HIDDEN)
        .select_related("article__outlet", "article__story")
        .order_by("matched_at")[: MAX_MENTIONS + 1]
    )
    truncated = len(mentions) > MAX_MENTIONS
    mentions = mentions[:MAX_MENTIONS]
    sections = tuple(
        _section(search, [m for m in mentions if m.saved_search_id == search.pk])
        for search in searches
    )
    return Digest(
        local_date=local_date,
        since=since,
        until=until,
        sections=sections,
        new_outlets=_new_outlets(searches, mentions, since),
        spikes=tuple(
            (spike.saved_search, spike_line(spike))
            for spike in Spike.objects.filter(saved_search__in=searches, hour__gte=since)
            .filter(hour__lt=until)
            .select_related("saved_search")
        ),
        failing_sources=tuple(Source.objects.failing()),
        truncated=truncated,
        so_far=until < end,
    )


def _section(search: SavedSearch, mentions: list[Mention]) -> SearchSection:
    """Fold placements into stories: one line per story, with its placements in the window."""
    by_story: dict[object, list[Mention]] = {}
    for mention in mentions:
        story_id = mention.article.story_id
        by_story.setdefault(story_id or ("article", mention.article_id), []).append(mention)
    ranked = sorted(
        by_story.values(), key=lambda group: (len(group), group[-1].matched_at), reverse=True
    )
    lines = []
    for group in ranked[:TOP_STORIES]:
        line = story_line(group[0].article, group[0])
        hits = tuple(dict.fromkeys(term for m in group for term in hit_terms(m)))
        lines.append(replace(line, placements=len(group), hits=hits))
    return SearchSection(search, tuple(lines), len(by_story), len(mentions))


def _new_outlets(searches, mentions: list[Mention], since: datetime) -> tuple[Outlet, ...]:
    """Outlets in the window that had never before carried a match of these searches."""
    seen = {m.article.outlet_id: m.article.outlet for m in mentions if m.article.outlet_id}
    earlier = set(
        Mention.objects.filter(
            saved_search__in=searches, matched_at__lt=since, article__outlet_id__in=seen
        ).values_list("article__outlet_id", flat=True)
    )
    return tuple(sorted((o for pk, o in seen.items() if pk not in earlier), key=lambda o: o.name))


# --- sending --------------------------------------------------------------------------------


def due(now: datetime) -> list[tuple[object, date]]:
    """People whose digest time has passed today (their time) and whose digest is not done."""
    candidates = []
    people = (
        get_user_model()
        .objects.filter(is_active=True, memberships__isnull=False)
        .exclude(email="")
        .distinct()
    )
    for user in people:
        profile = Profile.of(user)
        local = now.astimezone(profile.zone)
        if not profile.digest_enabled or local.time() < profile.digest_time:
            continue
        # Someone who joined after today's digest time gets their first digest tomorrow, not
        # a catch-up "no new coverage" for a day they were not here.
        if user.date_joined >= window(profile, local.date())[1]:
            continue
        candidates.append((user, local.date()))
    done = set(
        DigestRun.objects.filter(
            user__in=[u for u, _ in candidates],
            local_date__in={d for _, d in candidates},
        )
        .exclude(state=DigestRun.State.PENDING)
        .values_list("user_id", "local_date")
    )
    return [(u, d) for u, d in candidates if (u.pk, d) not in done]


def any_due(now: datetime | None = None) -> bool:
    return bool(due(now or timezone.now()))


def claim_run(user, local_date: date, now: datetime) -> DigestRun | None:
    """The day's run, leased to this worker; None if it is done or another worker holds it.

    The unique (user, local_date) row makes "at most once per date" hold across schedulers; the
    lease (claimed_until, also the not-before time of a retry) makes one worker send it.
    """
    try:
        with transaction.atomic():
            run, _ = DigestRun.objects.get_or_create(user=user, local_date=local_date)
    except IntegrityError:  # another scheduler created it between our read and write
        run = DigestRun.objects.get(user=user, local_date=local_date)
    taken = (
        DigestRun.objects.filter(pk=run.pk, state=DigestRun.State.PENDING)
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        .update(claimed_until=now + lease(), attempts=F("attempts") + 1)
    )
    if not taken:
        return None
    run.refresh_from_db()
    return run


def send_due_digests(*, now: datetime | None = None) -> int:
    """Send every digest that is due; returns how many went out."""
    now = now or timezone.now()
    sent = 0
    for user, local_date in due(now):
        run = claim_run(user, local_date, now)
        if run is None:
            continue
        try:
            send_digest(user, build_digest(user, local_date, now=now))
        except DeliveryError as exc:
            gave_up = run.attempts >= settings.COMMSDESK_ALERT_MAX_ATTEMPTS
            log.warning("digest for %s failed: %s", user, exc.reason)
            DigestRun.objects.filter(pk=run.pk).update(
                state=DigestRun.State.FAILED if gave_up else DigestRun.State.PENDING,
                claimed_until=now + retry_delay(run.attempts),
                error=exc.reason,
            )
            continue
        DigestRun.objects.filter(pk=run.pk).update(
            state=DigestRun.State.SENT, sent_at=timezone.now(), claimed_until=None, error=""
        )
        sent += 1
    return sent


def send_digest(user, digest: Digest) -> None:
    """Mail one digest (text + HTML) to the person; raises DeliveryError on failure."""
    token = Profile.of(user).unsubscribe_token
    context = {
        "digest": digest,
        "person": user,
        "base_url": settings.COMMSDESK_BASE_URL,
        "unsubscribe_url": absolute(reverse("monitoring:unsubscribe_digest", args=[token])),
        "web_url": absolute(reverse("monitoring:digest")) + f"?date={digest.local_date:%Y-%m-%d}",
    }
    message = EmailMultiAlternatives(
        subject=digest.subject,
        body=render_to_string("monitoring/alerts/digest_email.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
        headers={"List-Unsubscribe": f"<{context['unsubscribe_url']}>"},
    )
    message.attach_alternative(
        render_to_string("monitoring/alerts/digest_email.html", context), "text/html"
    )
    send_mail_message(message)
