"""Briefing packs for an inquiry or a speaking opportunity (page and PDF)."""

from django.urls import path, re_path

from commsdesk.operations.views import briefings

KIND = r"(?P<kind>inquiry|opportunity)/(?P<pk>[0-9]+)"

urlpatterns = [
    path("", briefings.index, name="briefings"),
    re_path(rf"^{KIND}/$", briefings.briefing_page, name="briefing"),
    re_path(rf"^{KIND}/briefing\.pdf$", briefings.briefing_pdf, name="briefing_pdf"),
]
