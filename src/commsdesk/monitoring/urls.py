from django.urls import path

from commsdesk.monitoring.views import articles, sources, stories

app_name = "monitoring"

urlpatterns = [
    path("", articles.articles, name="articles"),
    path("articles/<int:pk>/", articles.article, name="article"),
    path("articles/counts/", stories.coverage_counts, name="coverage_counts"),
    path("clip/", articles.clip, name="clip"),
    path("stories/", stories.stories, name="stories"),
    path("stories/<int:pk>/", stories.story, name="story"),
    path("stories/<int:pk>/split/", stories.story_split, name="story_split"),
    path("stories/<int:pk>/merge/", stories.story_merge, name="story_merge"),
    path("stories/<int:pk>/merge/choices/", stories.story_choices, name="story_choices"),
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
