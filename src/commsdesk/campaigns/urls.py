from django.urls import path

from commsdesk.campaigns.views import campaigns, outputs, reports, schedules

app_name = "campaigns"

urlpatterns = [
    # First: the generic <part> routes below would otherwise swallow /<pk>/schedules/...
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
    path("", campaigns.campaign_list, name="list"),
    path("new/", campaigns.campaign_new, name="new"),
    path("<int:pk>/", campaigns.campaign_detail, name="campaign"),
    path("<int:pk>/edit/", campaigns.campaign_edit, name="edit"),
    path("<int:pk>/delete/", campaigns.campaign_delete, name="delete"),
    path("<int:pk>/<str:part>/add/", campaigns.part_edit, name="part_add"),
    path("<int:pk>/<str:part>/<int:item>/edit/", campaigns.part_edit, name="part_edit"),
    path("<int:pk>/<str:part>/<int:item>/delete/", campaigns.part_delete, name="part_delete"),
    path("<int:pk>/kpis/<int:item>/entries/add/", campaigns.entry_add, name="entry_add"),
    path("<int:pk>/entries/<int:item>/delete/", campaigns.entry_delete, name="entry_delete"),
    path("<int:pk>/report/", reports.report, name="report"),
    path("<int:pk>/report/recommendations/", reports.recommendations, name="recommendations"),
    path("<int:pk>/mentions/", reports.mentions, name="mentions"),
]
