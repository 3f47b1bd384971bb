"""The situation report as a document: the HTML page laid out for print (turned into PDF by
WeasyPrint, like campaign reports) and the email to leadership (text, the same HTML, the PDF
attached). Times are in the current time zone, which the views set to the sender's own.

It builds nothing itself: `incidents.situation_report` gathers the figures.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import timezone

from commsdesk.operations.incidents import SituationReport


def render_html(made: SituationReport, *, base_url: str) -> str:
    """The print page (no external resources: the chart is inline SVG)."""
    return render_to_string(
        "operations/sitrep_print.html",
        {"report": made, "base_url": base_url, "zone": timezone.get_current_timezone()},
    )


def pdf(made: SituationReport, *, base_url: str) -> bytes:
    from weasyprint import HTML  # imported here: it loads Pango, which most requests never need

    return HTML(string=render_html(made, base_url=base_url)).write_pdf()


def subject(made: SituationReport) -> str:
    incident = made.incident
    return (
        f"Situation report: {incident.title} ({incident.get_severity_display()}, "
        f"{incident.get_status_display().lower()}) · "
        f"{timezone.localtime(made.made_at):%d %b %H:%M}"
    )


def send(made: SituationReport, people, *, sender, base_url: str = "") -> None:
    """One email to all `people` (OSError when the mail server refuses or is unreachable)."""
    base = base_url or settings.COMMSDESK_BASE_URL.rstrip("/")
    context = {
        "report": made,
        "base_url": base,
        "sender": sender,
        "zone": timezone.get_current_timezone(),
    }
    message = EmailMultiAlternatives(
        subject=subject(made),
        body=render_to_string("operations/sitrep_email.txt", context),
        to=[person.email for person in people],
        reply_to=[sender.email] if sender.email else None,
    )
    message.attach_alternative(render_html(made, base_url=base), "text/html")
    stamp = timezone.localtime(made.made_at)
    message.attach(
        f"situation-report-{made.incident.pk}-{stamp:%Y%m%d-%H%M}.pdf",
        pdf(made, base_url=base),
        "application/pdf",
    )
    message.send()
