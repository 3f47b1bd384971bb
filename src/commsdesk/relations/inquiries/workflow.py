"""Where an inquiry stands: moving it between statuses with the timestamps that the figures
rely on, assigning it, linking coverage, and the "inquiries due" list.

No forms and no requests here: views pass in what a person chose.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import F, Q, QuerySet
from django.utils import timezone

from commsdesk.monitoring.models import Article
from commsdesk.pipeline import urls
from commsdesk.relations.models import Inquiry

Status = Inquiry.Status
CLOSED = (Status.ANSWERED, Status.DECLINED)
OPEN = tuple(s for s in Status if s not in CLOSED)
DUE_SOON = timedelta(hours=24)


class WorkflowError(ValueError):
    """A move the inquiry cannot make as asked; the message says what is missing."""


def move(inquiry: Inquiry, status: str, *, text: str = "", now: datetime | None = None) -> None:
    """Set the status and save. Leaving "new" the first time stamps the first response;
    answering or declining closes it (answering needs the response, declining a reason);
    moving back to an open status reopens it."""
    if status not in Status.values:
        raise WorkflowError(f"“{status}” is not a status.")
    text = text.strip()
    if status == Status.ANSWERED and not (text or inquiry.response.strip()):
        raise WorkflowError("Write the response that was sent before marking it answered.")
    if status == Status.DECLINED and not text:
        raise WorkflowError("Say why the inquiry is declined.")
    now = now or timezone.now()
    inquiry.status = status
    if status != Status.NEW and inquiry.first_response_at is None:
        inquiry.first_response_at = now
    if status in CLOSED:
        inquiry.closed_at = now
        if text:
            inquiry.response = text
    else:
        inquiry.closed_at = None
    inquiry.save()


def assign(inquiry: Inquiry, *, owner, spokesperson, now: datetime | None = None) -> None:
    """Set who answers and who speaks; a new inquiry becomes "assigned"."""
    inquiry.owner, inquiry.spokesperson = owner, spokesperson
    if inquiry.status == Status.NEW and (owner is not None or spokesperson is not None):
        move(inquiry, Status.ASSIGNED, now=now)
    else:
        inquiry.save()


def find_article(address: str) -> Article | None:
    """An archived article by its address, however the copy was written (www, tracking...)."""
    try:
        key = urls.identity_hash(address)
    except urls.InvalidURLError:
        return None
    return Article.objects.filter(Q(url_hash=key) | Q(url=address.strip())).first()


def board(inquiries: QuerySet[Inquiry], *, show: str, user, closed: bool) -> QuerySet[Inquiry]:
    """The board's list: open ones (or all) by deadline, those without one last."""
    if show == "mine":
        inquiries = inquiries.filter(owner=user)
    elif show == "unassigned":
        inquiries = inquiries.filter(owner__isnull=True)
    if not closed:
        inquiries = inquiries.filter(status__in=OPEN)
    return inquiries.select_related("journalist", "outlet", "owner", "spokesperson").order_by(
        F("deadline").asc(nulls_last=True), "-received_at"
    )


def urgency(inquiry: Inquiry, now: datetime) -> str:
    """ "overdue", "soon" (due within 24 hours) or "" — open inquiries only."""
    if inquiry.status in CLOSED or inquiry.deadline is None:
        return ""
    if inquiry.deadline < now:
        return "overdue"
    return "soon" if inquiry.deadline - now < DUE_SOON else ""
