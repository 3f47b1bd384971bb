"""Library records the drafting tests quote: approved materials with versions and key
statistics with their history, made the way the library and statistics pages store them."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from commsdesk.materials.models import (
    KeyStatistic,
    Material,
    MaterialVersion,
    StatisticValue,
    Status,
)


def material(team, title: str, body: str, *, kind=Material.Kind.TALKING_POINTS, language="en",
             status=Status.APPROVED) -> Material:  # fmt: skip
    record = Material.objects.create(
        team=team, kind=kind, title=title, body=body, language=language, version=1,
        approved_version=1 if status == Status.APPROVED else None, status=status,
    )  # fmt: skip
    MaterialVersion.objects.create(material=record, number=1, title=title, body=body)
    return record


def new_version(record: Material, body: str, *, approve: bool = True) -> Material:
    record.version += 1
    record.body = body
    if approve:
        record.approved_version = record.version
    record.save()
    MaterialVersion.objects.create(
        material=record, number=record.version, title=record.title, body=body
    )
    return record


def statistic(team, name: str, value: str, *, slug: str, unit="", as_of=date(2026, 11, 1),
              status=Status.APPROVED, **extra) -> KeyStatistic:  # fmt: skip
    record = KeyStatistic.objects.create(
        team=team, name=name, slug=slug, value=Decimal(value), unit=unit, as_of=as_of,
        status=status, **extra,
    )  # fmt: skip
    StatisticValue.objects.create(statistic=record, value=record.value, as_of=as_of)
    return record


def change_value(record: KeyStatistic, value: str, as_of: date) -> KeyStatistic:
    record.value, record.as_of = Decimal(value), as_of
    record.save()
    StatisticValue.objects.create(statistic=record, value=record.value, as_of=as_of)
    return record
