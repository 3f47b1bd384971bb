from django.urls import path

from commsdesk.monitoring.views import articles, sources, trends

app_name = "monitoring"

urlpatterns = [
    path("", articles.articles, name="articles"),
    path("articles/<int:pk>/", articles.article, name="article"),
    path("clip/", articles.clip, name="clip"),
    path("trends/", trends.trends_page, name="trends"),
    path("sources/", sources.sources, name="sources"),
    path("sources/add/", sources.source_add, name="source_add"),
    path("sources/opml/import/", sources.opml_import, name="opml_import"),
    path("sources/opml/export/", sources.opml_export, name="opml_export"),
    path("sources/<int:pk>/", sources.source, name="source"),
    path("sources/<int:pk>/edit/", sources.source_edit, name="source_edit"),
    path("sources/<int:pk>/toggle/", sources.source_toggle, name="source_toggle"),
    path("sources/<int:pk>/fetch/", sources.source_fetch, name="source_fetch"),
    path("sources/<int:pk>/delete/", sources.source_delete, name="source_delete"),
]
