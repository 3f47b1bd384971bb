"""The operations area's URLs, one module per part: calendar, crisis room, briefings, story bank."""

from django.urls import include, path

app_name = "operations"

urlpatterns = [
    path("calendar/", include("commsdesk.operations.urls.calendar")),
    path("incidents/", include("commsdesk.operations.urls.incidents")),
    path("briefings/", include("commsdesk.operations.urls.briefings")),
    path("stories/", include("commsdesk.operations.urls.stories")),
]
