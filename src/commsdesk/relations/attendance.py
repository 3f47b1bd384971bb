"""Who attended a media training, and each spokesperson's "media-trained on, by" that follows.

Attending a session that has taken place makes it the person's latest training if it is newer
than what the roster says; taking that attendance back returns to the latest one left.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from commsdesk.relations.models import Spokesperson, Training, TrainingAttendance


@transaction.atomic
def record(
    training: Training, person: Spokesperson, *, attended: bool, follow_up: str = ""
) -> TrainingAttendance:
    """Add or update `person`'s attendance at `training` and keep their trained date right."""
    row, _ = TrainingAttendance.objects.update_or_create(
        training=training,
        spokesperson=person,
        defaults={"attended": attended, "follow_up": follow_up},
    )
    if attended:
        _note_training(person, training)
    else:
        _forget_training(person, training)
    return row


@transaction.atomic
def remove(training: Training, person: Spokesperson) -> None:
    TrainingAttendance.objects.filter(training=training, spokesperson=person).delete()
    _forget_training(person, training)


@transaction.atomic
def refresh_after_change(before: Training, after: Training) -> None:
    """A session's date or trainer was edited: attendees' trained dates follow it (`before` is
    the session as it was stored, `after` as saved now)."""
    for row in after.attendance.filter(attended=True).select_related("spokesperson"):
        _forget_training(row.spokesperson, before)
        _note_training(row.spokesperson, after)


def history(person: Spokesperson):
    """The person's sessions, newest first, each with `attended` and `follow_up` annotated."""
    return (
        TrainingAttendance.objects.filter(spokesperson=person)
        .select_related("training")
        .order_by("-training__starts_at")
    )


def _day(training: Training):
    return timezone.localdate(training.starts_at)


def _note_training(person: Spokesperson, training: Training) -> None:
    # A session in the future is a plan, not a training yet: the date moves when it happens
    # and someone confirms attendance (or edits the session).
    if training.starts_at > timezone.now():
        return
    day = _day(training)
    if person.media_trained_on is None or day >= person.media_trained_on:
        person.media_trained_on = day
        person.trained_by = training.trainer
        person.save(update_fields=["media_trained_on", "trained_by", "updated_at"])


def _forget_training(person: Spokesperson, training: Training) -> None:
    """Only undo what this session set; a date typed in by hand (a training held elsewhere)
    stays."""
    if person.media_trained_on != _day(training) or person.trained_by != training.trainer:
        return
    latest = (
        TrainingAttendance.objects.filter(
            spokesperson=person, attended=True, training__starts_at__lte=timezone.now()
        )
        .exclude(training=training)
        .select_related("training")
        .order_by("-training__starts_at")
        .first()
    )
    person.media_trained_on = _day(latest.training) if latest else None
    person.trained_by = latest.training.trainer if latest else ""
    person.save(update_fields=["media_trained_on", "trained_by", "updated_at"])
