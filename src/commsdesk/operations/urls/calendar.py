"""The communications calendar (mounted at /operations/calendar/)."""

from django.urls import path

from commsdesk.operations.views import calendar

urlpatterns = [
    path("", calendar.calendar_page, name="calendar"),
    path("new/", calendar.planned_new, name="planned_new"),
    path("items/<int:pk>/", calendar.planned, name="planned"),
    path("items/<int:pk>/edit/", calendar.planned_edit, name="planned_edit"),
    path("items/<int:pk>/delete/", calendar.planned_delete, name="planned_delete"),
    path("releases/<int:pk>/embargo/", calendar.draft_embargo, name="draft_embargo"),
    path("feeds/", calendar.feeds, name="calendar_feeds"),
    path("feeds/user/<int:user_pk>/<str:key>.ics", calendar.user_feed, name="calendar_user_feed"),
    path("feeds/team/<int:team_pk>/<str:key>.ics", calendar.team_feed, name="calendar_team_feed"),
]
