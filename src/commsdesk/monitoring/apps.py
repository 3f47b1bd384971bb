from django.apps import AppConfig
from django.db.models.signals import post_migrate


class MonitoringConfig(AppConfig):
    name = "commsdesk.monitoring"
    label = "monitoring"
    verbose_name = "Monitoring"

    def ready(self) -> None:
        post_migrate.connect(_ensure_search_index, sender=self)


def _ensure_search_index(sender, using: str = "default", plan=None, **kwargs) -> None:
    # A later migration that rebuilds the articles table on SQLite drops the FTS triggers;
    # restore them (and re-index) right after any migrate. Cheap when nothing is missing.
    from django.db import connections

    if "monitoring_article" not in connections[using].introspection.table_names():
        return  # migrated backwards past the articles table
    from commsdesk.monitoring.search import ensure_index

    ensure_index(using)
