"""A campaign report by email: a short text with the headline figures and a link to the report
page, the PDF attached. Sent through Django's mail backend (SMTP in production).

It does not decide when to send: `campaigns.schedules` does.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse

from commsdesk.campaigns.models import Campaign
from commsdesk.campaigns.outputs import change, filename, number
from commsdesk.campaigns.outputs.pdf import render_pdf
from commsdesk.campaigns.report import Report
from commsdesk.monitoring.alerting.channels import send_mail_message

HEADLINE_FIGURES = 6


@dataclass(frozen=True, slots=True)
class Headline:
    label: str
    value: str
    change: str


def send_report(campaign: Campaign, report: Report, recipients: list[str]) -> None:
    """Email the report to `recipients`; raises DeliveryError when the mail server says no."""
    message = report_message(campaign, report, recipients)
    send_mail_message(message)


def report_message(campaign: Campaign, report: Report, recipients: list[str]) -> EmailMessage:
    period = f"{report.period_start:%-d %b %Y} – {report.period_end:%-d %b %Y}"
    context = {
        "campaign": campaign,
        "report": report,
        "period": period,
        "headlines": headlines(report),
        "link": report_link(report),
        "schedules_link": settings.COMMSDESK_BASE_URL
        + _path("campaigns:report_schedules", campaign.pk, f"/campaigns/{campaign.pk}/schedules/"),
    }
    message = EmailMessage(
        subject=f"{report.title}: {period}",
        body=render_to_string("campaigns/outputs/report_email.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=recipients,
    )
    message.attach(filename(campaign.name, report, "pdf"), render_pdf(report), "application/pdf")
    return message


def headlines(report: Report) -> list[Headline]:
    """The first figures of the report that have a value, as the email's summary."""
    shown = []
    for section in report.sections:
        for figure in section.figures:
            if figure.value is not None and len(shown) < HEADLINE_FIGURES:
                value = number(figure.value, figure.unit)
                shown.append(Headline(figure.label, value, change(figure)))
    return shown


def report_link(report: Report) -> str:
    """The report's web page for the same period, absolute (mail is read outside commsdesk)."""
    path = _path("campaigns:report", report.campaign_id, f"/campaigns/{report.campaign_id}/report/")
    query = urlencode({"start": report.period_start, "end": report.period_end})
    return f"{settings.COMMSDESK_BASE_URL}{path}?{query}"


def _path(name: str, pk: int, fallback: str) -> str:
    # The report page belongs to the campaign pages; the address is agreed, the name may differ.
    try:
        return reverse(name, args=[pk])
    except NoReverseMatch:
        return fallback
