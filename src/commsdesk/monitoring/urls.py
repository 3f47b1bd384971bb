from django.urls import path

from commsdesk.monitoring.views import alerts, articles, feeds, sources

app_name = "monitoring"

urlpatterns = [
    path("", articles.articles, name="articles"),
    path("articles/<int:pk>/", articles.article, name="article"),
    path("clip/", articles.clip, name="clip"),
    path("sources/", sources.sources, name="sources"),
    path("sources/add/", sources.source_add, name="source_add"),
    path("sources/opml/import/", sources.opml_import, name="opml_import"),
    path("sources/opml/export/", sources.opml_export, name="opml_export"),
    path("sources/<int:pk>/", sources.source, name="source"),
    path("sources/<int:pk>/edit/", sources.source_edit, name="source_edit"),
    path("sources/<int:pk>/toggle/", sources.source_toggle, name="source_toggle"),
    path("sources/<int:pk>/fetch/", sources.source_fetch, name="source_fetch"),
    path("sources/<int:pk>/delete/", sources.source_delete, name="source_delete"),
    path("searches/<int:pk>/alerts/", alerts.search_alerts, name="search_alerts"),
    path("searches/<int:pk>/alerts/<int:rule_pk>/", alerts.rule_edit, name="alert_rule_edit"),
    path(
        "searches/<int:pk>/alerts/<int:rule_pk>/delete/",
        alerts.rule_delete,
        name="alert_rule_delete",
    ),
    path("searches/<int:pk>/alerts/<int:rule_pk>/test/", alerts.rule_test, name="alert_rule_test"),
    path("searches/<int:pk>/feed/<str:key>/", feeds.MentionsFeed(), name="search_feed"),
    path("digest/", alerts.digest, name="digest"),
    path("unsubscribe/<str:token>/digest/", alerts.unsubscribe_digest, name="unsubscribe_digest"),
    path(
        "unsubscribe/<str:token>/alert/<int:rule_pk>/",
        alerts.unsubscribe_rule,
        name="unsubscribe_rule",
    ),
]
