from django.apps import AppConfig


class IngestConfig(AppConfig):
    name = "commsdesk.ingest"
    label = "ingest"
    verbose_name = "Ingestion"
