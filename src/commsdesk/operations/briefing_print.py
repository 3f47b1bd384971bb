"""A briefing pack as a PDF: the same sections as the web page, laid out for A4 by WeasyPrint.

It fetches nothing (no external resources in the page); the contents come from `briefing.build`.
"""

from __future__ import annotations

from django.template.loader import render_to_string

from commsdesk.operations.briefing import Briefing


def render_html(built: Briefing) -> str:
    """The print page WeasyPrint lays out."""
    return render_to_string("operations/briefing_print.html", {"briefing": built, "print": True})


def render_pdf(built: Briefing) -> bytes:
    from weasyprint import HTML  # imported here: it loads Pango, which most requests never need

    return HTML(string=render_html(built)).write_pdf()
