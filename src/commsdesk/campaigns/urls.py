from django.urls import path

from commsdesk.campaigns.views import outputs, schedules

app_name = "campaigns"

urlpatterns: list = [
    # Report outputs (the report page's download buttons) and scheduled report emails.
    path("<int:pk>/report.pdf", outputs.report_pdf, name="report_pdf"),
    path("<int:pk>/report.xlsx", outputs.report_xlsx, name="report_xlsx"),
    path("<int:pk>/report.csv", outputs.report_csv, name="report_csv"),
    path("<int:pk>/schedules/", schedules.report_schedules, name="report_schedules"),
    path(
        "<int:pk>/schedules/<int:schedule_pk>/delete/",
        schedules.report_schedule_delete,
        name="report_schedule_delete",
    ),
]
