from django.urls import path

from commsdesk.materials.views import drafts

urlpatterns = [
    path("", drafts.drafts, name="drafts"),
    path("new/", drafts.new, name="draft_new"),
    path("sources/", drafts.sources, name="draft_sources"),
    path("count/", drafts.count, name="draft_count"),
    path("preview/", drafts.preview, name="draft_preview"),
    path("<int:pk>/", drafts.detail, name="draft"),
    path("<int:pk>/edit/", drafts.edit, name="draft_edit"),
    path("<int:pk>/step/", drafts.step, name="draft_step"),
    path("<int:pk>/fix/", drafts.fix, name="draft_fix"),
    path("<int:pk>/publish/", drafts.publish, name="draft_publish"),
    path("<int:pk>/export/<str:fmt>/", drafts.export, name="draft_export"),
]
