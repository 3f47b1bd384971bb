"""Full-text index for articles: FTS5 on SQLite, tsvector + GIN on PostgreSQL.

One migration, per-vendor SQL owned by the search backends.
"""

from django.db import migrations


def _backend(schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        from commsdesk.monitoring.search import postgres

        return postgres
    from commsdesk.monitoring.search import sqlite

    return sqlite


def create(apps, schema_editor):
    # ensure() rather than a fixed list: it also creates what the statements need (PostgreSQL's
    # commsdesk_fold function) and is what post_migrate runs to keep the index current.
    with schema_editor.connection.cursor() as cursor:
        _backend(schema_editor).ensure(cursor)


def drop(apps, schema_editor):
    for statement in _backend(schema_editor).DROP:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
