"""The crisis room (mounted at /operations/incidents/)."""

from django.urls import path

from commsdesk.operations.views import incidents

urlpatterns = [
    path("", incidents.incident_list, name="incidents"),
    path("new/", incidents.incident_new, name="incident_new"),
    path("<int:pk>/", incidents.incident, name="incident"),
    path("<int:pk>/edit/", incidents.incident_edit, name="incident_edit"),
    path("<int:pk>/coverage/", incidents.coverage_panel, name="incident_coverage"),
    path("<int:pk>/timeline/", incidents.add_event, name="incident_event"),
    path("<int:pk>/report/", incidents.report, name="incident_report"),
    path("<int:pk>/report.pdf", incidents.report_pdf, name="incident_report_pdf"),
    path("<int:pk>/report/send/", incidents.report_send, name="incident_report_send"),
    path("<int:pk>/close/", incidents.close, name="incident_close"),
]
