"""The materials area's URLs, one module per part so each reads on its own."""

from django.urls import include, path

app_name = "materials"

urlpatterns = [
    path("", include("commsdesk.materials.urls.library")),
    path("statistics/", include("commsdesk.materials.urls.statistics")),
    path("drafts/", include("commsdesk.materials.urls.drafts")),
    path("press-kits/", include("commsdesk.materials.urls.kits")),
]
