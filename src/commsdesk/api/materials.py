"""Materials over the API: the library (each text change a new numbered version, as on the web),
drafts (press releases, posts, media responses) and their approval workflow, in which only staff
approve, send back or retire. Forms, versions and the workflow are the web pages' own.
"""

from datetime import date, datetime
from typing import Literal

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Router, Schema
from ninja import Status as Reply
from ninja.errors import HttpError
from ninja.pagination import paginate

from commsdesk.api.access import require_write, team_for_new
from commsdesk.api.errors import FormRejected
from commsdesk.api.fields import Id, OptionalId, Pages, Text, form_data
from commsdesk.materials import citations, drafting, social, versions, workflow
from commsdesk.materials.draft_forms import DraftForm
from commsdesk.materials.library_forms import MaterialForm
from commsdesk.materials.models import Draft, Material, Status
from commsdesk.operations import embargo

router = Router(tags=["materials"])

_LABELS = ("tags", "topics", "audiences")


class MaterialOut(Schema):
    id: int
    team_id: int
    kind: str
    title: str
    body: str = Field(description="Markdown")
    language: str
    tags: list[str]
    topics: list[str]
    audiences: list[str]
    status: str
    version: int
    approved_version: int | None
    owner_id: int | None
    review_by: date | None
    public: bool
    translation_of_id: int | None
    created_at: datetime
    updated_at: datetime


class MaterialIn(Schema):
    team: OptionalId = Field(None, description="One of your teams; default: your first")
    kind: Material.Kind
    title: Text = Field(max_length=300)
    body: Text = Field("", max_length=500_000)
    language: Text = Field("en", max_length=12)
    tags: list[Text] = []
    topics: list[Text] = []
    audiences: list[Text] = []
    review_by: date | None = None
    public: bool = False
    note: Text = Field("", max_length=300, description="What changed, for the history")


class MaterialPatch(Schema):
    title: Text | None = Field(None, max_length=300)
    body: Text | None = Field(None, max_length=500_000)
    language: Text | None = Field(None, max_length=12)
    tags: list[Text] | None = None
    topics: list[Text] | None = None
    audiences: list[Text] | None = None
    review_by: date | None = None
    public: bool | None = None
    note: Text = Field("", max_length=300, description="What changed, for the history")
    based_on: int | None = Field(
        None, ge=0, le=2**31, description="The version you edited: a newer one is a 409"
    )


class Step(Schema):
    step: Literal["submit", "approve", "return", "retire", "reopen"] = Field(
        description="approve, return and retire are for staff (editors and admins) only"
    )
    confirm_stale: bool = Field(
        False, description="Drafts: approve although cited numbers or quotes may be out of date"
    )


def _materials(request: HttpRequest):
    return Material.objects.for_team(request.user)


def _material_values(material: Material) -> dict:
    return {
        "kind": material.kind,
        "title": material.title,
        "body": material.body,
        "language": material.language,
        "tags": material.tags,
        "topics": material.topics,
        "audiences": material.audiences,
        "owner": material.owner_id,
        "review_by": material.review_by,
        "public": material.public,
    }


@router.get("/materials", response=list[MaterialOut])
@paginate(Pages)
def list_materials(
    request: HttpRequest, status: Status | None = None, kind: Material.Kind | None = None
):
    rows = _materials(request).order_by("title", "id")
    if status:
        rows = rows.filter(status=status)
    if kind:
        rows = rows.filter(kind=kind)
    return rows


@router.get("/materials/{pk}", response=MaterialOut)
def get_material(request: HttpRequest, pk: Id):
    return get_object_or_404(_materials(request), pk=pk)


@router.post("/materials", response={201: MaterialOut})
def create_material(request: HttpRequest, body: MaterialIn):
    """Write a material: it starts as a draft at version 1, owned by you."""
    team = team_for_new(request, body.team)
    data = form_data(body.dict(exclude={"team"}), joined=_LABELS)
    data["owner"] = request.user.pk
    form = MaterialForm(data, team_id=team.pk)
    if not form.is_valid():
        raise FormRejected(form)
    material = form.save(commit=False)
    material.team = team
    versions.save(material, author=request.user, note=form.cleaned_data["note"] or "Written")
    return Reply(201, material)


@router.patch("/materials/{pk}", response=MaterialOut)
def update_material(request: HttpRequest, pk: Id, body: MaterialPatch):
    """Change a material; a new title or text is a new version (an approved material goes back
    to draft until approved again)."""
    material = get_object_or_404(_materials(request), pk=pk)
    require_write(request, material.team_id)
    data = _material_values(material)
    data.update(body.dict(exclude_unset=True, exclude_none=True, exclude={"based_on"}))
    data["based_on"] = body.based_on if body.based_on is not None else material.version
    form = MaterialForm(
        form_data(data, joined=_LABELS), instance=material, team_id=material.team_id
    )
    if not form.is_valid():
        raise FormRejected(form)
    edited = form.save(commit=False)
    try:
        versions.save(
            edited, author=request.user, note=form.cleaned_data["note"], based_on=data["based_on"]
        )
    except versions.VersionConflict as exc:
        raise HttpError(
            409, f"Version {exc.current} was saved meanwhile: read it, then edit."
        ) from None
    return _materials(request).get(pk=pk)


@router.post("/materials/{pk}/workflow", response=MaterialOut)
def material_step(request: HttpRequest, pk: Id, body: Step):
    """Send for review, approve, send back, retire or reopen."""
    material = get_object_or_404(_materials(request), pk=pk)
    return _step(request, material, body.step)


def _step(request: HttpRequest, record, step: str):
    require_write(request, record.team_id)
    try:
        workflow.apply(record, step, request.user)
    except workflow.WorkflowError as exc:
        allowed = workflow.STEPS[step].sources
        status = 409 if record.status not in allowed else 403
        raise HttpError(status, str(exc)) from None
    return record


# --- drafts ---------------------------------------------------------------------------------


class DraftOut(Schema):
    id: int
    team_id: int
    kind: str
    title: str
    language: str
    subtitle: str
    dateline: str
    lead: str
    body: str = Field(description="Markdown")
    quotes: str
    boilerplate: str
    media_contact: str
    networks: list[str]
    status: str
    inquiry_id: int | None
    owner_id: int | None
    generated: bool
    published_at: datetime | None
    created_at: datetime
    updated_at: datetime


class DraftFields(Schema):
    title: Text | None = Field(None, max_length=300)
    language: Text | None = Field(None, max_length=12)
    subtitle: Text | None = Field(None, max_length=300)
    dateline: Text | None = Field(None, max_length=200)
    lead: Text | None = Field(None, max_length=50_000)
    body: Text | None = Field(None, max_length=500_000)
    quotes: Text | None = Field(None, max_length=50_000)
    boilerplate: Text | None = Field(None, max_length=50_000)
    media_contact: Text | None = Field(None, max_length=5_000)
    networks: list[Text] | None = Field(None, description="Social posts: mastodon, bluesky, x…")


class DraftIn(DraftFields):
    team: OptionalId = Field(None, description="One of your teams; default: your first")
    kind: Draft.Kind


def _drafts(request: HttpRequest):
    drafts = Draft.objects.for_team(request.user)
    # Embargoed releases are hidden from all but their people, as on the drafts pages.
    return embargo.visible(drafts, request.user)


def _draft_form(draft: Draft, values: dict) -> DraftForm:
    form = DraftForm(form_data(values), instance=draft, kind=draft.kind)
    if not form.is_valid():
        raise FormRejected(form)
    return form


@router.get("/drafts", response=list[DraftOut])
@paginate(Pages)
def list_drafts(request: HttpRequest, status: Status | None = None, kind: Draft.Kind | None = None):
    rows = _drafts(request).order_by("-updated_at", "-id")
    if status:
        rows = rows.filter(status=status)
    if kind:
        rows = rows.filter(kind=kind)
    return rows


@router.get("/drafts/{pk}", response=DraftOut)
def get_draft(request: HttpRequest, pk: Id):
    return get_object_or_404(_drafts(request), pk=pk)


@router.post("/drafts", response={201: DraftOut})
def create_draft(request: HttpRequest, body: DraftIn):
    """Start a draft; fields left out start as on the web (a release gets the team's
    approved boilerplate)."""
    team = team_for_new(request, body.team)
    draft = Draft(team=team, owner=request.user, kind=body.kind)
    values = drafting.initial(body.kind, team.pk, language=body.language or "en")
    values.update({"networks": [], **body.dict(exclude={"team", "kind"}, exclude_none=True)})
    values.pop("kind", None)
    draft = _draft_form(draft, values).save()
    drafting.cite_boilerplate(draft)
    return Reply(201, draft)


@router.patch("/drafts/{pk}", response=DraftOut)
def update_draft(request: HttpRequest, pk: Id, body: DraftFields):
    """Change a draft's text; an approved draft whose words change goes back to draft."""
    draft = get_object_or_404(_drafts(request), pk=pk)
    require_write(request, draft.team_id)
    fields = list(DraftFields.model_fields)
    before = {name: getattr(draft, name) for name in fields}
    values = {**before, **body.dict(exclude_unset=True, exclude_none=True)}
    draft = _draft_form(draft, values).save(commit=False)
    changed = any(getattr(draft, name) != before[name] for name in fields)
    if changed and workflow.after_edit(draft):
        draft.published_at = None
    if draft.generated and draft.body != before["body"]:
        draft.generated = False  # a person rewrote the generated text: it is theirs now
    draft.save()
    citations.forget_removed(draft)
    return draft


@router.post("/drafts/{pk}/workflow", response=DraftOut)
def draft_step(request: HttpRequest, pk: Id, body: Step):
    """Send for review, approve, send back, retire or reopen."""
    draft = get_object_or_404(_drafts(request), pk=pk)
    if body.step == "approve":
        require_write(request, draft.team_id)
        refusal = _refuse_approval(draft, confirm_stale=body.confirm_stale)
        if refusal:
            raise HttpError(409, refusal)
    _step(request, draft, body.step)
    if draft.status != Status.APPROVED and draft.published_at:
        draft.published_at = None  # out of the press room, as on the web
        draft.save(update_fields=["published_at"])
    return draft


def _refuse_approval(draft: Draft, *, confirm_stale: bool) -> str:
    """The web page's checks before approving: a post too long for a network never goes out;
    possibly stale numbers need the approver's confirmation."""
    if draft.kind == Draft.Kind.SOCIAL_POST:
        too_long = social.too_long(draft.body, draft.networks)
        if too_long:
            return "Cannot approve: the post is too long for " + "; ".join(too_long) + "."
    problems = citations.check(draft, today=timezone.localdate())
    if problems and not confirm_stale:
        return (
            f"Not approved: {len(problems)} number(s) or quotes may be out of date. Update "
            "them, or send confirm_stale=true if they are right."
        )
    return ""
