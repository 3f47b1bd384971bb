"""Journalists in and out as CSV and vCard: one row or card per journalist, with the outlet
they work for now. Bad rows are reported with their number and reason, the rest imported;
duplicates (same email, or same name at the same outlet) are reported, never doubled.

Export hides contact fields (email, phone, social handles) from people who may not see them.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import vobject
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import QuerySet

from commsdesk.monitoring.models import Outlet
from commsdesk.relations import contacts
from commsdesk.relations.models import Affiliation, Journalist

COLUMNS = (
    "name",
    "email",
    "phone",
    "outlet",
    "outlet_domain",
    "title",
    "beats",
    "languages",
    "country",
    "social",
    "preferred_contact",
    "do_not_contact",
    "do_not_contact_reason",
    "bylines",
    "notes",
)
HIDDEN_WITHOUT_CONTACTS = ("email", "phone", "social")
MAX_BYTES = 5 * 1024 * 1024
_YES = {"yes", "y", "true", "1", "x"}
_DOMAIN = re.compile(r"^(?=.{1,253}$)([a-z0-9-]{1,63}\.)+[a-z]{2,63}$")


# ------------------------------------------------------------------------------- export


def _current_job(journalist: Journalist) -> Affiliation | None:
    jobs = list(journalist.affiliations.all())
    current = [job for job in jobs if job.until is None]
    return (current or jobs or [None])[0]


def as_row(journalist: Journalist, *, with_contacts: bool) -> dict[str, str]:
    """One journalist as export columns; contact columns empty unless `with_contacts`."""
    job = _current_job(journalist)
    row = {
        "name": journalist.name,
        "email": journalist.email,
        "phone": journalist.phone,
        "outlet": job.outlet.name if job else "",
        "outlet_domain": job.outlet.domain if job else "",
        "title": job.title if job else "",
        "beats": "; ".join(journalist.beats),
        "languages": "; ".join(journalist.languages),
        "country": journalist.country,
        "social": "; ".join(f"{k}={v}" for k, v in (journalist.social or {}).items()),
        "preferred_contact": journalist.preferred_contact,
        "do_not_contact": "yes" if journalist.do_not_contact else "",
        "do_not_contact_reason": journalist.do_not_contact_reason,
        "bylines": "; ".join(journalist.bylines),
        "notes": journalist.notes,
    }
    if not with_contacts:
        for name in HIDDEN_WITHOUT_CONTACTS:
            row[name] = ""
    return row


def _with_jobs(journalists: QuerySet) -> QuerySet:
    return journalists.prefetch_related("affiliations__outlet").order_by("name", "pk")


def csv_lines(journalists: QuerySet, *, shows_contacts: set[int]) -> Iterator[str]:
    """CSV text, streamed; contact columns filled for teams in `shows_contacts` only."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS)
    writer.writeheader()
    for journalist in _with_jobs(journalists):
        writer.writerow(as_row(journalist, with_contacts=journalist.team_id in shows_contacts))
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue()


def vcards(journalists: QuerySet, *, shows_contacts: set[int]) -> str:
    """vCard 3.0; fields vCard has no name for travel as X-COMMSDESK-* properties."""
    cards = []
    for journalist in _with_jobs(journalists):
        row = as_row(journalist, with_contacts=journalist.team_id in shows_contacts)
        card = vobject.vCard()
        card.add("fn").value = row["name"]
        card.add("n").value = vobject.vcard.Name(family=row["name"])
        if row["email"]:
            card.add("email").value = row["email"]
        if row["phone"]:
            card.add("tel").value = row["phone"]
        if row["outlet"]:
            card.add("org").value = [row["outlet"]]
        if row["title"]:
            card.add("title").value = row["title"]
        if row["notes"]:
            card.add("note").value = row["notes"]
        if journalist.beats:
            card.add("categories").value = list(journalist.beats)
        for name in COLUMNS[4:]:
            if name in ("title", "beats", "notes") or not row[name]:
                continue
            card.add("x-commsdesk-" + name.replace("_", "-")).value = row[name]
        cards.append(card.serialize())
    return "".join(cards)


# ------------------------------------------------------------------------------- import


@dataclass
class Problem:
    row: int  # as a spreadsheet numbers it (header = 1), or the card's number; 0 = the file
    reason: str
    duplicate_of: Journalist | None = None


@dataclass
class ImportReport:
    created: list[Journalist] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def duplicates(self) -> list[Problem]:
        return [p for p in self.problems if p.duplicate_of is not None]


def _split(value: str) -> list[str]:
    return [part.strip() for part in re.split(r"[;\n]", value or "") if part.strip()]


def _social(value: str) -> dict[str, str]:
    handles = {}
    for part in _split(value):
        network, sep, handle = part.partition("=")
        if not sep or not network.strip() or not handle.strip():
            raise ValueError(f"social handle “{part}” is not written as network=handle")
        handles[network.strip().lower()] = handle.strip()
    return handles


def _outlet(name: str, domain: str) -> Outlet | None:
    domain = domain.strip().lower().removeprefix("www.")
    if domain:
        if not _DOMAIN.match(domain):
            raise ValueError(f"outlet domain “{domain}” is not a domain such as example.org")
        outlet, _ = Outlet.objects.get_or_create(domain=domain, defaults={"name": name or domain})
        return outlet
    if not name.strip():
        return None
    found = list(Outlet.objects.filter(name__iexact=name.strip())[:2])
    if len(found) != 1:
        what = "no outlet" if not found else "several outlets"
        raise ValueError(f"{what} named “{name.strip()}”: give its outlet_domain")
    return found[0]


def _journalist(team, values: dict[str, str]) -> tuple[Journalist, Outlet | None, str]:
    """A journalist (not saved) from one row's values; ValueError says what is wrong."""
    name = (values.get("name") or "").strip()
    if not name:
        raise ValueError("the name is empty")
    email = (values.get("email") or "").strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise ValueError(f"“{email}” is not an email address") from None
    given_country = (values.get("country") or "").strip()
    country = given_country.upper()
    if country and not re.fullmatch(r"[A-Z]{2}", country):
        raise ValueError(f"country “{given_country}” is not a two-letter code such as KE")
    preferred = (values.get("preferred_contact") or "").strip().lower()
    if preferred not in Journalist.Contact.values:
        raise ValueError(f"preferred_contact “{preferred}” is not email, phone or social")
    languages = [code.lower() for code in _split(values.get("languages", ""))]
    for code in languages:
        if not re.fullmatch(r"[a-z]{2,3}(-[a-z0-9]{2,8})?", code):
            raise ValueError(f"language “{code}” is not a code such as es or pt-br")
    journalist = Journalist(
        team=team,
        name=name[:200],
        email=email,
        phone=(values.get("phone") or "").strip()[:50],
        beats=_split(values.get("beats", "")),
        languages=languages,
        country=country,
        social=_social(values.get("social", "")),
        preferred_contact=preferred,
        do_not_contact=(values.get("do_not_contact") or "").strip().lower() in _YES,
        do_not_contact_reason=(values.get("do_not_contact_reason") or "").strip()[:300],
        bylines=_split(values.get("bylines", "")),
        notes=(values.get("notes") or "").strip(),
        origin=Journalist.Origin.IMPORT,
    )
    outlet = _outlet(values.get("outlet") or "", values.get("outlet_domain") or "")
    return journalist, outlet, (values.get("title") or "").strip()[:200]


def import_rows(team, rows: Iterable[tuple[int, dict[str, str] | str]]) -> ImportReport:
    """Create journalists from (row number, values) pairs; a str instead of values is a
    problem found while reading that row."""
    report = ImportReport()
    existing = Journalist.objects.filter(team=team)
    for number, values in rows:
        if isinstance(values, str):
            report.problems.append(Problem(number, values))
            continue
        try:
            journalist, outlet, title = _journalist(team, values)
        except ValueError as exc:
            report.problems.append(Problem(number, str(exc)))
            continue
        twins = contacts.duplicates_of(
            existing,
            name=journalist.name,
            email=journalist.email,
            outlet_ids=[outlet.pk] if outlet else [],
        )
        if twins:
            report.problems.append(
                Problem(number, f"already in the contacts as {twins[0].name}", twins[0])
            )
            continue
        with transaction.atomic():
            journalist.save()
            if outlet is not None:
                Affiliation.objects.create(journalist=journalist, outlet=outlet, title=title)
        report.created.append(journalist)
    return report


def read_csv(data: bytes) -> Iterator[tuple[int, dict[str, str] | str]]:
    text = _decode(data)
    reader = csv.DictReader(io.StringIO(text, newline=""))
    if not reader.fieldnames or "name" not in [f.strip().lower() for f in reader.fieldnames]:
        yield 0, "the first line must name the columns, with at least a “name” column"
        return
    reader.fieldnames = [f.strip().lower() for f in reader.fieldnames]
    # Numbered as a spreadsheet shows them: the header is row 1.
    for number, row in enumerate(reader, start=2):
        if None in row:
            columns = len(reader.fieldnames)
            yield number, f"{columns + len(row[None])} cells for {columns} columns"
            continue
        if not any((v or "").strip() for v in row.values()):
            continue  # a blank line in a spreadsheet export is not an error
        yield number, {k: v or "" for k, v in row.items()}


def read_vcards(data: bytes) -> Iterator[tuple[int, dict[str, str] | str]]:
    # Cards are cut apart here, then each is parsed on its own: vobject stops at the first
    # malformed card, and one bad card must not lose the ones after it.
    text = _decode(data)
    blocks = re.findall(r"^BEGIN:VCARD\s*$.*?^END:VCARD\s*$", text, flags=re.I | re.M | re.S)
    if not blocks:
        yield 0, "no vCard found (a card starts with BEGIN:VCARD)"
        return
    for number, block in enumerate(blocks, start=1):
        try:
            card = vobject.readOne(block)
            yield number, _card_values(card)
        except Exception as exc:  # vobject raises several kinds of errors for broken cards
            yield number, f"this card cannot be read ({exc.__class__.__name__}: {exc})"


def _card_values(card) -> dict[str, str]:
    contents = card.contents

    def first(name: str) -> str:
        value = contents[name][0].value if name in contents else ""
        if isinstance(value, list):
            value = value[0] if value else ""
        return str(value)

    values = {
        "name": first("fn") or str(first("n")).strip(),
        "email": first("email"),
        "phone": first("tel"),
        "outlet": first("org"),
        "title": first("title"),
        "notes": first("note"),
        "beats": "; ".join(contents["categories"][0].value) if "categories" in contents else "",
    }
    for name in COLUMNS:
        key = "x-commsdesk-" + name.replace("_", "-")
        if key in contents:
            values[name] = str(contents[key][0].value)
    return values


def _decode(data: bytes) -> str:
    if len(data) > MAX_BYTES:
        raise ValueError("That file is over 5 MB; split it into smaller files.")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")
