"""A person's data rights (GDPR) for journalists and spokespeople: everything held on them as
one JSON document, and erasure that leaves only an Erasure row (who, when — never the data).

Spokesperson pages belong to the speakers area; they call `spokesperson_record` and
`erase_spokesperson` here, the only place that erases a person.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.db.models import Model, Q

from commsdesk.relations.models import (
    Erasure,
    Inquiry,
    Journalist,
    MediaListMember,
    PitchRecipient,
    Spokesperson,
    TrainingAttendance,
)


def _fields(record: Model, *, skip: tuple[str, ...] = ()) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for f in record._meta.concrete_fields:
        if f.name in skip:
            continue
        value = getattr(record, f.attname)
        out[f.attname] = value.isoformat() if isinstance(value, date | datetime) else value
    return out


def journalist_record(journalist: Journalist) -> dict[str, Any]:
    """Everything the team holds on a journalist: the record, jobs, lists, pitches received
    (with the text they were sent) and inquiries they made."""
    return {
        "kind": "journalist",
        "record": _fields(journalist),
        "affiliations": [
            {**_fields(job), "outlet": job.outlet.name, "outlet_domain": job.outlet.domain}
            for job in journalist.affiliations.select_related("outlet")
        ],
        "media_lists": [
            {"list": m.media_list.name, "added_at": m.added_at.isoformat(), "note": m.note}
            for m in MediaListMember.objects.filter(journalist=journalist).select_related(
                "media_list"
            )
        ],
        "pitches_received": [
            {
                **_fields(copy, skip=("claimed_until",)),
                "subject": copy.pitch.subject,
                "body": copy.pitch.body,
            }
            for copy in _pitch_copies(journalist).select_related("pitch")
        ],
        "inquiries": [_fields(i) for i in _inquiries(journalist)],
    }


def _pitch_copies(journalist: Journalist):
    condition = Q(journalist=journalist)
    if journalist.email:
        condition |= Q(email__iexact=journalist.email)
    return PitchRecipient.objects.filter(condition, pitch__team_id=journalist.team_id)


def _inquiries(journalist: Journalist):
    condition = Q(journalist=journalist)
    if journalist.email:
        condition |= Q(reporter_email__iexact=journalist.email)
    return Inquiry.objects.filter(condition, team_id=journalist.team_id)


def erase_journalist(journalist: Journalist, *, by) -> Erasure:
    """Delete the journalist and the personal fields of rows that keep pointing at them:
    pitch copies lose the address, inquiries the reporter's name, address and raw email."""
    with transaction.atomic():
        # The send error may quote the address (e.g. "550 <ana@...>: no such user").
        _pitch_copies(journalist).update(journalist=None, email="", note="", error="")
        _inquiries(journalist).update(
            journalist=None, reporter_name="", reporter_email="", raw_email=""
        )
        erasure = Erasure.objects.create(
            team_id=journalist.team_id, kind="journalist", record_id=journalist.pk, erased_by=by
        )
        journalist.delete()  # affiliations and list memberships go with it
    return erasure


def spokesperson_record(spokesperson: Spokesperson) -> dict[str, Any]:
    """Everything the team holds on a spokesperson: the record, trainings, inquiries and
    speaking engagements they were given."""
    return {
        "kind": "spokesperson",
        "record": _fields(spokesperson),
        "trainings": [
            {
                "training": a.training.title,
                "starts_at": a.training.starts_at.isoformat(),
                "attended": a.attended,
                "follow_up": a.follow_up,
            }
            for a in TrainingAttendance.objects.filter(spokesperson=spokesperson).select_related(
                "training"
            )
        ],
        "inquiries": [
            {"id": i.pk, "topic": i.topic, "status": i.status} for i in spokesperson.inquiries.all()
        ],
        "engagements": [
            {"id": e.pk, "title": e.title, "stage": e.stage} for e in spokesperson.engagements.all()
        ],
    }


def erase_spokesperson(spokesperson: Spokesperson, *, by) -> Erasure:
    """Delete the spokesperson; inquiries and engagements stay, without their speaker."""
    with transaction.atomic():
        erasure = Erasure.objects.create(
            team_id=spokesperson.team_id,
            kind="spokesperson",
            record_id=spokesperson.pk,
            erased_by=by,
        )
        spokesperson.delete()  # attendance rows cascade; inquiries/engagements are SET_NULL
    return erasure
