from django.apps import AppConfig


class RelationsConfig(AppConfig):
    name = "commsdesk.relations"
    label = "relations"
    verbose_name = "Media relations"
