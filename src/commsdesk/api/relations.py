"""Media relations over the API: journalists (their contact details only for roles that may see
them: volunteers get null), spokespeople likewise, and press inquiries (read, and log new ones
through the web page's own form).
"""

from datetime import date, datetime

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from commsdesk.accounts.models import Profile
from commsdesk.api.access import sees_contacts, team_for_new
from commsdesk.api.errors import FormRejected
from commsdesk.api.fields import Id, OptionalId, Pages, Text, form_data
from commsdesk.relations.inquiries.forms import InquiryForm
from commsdesk.relations.models import Inquiry, Journalist, Spokesperson
from commsdesk.relations.roster import Access

router = Router(tags=["relations"])


def _hide_contacts(record, fields: tuple[str, ...], shown: bool):
    """Blank the contact fields of a record the caller may not see them on (never saved)."""
    if not shown:
        for name in fields:
            setattr(record, name, None)
    return record


class Contacts:
    """Whether the caller sees contact details, asked once per team in a list."""

    def __init__(self, request: HttpRequest) -> None:
        self.request, self.known = request, {}

    def shown(self, team_id: int) -> bool:
        if team_id not in self.known:
            self.known[team_id] = sees_contacts(self.request, team_id)
        return self.known[team_id]


# --- journalists ----------------------------------------------------------------------------

_JOURNALIST_CONTACTS = ("email", "phone", "social")


class JournalistOut(Schema):
    id: int
    team_id: int
    name: str
    email: str | None = Field(description="null when your role may not see contact details")
    phone: str | None
    social: dict[str, str] | None
    outlets: list[int]
    beats: list[str]
    languages: list[str]
    country: str
    preferred_contact: str
    do_not_contact: bool
    bylines: list[str]
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_outlets(obj: Journalist) -> list[int]:
        return [o.pk for o in obj.outlets.all()]


def _journalists(request: HttpRequest):
    return Journalist.objects.for_team(request.user).prefetch_related("outlets")


@router.get("/journalists", response=list[JournalistOut])
@paginate(Pages)
def list_journalists(request: HttpRequest, q: Text | None = None):
    rows = _journalists(request).order_by("name", "id")
    if q:
        rows = rows.filter(name__icontains=q)
    contacts = Contacts(request)
    return _Gated(
        rows, lambda j: _hide_contacts(j, _JOURNALIST_CONTACTS, contacts.shown(j.team_id))
    )


@router.get("/journalists/{pk}", response=JournalistOut)
def get_journalist(request: HttpRequest, pk: Id):
    journalist = get_object_or_404(_journalists(request), pk=pk)
    shown = sees_contacts(request, journalist.team_id)
    return _hide_contacts(journalist, _JOURNALIST_CONTACTS, shown)


class _Gated:
    """A queryset whose rows pass through `gate` when read: pagination slices and counts it
    like a queryset, and no row leaves without its contact details checked."""

    def __init__(self, rows, gate) -> None:
        self.rows, self.gate = rows, gate

    def __getitem__(self, index):
        return [self.gate(row) for row in self.rows[index]]

    def count(self) -> int:
        return self.rows.count()

    def __len__(self) -> int:
        return self.count()


# --- spokespeople ---------------------------------------------------------------------------

_SPOKESPERSON_CONTACTS = ("email", "phone")


class SpokespersonOut(Schema):
    id: int
    team_id: int
    name: str
    kind: str
    email: str | None = Field(description="null unless your role (or their consent) allows it")
    phone: str | None
    languages: list[str]
    regions: list[str]
    topics: list[str]
    availability: str
    media_trained_on: date | None
    approval: str
    active: bool


def _spokespeople(request: HttpRequest):
    return Spokesperson.objects.for_team(request.user)


@router.get("/spokespeople", response=list[SpokespersonOut])
@paginate(Pages)
def list_spokespeople(request: HttpRequest):
    access = Access(request.user)
    rows = _spokespeople(request).order_by("name", "id")
    return _Gated(rows, lambda p: _hide_contacts(p, _SPOKESPERSON_CONTACTS, access.sees_contact(p)))


@router.get("/spokespeople/{pk}", response=SpokespersonOut)
def get_spokesperson(request: HttpRequest, pk: Id):
    person = get_object_or_404(_spokespeople(request), pk=pk)
    shown = Access(request.user).sees_contact(person)
    return _hide_contacts(person, _SPOKESPERSON_CONTACTS, shown)


# --- inquiries ------------------------------------------------------------------------------


class InquiryOut(Schema):
    id: int
    team_id: int
    topic: str
    questions: str
    status: str
    journalist_id: int | None
    outlet_id: int | None
    reporter_name: str
    reporter_email: str | None = Field(description="null when your role may not see it")
    received_at: datetime
    deadline: datetime | None
    deadline_timezone: str
    owner_id: int | None
    spokesperson_id: int | None
    response: str
    first_response_at: datetime | None
    closed_at: datetime | None
    origin: str


class InquiryIn(Schema):
    team: OptionalId = Field(None, description="One of your teams; default: your first")
    topic: Text = Field(max_length=300)
    questions: Text = Field("", max_length=50_000)
    journalist: OptionalId = None
    reporter_name: Text = Field("", max_length=200)
    reporter_email: Text = Field("", max_length=254)
    outlet: OptionalId = None
    deadline_local: Text = Field(
        "", description="As the journalist said it: 2026-11-30T17:00", max_length=40
    )
    deadline_timezone: Text = Field("UTC", description="e.g. Europe/Paris", max_length=64)
    owner: OptionalId = None
    spokesperson: OptionalId = None


def _inquiries(request: HttpRequest):
    return Inquiry.objects.for_team(request.user)


def _gate_inquiry(request: HttpRequest, inquiry: Inquiry, contacts: Contacts) -> Inquiry:
    return _hide_contacts(inquiry, ("reporter_email",), contacts.shown(inquiry.team_id))


@router.get("/inquiries", response=list[InquiryOut])
@paginate(Pages)
def list_inquiries(request: HttpRequest, status: Inquiry.Status | None = None):
    """Inquiries, nearest deadline first."""
    rows = _inquiries(request).order_by("deadline", "-received_at", "id")
    if status:
        rows = rows.filter(status=status)
    contacts = Contacts(request)
    return _Gated(rows, lambda i: _gate_inquiry(request, i, contacts))


@router.get("/inquiries/{pk}", response=InquiryOut)
def get_inquiry(request: HttpRequest, pk: Id):
    inquiry = get_object_or_404(_inquiries(request), pk=pk)
    return _gate_inquiry(request, inquiry, Contacts(request))


@router.post("/inquiries", response={201: InquiryOut})
def create_inquiry(request: HttpRequest, body: InquiryIn):
    """Log an inquiry; the deadline is wall-clock time in the journalist's time zone."""
    team = team_for_new(request, body.team)
    see = sees_contacts(request, team.pk)
    data = form_data(body.dict(exclude={"team"}))
    data["team"] = team.pk
    form = InquiryForm(
        data, user=request.user, zone=Profile.of(request.user).timezone, see_contacts=see
    )
    if not see and body.reporter_email:
        form.is_valid()
        form.add_error(None, "Your role cannot record contact details: leave out reporter_email.")
    if not form.is_valid():
        raise FormRejected(form)
    inquiry = form.save(commit=False)
    inquiry.team = team
    inquiry.save()
    return Status(201, _gate_inquiry(request, inquiry, Contacts(request)))
