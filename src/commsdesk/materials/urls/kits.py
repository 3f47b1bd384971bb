"""Press kits, the press room's settings and the writing assistant (mounted at press-kits/)."""

from django.urls import path

from commsdesk.materials.views import assistant, kits

urlpatterns = [
    path("", kits.kits, name="kits"),
    path("new/", kits.kit_new, name="kit_new"),
    path("<int:pk>/", kits.kit, name="kit"),
    path("<int:pk>/edit/", kits.kit_edit, name="kit_edit"),
    path("<int:pk>/step/", kits.kit_step, name="kit_step"),
    path("<int:pk>/files/", kits.kit_file_add, name="kit_file_add"),
    path("<int:pk>/files/<int:file_pk>/", kits.kit_file, name="kit_file"),
    path("<int:pk>/files/<int:file_pk>/delete/", kits.kit_file_delete, name="kit_file_delete"),
    path("<int:pk>/zip/", kits.kit_zip, name="kit_zip"),
    path("press-room/", kits.press_room_settings, name="press_room_settings"),
    path("assistant/draft/", assistant.assist_draft, name="assist_draft"),
    path("assistant/story/<int:pk>/", assistant.assist_story, name="assist_story"),
]
