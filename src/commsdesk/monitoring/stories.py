"""What a person does to stories: split placements off, merge two stories; and the one place
a story's counters are computed (from its rows, never by adding one).

It does not decide which story a new article joins: that is `ingest.stories`.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Count, Max, Min

from commsdesk.monitoring.models import Article, Story, StoryEvent, StoryKey
from commsdesk.pipeline.dedupe import Signature


class StoryEditError(ValueError):
    """A split or merge that cannot be done; the message is for the person who asked."""


def may_edit(user: AbstractBaseUser) -> bool:
    """Splitting and merging change what everyone counts: viewers only read."""
    from commsdesk.accounts.models import Membership

    roles = set(Membership.objects.filter(user=user).values_list("role", flat=True))
    return user.is_staff or not roles or bool(roles - {Membership.Role.VIEWER})


def lock(story_ids: Iterable[int]) -> list[Story]:
    """Lock stories for a change, always in id order so two people (or a worker and a person)
    locking the same pair wait for each other instead of deadlocking."""
    return list(Story.objects.select_for_update().filter(pk__in=set(story_ids)).order_by("pk"))


def recount(story: Story) -> Story:
    """Size, outlets, first and last seen and the first publisher, read from the placements.

    Call it with the story locked (`lock`): then every writer that changes the story's
    placements recounts after the previous one committed, so the counters cannot drift.
    """
    placements = Article.objects.filter(story=story)
    figures = placements.aggregate(
        size=Count("id"),
        outlets=Count("outlet", distinct=True),
        first=Min("sort_at"),
        last=Max("sort_at"),
    )
    story.size = figures["size"]
    story.outlet_count = figures["outlets"]
    if figures["size"]:
        story.first_seen, story.last_seen = figures["first"], figures["last"]
    # The first publisher: the earliest placement (the lowest id breaks a tie).
    story.representative = placements.order_by("sort_at", "id").first()
    story.save(update_fields=["size", "outlet_count", "first_seen", "last_seen", "representative"])
    return story


def split(story: Story, article_ids: Iterable[int], *, actor: AbstractBaseUser | None) -> Story:
    """Move the chosen placements of `story` into a new story; returns the new story."""
    chosen = set(article_ids)
    with transaction.atomic():
        (story,) = lock([story.pk])
        moving = list(Article.objects.filter(story=story, pk__in=chosen).order_by("sort_at", "id"))
        if not moving:
            raise StoryEditError("Choose at least one placement of this story to split off.")
        if len(moving) == Article.objects.filter(story=story).count():
            raise StoryEditError("Leave at least one placement in this story.")
        new = Story.objects.create(first_seen=moving[0].sort_at, last_seen=moving[-1].sort_at)
        _move(moving, story, new)
        recount(story)
        recount(new)
        _rescore(new)
        _rescore(story, only=set())  # its first publisher may have changed
        note = f"{len(moving)} placement{'s' if len(moving) != 1 else ''}"
        StoryEvent.objects.create(
            story=story, kind=StoryEvent.Kind.SPLIT, other_story_id=new.pk, actor=actor,
            note=f"{note} split off into story {new.pk}",
        )  # fmt: skip
        StoryEvent.objects.create(
            story=new, kind=StoryEvent.Kind.SPLIT, other_story_id=story.pk, actor=actor,
            note=f"{note} split off from story {story.pk}",
        )  # fmt: skip
    return new


def merge(story: Story, other_id: int, *, actor: AbstractBaseUser | None) -> Story:
    """Fold story `other_id` into `story`: its placements, index keys and history move over,
    and the other story is deleted. Returns `story` with its counters recomputed."""
    if other_id == story.pk:
        raise StoryEditError("A story cannot be merged into itself.")
    with transaction.atomic():
        locked = {s.pk: s for s in lock([story.pk, other_id])}
        if other_id not in locked:
            raise StoryEditError(f"There is no story {other_id}: it may have been merged already.")
        story, other = locked[story.pk], locked[other_id]
        previous_first = story.representative_id
        moving = list(Article.objects.filter(story=other))
        _move(moving, other, story)
        # Its history stays readable on the story it became part of.
        StoryEvent.objects.filter(story=other).update(story=story)
        other.delete()
        recount(story)
        _rescore(story, only={a.pk for a in moving} | {previous_first})
        StoryEvent.objects.create(
            story=story, kind=StoryEvent.Kind.MERGED, other_story_id=other_id, actor=actor,
            note=f"story {other_id} merged in ({len(moving)} placement"
            f"{'s' if len(moving) != 1 else ''})",
        )  # fmt: skip
    return story


def merged_into(story_id: int) -> int | None:
    """Where a story that was merged away now lives (for old links), if anywhere."""
    event = StoryEvent.objects.filter(kind=StoryEvent.Kind.MERGED, other_story_id=story_id).first()
    return event.story_id if event else None


def _move(articles: list[Article], source: Story, target: Story) -> None:
    ids = [a.pk for a in articles]
    Article.objects.filter(pk__in=ids).update(story=target)
    # Later copies of these articles must find the story they are in now.
    StoryKey.objects.filter(story=source, article_id__in=ids).update(story=target)


def _rescore(story: Story, *, only: set[int] | None = None) -> None:
    """Similarity to the story's first publisher for the placements in `only` (all when None)
    and the first publisher itself (which has none), re-read from the stored signatures so no
    text is re-shingled."""
    representative = story.representative
    base = _signature(representative.minhash) if representative else None
    for article in Article.objects.filter(story=story).only("pk", "minhash"):
        if only is not None and article.pk not in only and article.pk != story.representative_id:
            continue
        similarity = None
        if article.pk != story.representative_id and base is not None:
            mine = _signature(article.minhash)
            similarity = round(mine.jaccard(base), 3) if mine is not None else None
        Article.objects.filter(pk=article.pk).update(story_similarity=similarity)


def _signature(data: bytes | memoryview | None) -> Signature | None:
    if not data:
        return None
    try:
        return Signature.from_bytes(bytes(data))
    except ValueError:
        return None  # a row from before signatures were stored: leave its score empty
