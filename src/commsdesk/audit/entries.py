"""How the audit page reads entries: who may see which, the filters, each change as
"field: old → new", and a link to the record while it still exists.

Presentation only; entries are written by django-auditlog (`registry`) and `downloads`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.text import capfirst

from commsdesk.accounts import roles
from commsdesk.accounts.models import Team
from commsdesk.audit.models import AuditEntry
from commsdesk.audit.registry import TRACKED

# Model label → (path to the object with a page, its URL name): records without a page of
# their own link to their parent's.
PAGES: dict[str, tuple[str, str]] = {
    "monitoring.SavedSearch": ("", "monitoring:search"),
    "monitoring.AlertRule": ("saved_search", "monitoring:search"),
    "monitoring.Mention": ("", "monitoring:mention"),
    "monitoring.Source": ("", "monitoring:source"),
    "monitoring.Outlet": ("", "relations:outlet"),
    "monitoring.WatchedPage": ("", "monitoring:attention_page"),
    "relations.Journalist": ("", "relations:journalist"),
    "relations.Affiliation": ("journalist", "relations:journalist"),
    "relations.MediaList": ("", "relations:media_list"),
    "relations.MediaListMember": ("media_list", "relations:media_list"),
    "relations.Pitch": ("", "relations:pitch"),
    "relations.PitchRecipient": ("pitch", "relations:pitch"),
    "relations.PitchTemplate": ("", "relations:pitch_template_edit"),
    "relations.Spokesperson": ("", "relations:speaker"),
    "relations.Inquiry": ("", "relations:inquiry"),
    "relations.Training": ("", "relations:training"),
    "relations.TrainingAttendance": ("training", "relations:training"),
    "relations.SpeakingOpportunity": ("", "relations:opportunity"),
    "campaigns.Campaign": ("", "campaigns:campaign"),
    "campaigns.KPI": ("campaign", "campaigns:campaign"),
    "campaigns.KPIEntry": ("kpi.campaign", "campaigns:campaign"),
    "campaigns.KeyMessage": ("campaign", "campaigns:campaign"),
    "campaigns.Peer": ("campaign", "campaigns:campaign"),
    "campaigns.Activity": ("campaign", "campaigns:campaign"),
    "campaigns.ReportNote": ("campaign", "campaigns:campaign"),
    "campaigns.ReportSchedule": ("campaign", "campaigns:campaign"),
    "materials.Material": ("", "materials:material"),
    "materials.MaterialVersion": ("material", "materials:material"),
    "materials.KeyStatistic": ("", "materials:statistic"),
    "materials.StatisticValue": ("statistic", "materials:statistic"),
    "materials.Draft": ("", "materials:draft"),
    "materials.Citation": ("draft", "materials:draft"),
    "materials.PressKit": ("", "materials:kit"),
    "materials.PressKitFile": ("kit", "materials:kit"),
}


@dataclass(frozen=True)
class Change:
    field: str
    old: str
    new: str
    links: bool = False  # a many-to-many change: `new` says what was added or removed


@dataclass(frozen=True)
class Row:
    entry: AuditEntry
    changes: list[Change]
    link: str | None  # the record's page, None once it is gone or has no page
    download: dict | None  # {"download": what, "count": n} for a download entry


def audited_teams(user) -> list[Team]:
    """The teams whose log `user` may read (superusers: all, through `visible`)."""
    return [team for team in Team.objects.of(user) if roles.can_audit(user, team.pk)]


def visible(user) -> QuerySet[AuditEntry]:
    """Entries `user` may read: superusers every entry, team admins their teams' entries."""
    entries = AuditEntry.objects.select_related("actor", "content_type", "team")
    if user.is_superuser:
        return entries
    return entries.filter(team__in=audited_teams(user))


def model_choices() -> list[tuple[int, str]]:
    """(content type id, "App · Model") of every model that can appear in the log."""
    types = ContentType.objects.get_for_models(*(apps.get_model(label) for label in TRACKED))
    return sorted(
        (
            (ct.pk, f"{ct.app_label.title()} · {model._meta.verbose_name}")
            for model, ct in types.items()
        ),
        key=lambda choice: choice[1],
    )


def filtered(
    entries: QuerySet, *, actor: str, model: str, action: str, start: date | None, end: date | None
) -> QuerySet:
    if actor == "system":
        entries = entries.filter(actor__isnull=True)
    elif actor.isdigit():
        entries = entries.filter(actor_id=int(actor))
    if model.isdigit():
        entries = entries.filter(content_type_id=int(model))
    if action.isdigit():
        entries = entries.filter(action=int(action))
    zone = timezone.get_current_timezone()
    if start:
        entries = entries.filter(timestamp__gte=datetime.combine(start, time.min, zone))
    if end:
        entries = entries.filter(timestamp__lt=datetime.combine(end, time.max, zone))
    return entries


def people(entries: QuerySet) -> list[tuple[int, str]]:
    """Who appears as an actor in these entries, for the person filter."""
    rows = (
        entries.filter(actor__isnull=False)
        .order_by()
        .values_list("actor_id", "actor__username")
        .distinct()
    )
    return sorted(set(rows), key=lambda row: row[1].lower())


def rows(entries: list[AuditEntry]) -> list[Row]:
    """Entries with their changes and links, checking existence in one query per model."""
    alive = _existing(entries)
    return [
        Row(
            entry=entry,
            changes=changes(entry),
            link=_link(entry, alive),
            download=entry.additional_data if entry.action == AuditEntry.Action.ACCESS else None,
        )
        for entry in entries
    ]


def changes(entry: AuditEntry) -> list[Change]:
    """Each changed field as label, old, new; a secret shows as "(hidden)"."""
    raw = entry.changes_dict or {}
    model = entry.content_type.model_class()
    shown: dict[str, list] = {}
    if model is not None:
        try:
            shown = entry.changes_display_dict
        except Exception:  # noqa: BLE001 - a field renamed since: fall back to raw values
            shown = {}
    result = []
    key = model._meta.pk.name if model is not None else None
    for name, values in raw.items():
        if name == key:  # the id is in the link already
            continue
        label = _label(model, name)
        if isinstance(values, dict) and values.get("type") == "m2m":
            verb = "added" if values.get("operation") == "add" else "removed"
            objects = ", ".join(values.get("objects", []))
            result.append(Change(capfirst(label), "", f"{verb}: {objects}", links=True))
            continue
        display = shown.get(label, values)
        old, new = (_text(value) for value in (list(display) + ["", ""])[:2])
        if old or new:  # a new record's empty fields say nothing
            result.append(Change(capfirst(label), old, new))
    return result


def _label(model, name: str) -> str:
    if model is None:
        return name
    try:
        return str(model._meta.get_field(name).verbose_name)
    except Exception:  # noqa: BLE001 - a field removed since the entry was written
        return name


def _text(value) -> str:
    return "" if value in (None, "None") else str(value)


def _existing(entries: list[AuditEntry]) -> set[tuple[int, str]]:
    wanted: dict[int, set[str]] = {}
    for entry in entries:
        if entry.object_pk:
            wanted.setdefault(entry.content_type_id, set()).add(entry.object_pk)
    alive = set()
    for type_id, pks in wanted.items():
        model = ContentType.objects.get_for_id(type_id).model_class()
        if model is None or model._meta.label not in PAGES:
            continue
        found = model._default_manager.filter(pk__in=pks).values_list("pk", flat=True)
        alive.update((type_id, str(pk)) for pk in found)
    return alive


def _link(entry: AuditEntry, alive: set[tuple[int, str]]) -> str | None:
    if (entry.content_type_id, entry.object_pk) not in alive:
        return None
    model = entry.content_type.model_class()
    path, urlname = PAGES[model._meta.label]
    if not path:
        return _reverse(urlname, entry.object_pk)
    target = model._default_manager.filter(pk=entry.object_pk).first()
    for step in filter(None, path.split(".")):
        target = getattr(target, step, None)
    return None if target is None else _reverse(urlname, target.pk)


def _reverse(urlname: str, pk) -> str | None:
    try:
        return reverse(urlname, args=[pk])
    except NoReverseMatch:
        return None
