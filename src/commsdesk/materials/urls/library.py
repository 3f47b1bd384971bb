from django.urls import path

from commsdesk.materials.views import library

urlpatterns = [
    path("", library.library, name="library"),
    path("new/", library.new, name="material_new"),
    path("preview/", library.preview, name="material_preview"),
    path("<int:pk>/", library.detail, name="material"),
    path("<int:pk>/edit/", library.edit, name="material_edit"),
    path("<int:pk>/reviewed/", library.reviewed, name="material_reviewed"),
    path("<int:pk>/history/", library.history, name="material_history"),
    path("<int:pk>/diff/", library.compare, name="material_diff"),
    path("<int:pk>/restore/", library.restore, name="material_restore"),
    path("<int:pk>/step/", library.step, name="material_step"),
    path("<int:pk>/translate/", library.translate, name="material_translate"),
    path("<int:pk>/caught-up/", library.caught_up, name="material_caught_up"),
]
