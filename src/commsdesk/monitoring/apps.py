from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "commsdesk.monitoring"
    label = "monitoring"
    verbose_name = "Monitoring"
