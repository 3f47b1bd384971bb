"""The approval workflow shared by materials, key statistics, drafts and press kits:
draft → in review → approved → retired, with who may take each step and who approved.

It decides and records; it does not notify anyone or render anything.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone

from commsdesk.accounts import roles
from commsdesk.materials.models import Draft, Material, Status


class WorkflowError(Exception):
    """A step that is not allowed from this state or for this person; the message says why."""


@dataclass(frozen=True, slots=True)
class Step:
    name: str  # what forms post, e.g. "approve"
    label: str  # the button's words
    sources: tuple[str, ...]  # the states it may start from
    target: str
    needs_approver: bool  # staff only (can_approve); otherwise anyone who can edit


STEPS = {
    step.name: step
    for step in (
        Step("submit", "Send for review", (Status.DRAFT,), Status.IN_REVIEW, False),
        Step("approve", "Approve", (Status.DRAFT, Status.IN_REVIEW), Status.APPROVED, True),
        Step("return", "Send back to draft", (Status.IN_REVIEW,), Status.DRAFT, True),
        Step(
            "retire",
            "Retire",
            (Status.APPROVED, Status.IN_REVIEW, Status.DRAFT),
            Status.RETIRED,
            True,
        ),
        Step("reopen", "Reopen as draft", (Status.RETIRED, Status.APPROVED), Status.DRAFT, False),
    )
}


def allowed_steps(record, user) -> list[Step]:
    """The steps this person may take on this record now, in order, for the buttons."""
    return [step for step in STEPS.values() if _permits(step, record, user)]


def apply(record, step_name: str, user) -> Step:
    """Move `record` along the workflow and save it; raises WorkflowError when not allowed."""
    step = STEPS.get(step_name)
    if step is None:
        raise WorkflowError(f"Unknown step {step_name!r}.")
    if record.status not in step.sources:
        raise WorkflowError(
            f"Cannot {step.label.lower()}: it is {record.get_status_display().lower()}."
        )
    if not _permits(step, record, user):
        raise WorkflowError(
            "Only staff (editors and admins) can do that."
            if step.needs_approver
            else "You cannot change this record."
        )
    record.status = step.target
    fields = ["status", "updated_at"]
    if step.target == Status.APPROVED:
        record.approved_by = user
        record.approved_at = timezone.now()
        fields += ["approved_by", "approved_at"]
        if isinstance(record, Material):
            record.approved_version = record.version
            fields.append("approved_version")
        if isinstance(record, Draft) and record.generated:
            # A person approved the words: they are theirs now, no longer "generated".
            record.generated = False
            fields.append("generated")
    record.save(update_fields=fields)
    return step


def after_edit(record) -> list[str]:
    """An approved record whose content a person changed goes back to draft, so nothing unapproved
    is ever shown as approved (the press room shows approved records only). Returns the fields
    changed, for the caller's save."""
    if record.status == Status.APPROVED:
        record.status = Status.DRAFT
        return ["status"]
    return []


def _permits(step: Step, record, user) -> bool:
    if record.status not in step.sources:
        return False
    if step.needs_approver:
        return roles.can_approve(user, record.team_id)
    return roles.can_edit(user, record.team_id)
