"""URL map: each domain app owns its own URLs; admin for administrators."""

from django.contrib import admin
from django.urls import include, path

from commsdesk.api.main import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("accounts/", include("commsdesk.accounts.urls")),
    path("monitoring/", include("commsdesk.monitoring.urls")),
    path("relations/", include("commsdesk.relations.urls")),
    path("campaigns/", include("commsdesk.campaigns.urls")),
    path("materials/", include("commsdesk.materials.urls")),
    path("press/", include("commsdesk.materials.urls.press")),
    path("operations/", include("commsdesk.operations.urls")),
    path("audit/", include("commsdesk.audit.urls")),
    path("", include("commsdesk.web.urls")),
]
