"""The audit app: who changed which record and who downloaded personal data, for admins.

Registers the tracked models once every app is loaded (see `registry`); owns no domain data.
"""

from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "commsdesk.audit"
    label = "audit"
    verbose_name = "Audit log"

    def ready(self) -> None:
        from commsdesk.audit import registry

        registry.register_all()
