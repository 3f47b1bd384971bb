from django.apps import AppConfig


class OperationsConfig(AppConfig):
    name = "commsdesk.operations"
    label = "operations"
    verbose_name = "Comms operations"
