from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate


class MonitoringConfig(AppConfig):
    name = "commsdesk.monitoring"
    label = "monitoring"
    verbose_name = "Monitoring"

    def ready(self) -> None:
        post_migrate.connect(_ensure_search_index, sender=self)
        connection_created.connect(_register_sql_functions)


def _register_sql_functions(sender, connection, **kwargs) -> None:
    # SQLite's full-text triggers call commsdesk_fold(): every connection needs it.
    if connection.vendor == "sqlite":
        from commsdesk.monitoring.search import sqlite

        sqlite.register(connection.connection)


def _ensure_search_index(sender, using: str = "default", plan=None, **kwargs) -> None:
    # A later migration that rebuilds the articles table on SQLite drops the FTS triggers;
    # restore them (and re-index) right after any migrate. Cheap when nothing is missing.
    from django.db import connections

    if "monitoring_article" not in connections[using].introspection.table_names():
        return  # migrated backwards past the articles table
    from commsdesk.monitoring.search import ensure_index

    ensure_index(using)
