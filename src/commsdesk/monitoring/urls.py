from django.urls import path

from commsdesk.monitoring.views import alerts, articles, feeds, names, searches, sources, trends

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
    path("searches/", searches.search_list, name="searches"),
    path("searches/new/", searches.search_new, name="search_new"),
    path("searches/preview/", searches.search_preview, name="search_preview"),
    path("searches/<int:pk>/", searches.search_detail, name="search"),
    path("searches/<int:pk>/edit/", searches.search_edit, name="search_edit"),
    path("searches/<int:pk>/mute/", searches.search_mute, name="search_mute"),
    path("searches/<int:pk>/delete/", searches.search_delete, name="search_delete"),
    path("searches/<int:pk>/bulk/", searches.mention_bulk, name="mention_bulk"),
    path("searches/<int:pk>/export.<str:fmt>", searches.search_export, name="search_export"),
    path("mentions/<int:pk>/", searches.mention_detail, name="mention"),
    path("mentions/<int:pk>/state/", searches.mention_state, name="mention_state"),
    path("query-syntax/", searches.query_syntax, name="query_syntax"),
    path("names/", names.names, name="names"),
    path("names/add/", names.name_add, name="name_add"),
    path("names/<int:pk>/delete/", names.name_delete, name="name_delete"),
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
