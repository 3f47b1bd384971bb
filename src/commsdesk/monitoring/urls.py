from django.urls import path

from commsdesk.monitoring import views

app_name = "monitoring"

urlpatterns = [
    path("", views.articles, name="articles"),
    path("articles/<int:pk>/", views.article, name="article"),
    path("clip/", views.clip, name="clip"),
    path("sources/", views.sources, name="sources"),
    path("sources/add/", views.source_add, name="source_add"),
    path("sources/opml/import/", views.opml_import, name="opml_import"),
    path("sources/opml/export/", views.opml_export, name="opml_export"),
    path("sources/<int:pk>/", views.source, name="source"),
    path("sources/<int:pk>/edit/", views.source_edit, name="source_edit"),
    path("sources/<int:pk>/toggle/", views.source_toggle, name="source_toggle"),
    path("sources/<int:pk>/fetch/", views.source_fetch, name="source_fetch"),
    path("sources/<int:pk>/delete/", views.source_delete, name="source_delete"),
]
