"""The public press room (no login), mounted at press/ outside the materials area."""

from django.urls import path

from commsdesk.materials.views import pressroom

app_name = "press"

urlpatterns = [
    path("<slug:slug>/", pressroom.room, name="room"),
    path("<slug:slug>/feed/", pressroom.ReleaseFeed(), name="feed"),
    path("<slug:slug>/releases/<slug:release_slug>/", pressroom.release, name="release"),
    path("<slug:slug>/kits/<slug:kit_slug>.zip", pressroom.kit_zip, name="kit_zip"),
    path(
        "<slug:slug>/kits/<slug:kit_slug>/files/<int:file_pk>/",
        pressroom.kit_file,
        name="kit_file",
    ),
]
