from django.urls import path

from commsdesk.relations.views import overview

app_name = "relations"

urlpatterns = [
    path("", overview.overview, name="overview"),
]
